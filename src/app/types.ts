/**
 * The app model: what `switchboard.config.ts` declares (`AppConfig`, written by users through
 * `defineApp`) and what the loader turns it into (`AppDefinition`: validated, paths resolved, files
 * read, frozen). Every other domain reads only `AppDefinition`.
 */

export const AUTH_MODES = ['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface ApiKeyConfig {
  /** The key text (AppSync keys look like `da2-<26 chars>`). Omitted: generated at first start and kept. */
  readonly key?: string;
  /** ISO-8601 instant after which the key is refused. Omitted: never expires. */
  readonly expires?: string;
  readonly description?: string;
}

export interface AccessKeyConfig {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The IAM principal this key acts as; shows up in `ctx.identity` (`userArn`, `accountId`). */
  readonly userArn?: string;
  readonly accountId?: string;
}

export interface GuestAccessConfig {
  /** Role ARN reported in `ctx.identity.userArn` for guests (Cognito identity pool unauthenticated role). */
  readonly roleArn?: string;
  /**
   * What guests may call, as `Type.field` names with `*` wildcards (`Query.*`, `Mutation.createFlight`,
   * `Subscription.onCreateFlight`). Checked in addition to the schema's `@aws_iam` directives.
   */
  readonly allow: readonly string[];
  /** Lifetime of vended credentials, 900..43200 s (Cognito's range); default 3600. */
  readonly durationSeconds?: number;
}

export interface JwtModeConfig {
  /** Expected `iss`. For the local dev issuer leave it out: the server's own issuer is used. */
  readonly issuer?: string;
  /** JWKS URL to verify signatures; when absent, tokens must be signed by the dev keys (`switchboard token`). */
  readonly jwksUrl?: string;
  /** Accepted `aud` / `client_id` values (Cognito `appIdClientRegex` as a plain list). */
  readonly clientIds?: readonly string[];
}

export interface LambdaAuthConfig {
  /** A TypeScript handler in `functions/`, called with AppSync's Lambda-authorizer event. */
  readonly handler: string;
  readonly resultTtlSeconds?: number;
}

export interface ApiAuthConfig {
  /** The API's default mode (fields without auth directives accept only this one). */
  readonly defaultMode?: AuthMode;
  readonly additionalModes?: readonly AuthMode[];
  readonly apiKeys?: readonly ApiKeyConfig[];
  readonly accessKeys?: readonly AccessKeyConfig[];
  readonly guest?: GuestAccessConfig;
  readonly userPool?: JwtModeConfig;
  readonly oidc?: JwtModeConfig;
  readonly lambda?: LambdaAuthConfig;
}

export interface ApiConfig {
  readonly name?: string;
  /** Path of the schema file relative to the app folder; default `schema.graphql`. */
  readonly schema?: string;
  readonly auth?: ApiAuthConfig;
  /** Read-only values exposed to resolvers as `ctx.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Largest accepted query depth; default 75 (AppSync's upper bound for its query depth limit). */
  readonly maxQueryDepth?: number;
}

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexConfig {
  readonly partitionKey: string | KeyAttribute;
  readonly sortKey?: string | KeyAttribute;
}

export interface TableConfig {
  /** A string means an `S` attribute of that name. */
  readonly partitionKey: string | KeyAttribute;
  readonly sortKey?: string | KeyAttribute;
  readonly globalSecondaryIndexes?: Readonly<Record<string, IndexConfig>>;
  readonly localSecondaryIndexes?: Readonly<Record<string, { readonly sortKey: string | KeyAttribute }>>;
}

export type DataSourceConfig =
  | { readonly type: 'NONE' }
  | { readonly type: 'TABLE'; readonly table: string }
  | { readonly type: 'EVENT_BUS'; readonly bus?: string }
  | {
      readonly type: 'HTTP';
      readonly endpoint: string;
      /** SigV4-sign requests (seed 004 signs `AWSEvents.PutEvents` with service `events`). */
      readonly sigv4?: { readonly service: string; readonly region?: string; readonly accessKeyId?: string };
    }
  | { readonly type: 'FUNCTION'; readonly handler: string };

export type DataSourceType = DataSourceConfig['type'];

/** One APPSYNC_JS step: a module exporting `request(ctx)` and `response(ctx)`, bound to a data source. */
export interface FunctionStepConfig {
  readonly dataSource: string;
  readonly code: string;
}

/**
 * A field resolver. Exactly one shape:
 * - unit: `{ dataSource, code }` (APPSYNC_JS module)
 * - pipeline: `{ pipeline: [...steps], code? }` (`code` holds the before/after `request`/`response`)
 * - plain TypeScript: `{ handler: 'resolvers/x.ts' }` (default export or `resolve` export) or `{ resolve }` inline.
 */
export type ResolverConfig =
  | { readonly dataSource: string; readonly code: string }
  | { readonly pipeline: readonly (FunctionStepConfig | string)[]; readonly code?: string }
  | { readonly handler: string }
  | { readonly resolve: PlainResolver };

/** A plain TypeScript resolver; may be async and may use any Node API. */
export type PlainResolver = (ctx: PlainResolverContext) => unknown;

export interface PlainResolverContext {
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly args: Readonly<Record<string, unknown>>;
  readonly identity: unknown;
  readonly source: unknown;
  readonly stash: Record<string, unknown>;
  readonly request: { readonly headers: Readonly<Record<string, string>>; readonly domainName: string | null };
  readonly info: { readonly fieldName: string; readonly parentTypeName: string; readonly variables: Readonly<Record<string, unknown>> };
  readonly env: Readonly<Record<string, string>>;
}

export interface AppConfig {
  readonly name?: string;
  readonly api?: ApiConfig;
  readonly tables?: Readonly<Record<string, TableConfig>>;
  readonly dataSources?: Readonly<Record<string, DataSourceConfig>>;
  /** Named pipeline steps, referenced by name from `resolvers[...].pipeline`. */
  readonly functions?: Readonly<Record<string, FunctionStepConfig>>;
  /** Keyed by `Type.field`. */
  readonly resolvers?: Readonly<Record<string, ResolverConfig>>;
  /** Filled in by the event-bus issue. */
  readonly buses?: Readonly<Record<string, unknown>>;
  readonly rules?: Readonly<Record<string, unknown>>;
  /** Filled in by the workflow issue. */
  readonly workflows?: Readonly<Record<string, unknown>>;
  /** Filled in by the push issue. */
  readonly push?: Readonly<Record<string, unknown>>;
  readonly routes?: Readonly<Record<string, unknown>>;
}

/** Typed identity for `switchboard.config.ts`: `export default defineApp({...})`. */
export function defineApp<const T extends AppConfig>(config: T): T {
  return config;
}

// ---------------------------------------------------------------------------------------------
// The loaded, validated form.

export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
}

export interface TableDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes: Readonly<Record<string, { readonly partitionKey: KeyAttribute; readonly sortKey?: KeyAttribute; readonly kind: 'GSI' | 'LSI' }>>;
}

export type DataSourceDefinition = DataSourceConfig & { readonly name: string };

export interface StepDefinition {
  readonly dataSource: string;
  readonly code: SourceFile;
}

export type ResolverDefinition =
  | { readonly kind: 'UNIT'; readonly typeName: string; readonly fieldName: string; readonly dataSource: string; readonly code: SourceFile }
  | { readonly kind: 'PIPELINE'; readonly typeName: string; readonly fieldName: string; readonly steps: readonly StepDefinition[]; readonly code?: SourceFile }
  | { readonly kind: 'PLAIN'; readonly typeName: string; readonly fieldName: string; readonly handler: SourceFile }
  | { readonly kind: 'INLINE'; readonly typeName: string; readonly fieldName: string; readonly resolve: PlainResolver };

export interface AuthDefinition {
  readonly defaultMode: AuthMode;
  readonly additionalModes: readonly AuthMode[];
  readonly apiKeys: readonly { readonly key: string; readonly expires?: number; readonly description?: string }[];
  readonly accessKeys: readonly AccessKeyConfig[];
  readonly guest?: GuestAccessConfig;
  readonly userPool?: JwtModeConfig;
  readonly oidc?: JwtModeConfig;
  readonly lambda?: { readonly handler: SourceFile; readonly resultTtlSeconds: number };
}

export interface AppDefinition {
  /** Absolute path of the app folder. */
  readonly dir: string;
  readonly name: string;
  readonly configFile: string;
  readonly schema: SourceFile;
  readonly auth: AuthDefinition;
  readonly env: Readonly<Record<string, string>>;
  readonly maxQueryDepth: number;
  readonly tables: Readonly<Record<string, TableDefinition>>;
  readonly dataSources: Readonly<Record<string, DataSourceDefinition>>;
  readonly resolvers: readonly ResolverDefinition[];
  /** The raw sections later issues fill in, validated as objects only for now. */
  readonly buses: Readonly<Record<string, unknown>>;
  readonly rules: Readonly<Record<string, unknown>>;
  readonly workflows: Readonly<Record<string, unknown>>;
  readonly push: Readonly<Record<string, unknown>>;
  readonly routes: Readonly<Record<string, unknown>>;
}
