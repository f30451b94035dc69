/**
 * Everything built from one `AppDefinition`: data sources, the resolver runtime, the schema and
 * GraphQL service, the authenticator. Built once at start and again on each `switchboard dev`
 * reload; the storage underneath (SQLite file, event log, table store) and the HTTP server stay,
 * so open connections and data survive a reload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Clock, Logger } from '../core/index.ts';
import { lineOfPath, type AppDefinition } from '../app/index.ts';
import type { EventLog, TableStore } from '../storage/index.ts';
import { createChangeSinks, createTableService, type TableService } from '../tables/index.ts';
import { createResolverRuntime, createDataSource, type DataSource } from '../resolvers/index.ts';
import { createAuthenticator, createDevIssuer, signSigV4, type Authenticator, type DevIssuer } from '../auth/index.ts';
import { buildAppSchema, createGraphqlService, type GraphqlService } from '../graphql/index.ts';
import { resolveCredentials, type ActiveCredentials } from './dev-credentials.ts';
import { lambdaAuthorizerOf } from './lambda-authorizer.ts';

export interface AppServices {
  readonly app: AppDefinition;
  readonly credentials: ActiveCredentials;
  readonly graphql: GraphqlService;
  readonly authenticator: Authenticator;
  readonly devIssuer: DevIssuer;
  /** The app's tables (workflow DynamoDB tasks use them). */
  readonly tables: TableService;
}

export interface AppServicesDeps {
  readonly dataDir: string;
  readonly eventLog: EventLog;
  readonly tableStore: TableStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Wakes delivery of `bus` after table change events were appended to it (else it polls). */
  readonly onBusAppend?: (bus: string) => void;
}

const importModule = async (path: string): Promise<Record<string, unknown>> => (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;

export async function buildAppServices(app: AppDefinition, deps: AppServicesDeps): Promise<AppServices> {
  const { clock, logger } = deps;
  const credentials = resolveCredentials(app, deps.dataDir);
  // Tables with `changes` append their change events to the bus in the item write's transaction.
  const changeSinks = createChangeSinks(app.tables, { clock, region: app.region, ...(deps.onBusAppend !== undefined ? { onAppend: deps.onBusAppend } : {}) });
  const tables = createTableService({ store: deps.tableStore.withChanges(changeSinks), tables: app.tables });
  const dataSources: Record<string, DataSource> = {};
  for (const def of Object.values(app.dataSources)) {
    dataSources[def.name] = createDataSource(def, {
      eventLog: deps.eventLog,
      tables,
      clock,
      logger,
      importModule,
      region: app.region,
      signerFor: (http) => {
        const sigv4 = http.sigv4;
        const key = credentials.accessKeys.find((k) => sigv4?.accessKeyId === undefined || k.accessKeyId === sigv4.accessKeyId) ?? credentials.accessKeys[0];
        if (sigv4 === undefined || key === undefined) return undefined;
        return (req) =>
          signSigV4({ method: req.method, url: req.url, headers: req.headers, body: req.body, credentials: key, region: sigv4.region ?? 'us-east-1', service: sigv4.service, now: clock.now() });
      },
    });
  }
  const runtime = await createResolverRuntime({ app, dataSources, clock, logger, importModule });
  const schema = buildAppSchema(app.schema.text, app.schema.path);
  const graphql = createGraphqlService({
    schema,
    runtime,
    auth: { defaultMode: app.auth.defaultMode, additionalModes: app.auth.additionalModes },
    maxQueryDepth: app.maxQueryDepth,
    logger,
    backendOnly: { fields: app.backendOnly, where: app.backendOnly.length === 0 ? '' : `${app.configFile}:${lineOfPath(readFileSync(app.configFile, 'utf8'), 'api.backendOnly')} api.backendOnly` },
  });
  const devIssuer = await createDevIssuer({ keyFile: join(deps.dataDir, 'dev-jwt-keys.json') });
  const lambdaAuthorizer = lambdaAuthorizerOf(app, logger);
  const authenticator = createAuthenticator({
    auth: { ...app.auth, apiKeys: credentials.apiKeys, accessKeys: credentials.accessKeys },
    clock,
    devIssuer,
    guestKey: credentials.guestKey.toString('hex'),
    ...(lambdaAuthorizer !== undefined ? { lambdaAuthorizer } : {}),
  });
  return { app, credentials, graphql, authenticator, devIssuer, tables };
}
