/**
 * The composition root: loads nothing by itself, takes a loaded `AppDefinition`, opens storage,
 * builds every domain and the HTTP server, and returns a handle that stops it all in order.
 * This is the only place that picks storage adapters.
 */
import { join } from 'node:path';
import { systemClock, type Clock, type Logger } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import { openDatabase, createSqliteEventLog, eventLogMigrations, createSqliteTableStore, tablesMigrations } from '../storage/index.ts';
import { tsImport } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { createTableService } from '../tables/index.ts';
import { createResolverRuntime, createDataSource, type DataSource } from '../resolvers/index.ts';
import { createAuthenticator, createDevIssuer, signSigV4 } from '../auth/index.ts';
import { buildAppSchema, createGraphqlService } from '../graphql/index.ts';
import { resolveCredentials, type ActiveCredentials } from './dev-credentials.ts';
import { createHttpServer, listen, type RunningHttpServer } from './http-server.ts';
import { MetricsRegistry } from './metrics.ts';
import { buildRoutes, tooLargeResponse } from './routes.ts';

export interface SwitchboardOptions {
  readonly app: AppDefinition;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Largest accepted request body; default 5 MiB. */
  readonly maxBodyBytes?: number;
  /** Serve `/auth/dev-token` (mint JWTs for test users); default true. */
  readonly devEndpoints?: boolean;
  readonly fsync?: boolean;
}

export interface RunningSwitchboard {
  readonly url: string;
  readonly port: number;
  readonly credentials: ActiveCredentials;
  readonly http: RunningHttpServer;
  readonly metrics: MetricsRegistry;
  stop(): Promise<void>;
}

export async function startSwitchboard(options: SwitchboardOptions): Promise<RunningSwitchboard> {
  const { app, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = new MetricsRegistry();
  const credentials = resolveCredentials(app, options.dataDir);

  const db = openDatabase({ path: join(options.dataDir, 'switchboard.db'), fsync: options.fsync ?? false }, [eventLogMigrations, tablesMigrations]);
  const eventLog = createSqliteEventLog(db);
  const tableStore = createSqliteTableStore(db);

  const tables = createTableService({ store: tableStore, tables: app.tables });
  const importModule = async (path: string): Promise<Record<string, unknown>> => (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;

  const dataSources: Record<string, DataSource> = {};
  for (const def of Object.values(app.dataSources)) {
    dataSources[def.name] = createDataSource(def, {
      eventLog,
      tables,
      clock,
      logger,
      importModule,
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
  });

  const devIssuer = await createDevIssuer({ keyFile: join(options.dataDir, 'dev-jwt-keys.json') });
  const authenticator = createAuthenticator({
    auth: { ...app.auth, apiKeys: credentials.apiKeys, accessKeys: credentials.accessKeys },
    clock,
    devIssuer,
    guestKey: credentials.guestKey.toString('hex'),
  });

  const routes = buildRoutes({ app, graphql, authenticator, devIssuer, metrics, clock, devEndpoints: options.devEndpoints ?? true });
  const server = createHttpServer({ routes, logger, metrics, maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024, tooLarge: tooLargeResponse });
  const http = await listen(server, options.port, options.host);
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${http.port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port: http.port,
    credentials,
    http,
    metrics,
    stop() {
      stopped ??= (async () => {
        await http.close();
        db.close();
      })();
      return stopped;
    },
  };
}
