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
  /**
   * The authorizer: a handler file in `functions/` (`'functions/authorizer.ts'`), called as
   * `handler(event, context)` with AppSync's Lambda-authorizer event; it answers
   * `{isAuthorized, resolverContext?, deniedFields?, ttlOverride?}`.
   */
  readonly handler: string;
  /** Seconds a response is cached per token, 0..3600; default 0 (every request invokes the handler). */
  readonly resultTtlSeconds?: number;
  /** A regular expression the whole token must match, else it is refused without invoking the handler. */
  readonly identityValidationExpression?: string;
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
  /**
   * Root fields only the back end calls (`"Mutation.notifyOrderUpdated"`): callable with the
   * config's access keys (SigV4) and by bus rules and workflows, and absent from the schema every
   * other caller sees (introspection, validation: an unknown field to them).
   */
  readonly backendOnly?: readonly string[];
  readonly subscriptions?: SubscriptionsConfig;
}

/** Limits of the real-time endpoints; AppSync's values by default. */
export interface SubscriptionsConfig {
  /** Subscriptions one connection may hold; default 100 (AppSync). */
  readonly maxPerConnection?: number;
  /** Enhanced-filter limits, each defaulting to AppSync's (10 groups, 5 fields per group, 5 `in` values, 20 `containsAny` values, 256 characters, 5 levels). */
  readonly filterLimits?: {
    readonly maxFilterGroups?: number;
    readonly maxFieldsPerGroup?: number;
    readonly maxInValues?: number;
    readonly maxContainsAnyValues?: number;
    readonly maxStringLength?: number;
    readonly maxNestingDepth?: number;
  };
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

/** What a change record carries, as DynamoDB's `StreamViewType`. */
export const CHANGE_VIEW_TYPES = ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'] as const;
export type ChangeViewType = (typeof CHANGE_VIEW_TYPES)[number];

/**
 * Publish the table's item changes to an event bus, as a DynamoDB stream read by an EventBridge
 * Pipe whose target is the bus: each committed change becomes one `Event from aws:dynamodb` event.
 */
export interface TableChangesConfig {
  /** `default` or a bus declared in `buses`. */
  readonly bus: string;
  /** The pipe's name, in the event's `source` (`Pipe <name>`) and `resources`; default `<table>-changes`. */
  readonly pipeName?: string;
  /** Default `NEW_AND_OLD_IMAGES`. */
  readonly viewType?: ChangeViewType;
}

export interface TableConfig {
  /** A string means an `S` attribute of that name. */
  readonly partitionKey: string | KeyAttribute;
  readonly sortKey?: string | KeyAttribute;
  readonly globalSecondaryIndexes?: Readonly<Record<string, IndexConfig>>;
  readonly localSecondaryIndexes?: Readonly<Record<string, { readonly sortKey: string | KeyAttribute }>>;
  readonly changes?: TableChangesConfig;
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
  | {
      readonly type: 'FUNCTION';
      readonly handler: string;
      /**
       * How long an `Invoke` waits for the handler, in seconds, as a Lambda function's timeout:
       * 1..900, default 3 (Lambda's). Past it the call fails with Lambda's `Task timed out` error;
       * AppSync itself waits at most 30 s for a data source, whatever the function's timeout.
       */
      readonly timeoutSeconds?: number;
    };

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

export interface LinkConfig {
  /** The other Switchboard's base URL. */
  readonly endpoint: string;
  /** An access key configured on the other Switchboard. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Links an event may cross before it is no longer sent on; default 1. */
  readonly maxHops?: number;
}

export interface ConnectionConfig {
  readonly authorizationType: 'API_KEY' | 'BASIC';
  readonly apiKey?: { readonly name: string; readonly value: string };
  readonly basic?: { readonly username: string; readonly password: string };
  /** Extra headers and query parameters sent on every call (EventBridge's InvocationHttpParameters). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly queryString?: Readonly<Record<string, string>>;
}

export interface ApiDestinationConfig {
  readonly connection: string;
  /** The URL; `*` segments are filled from the target's `httpParameters.pathParameterValues`. */
  readonly endpoint: string;
  /** Default POST. */
  readonly httpMethod?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Calls per second at most (1..300 on AWS); default unlimited. */
  readonly rateLimitPerSecond?: number;
}

export const PUSH_URGENCY_VALUES = ['very-low', 'low', 'normal', 'high'] as const;

/** A VAPID identity (RFC 8292). */
export interface VapidConfig {
  /**
   * A contact for push-service operators: `mailto:you@your-domain.com` or `https://your-domain.com/...`.
   * Placeholder and local domains (example.com, localhost, .test) are refused: Apple's push service
   * rejects such a subject.
   */
  readonly subject: string;
  /**
   * base64url P-256 key pair, as `switchboard vapid` (or `web-push generate-vapid-keys`) prints it.
   * Both omitted: a pair is generated at first start and kept in the data folder (`vapid-keys.json`).
   */
  readonly publicKey?: string;
  readonly privateKey?: string;
}

export interface VapidKeyConfig extends VapidConfig {
  readonly publicKey: string;
  readonly privateKey: string;
}

export type PushUrgencyValue = (typeof PUSH_URGENCY_VALUES)[number];

/** A notification a push rule target (`arn:switchboard:push:::notification/<name>`) sends. */
export interface PushNotificationConfig {
  /** Used when the target input has no `title` / `body` / `icon`. */
  readonly title?: string;
  readonly body?: string;
  readonly icon?: string;
  /** RFC 8030 TTL: how long a push service keeps it for an offline device; default 3600. */
  readonly ttlSeconds?: number;
  /** RFC 8030 Urgency; default `normal`. */
  readonly urgency?: PushUrgencyValue;
}

export interface PushConfig {
  readonly vapid?: VapidConfig;
  /** During a key rotation, instead of `vapid`: every key subscriptions were made with, the current one first. */
  readonly keys?: readonly VapidKeyConfig[];
  /** The bus `POST /subscribe` and `POST /subscribe/order` publish to; default `default`. */
  readonly bus?: string;
  /**
   * Push services subscriptions may point at, as origin patterns (`https://*.googleapis.com`,
   * `http://127.0.0.1:*`). Default: the browsers' push services (Google, Mozilla, Apple, Microsoft).
   */
  readonly allowedEndpoints?: readonly string[];
  readonly notifications?: Readonly<Record<string, PushNotificationConfig>>;
  /** A folder of the app served at `/push/` (the subscribe page), beside the built-in `/push/sw.js`. */
  readonly page?: string;
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
  /** Event buses besides `default`, by name (`{ description? }`). */
  readonly buses?: Readonly<Record<string, unknown>>;
  /** EventBridge rules, written as in CDK (`eventPattern` or `scheduleExpression`, `targets`). */
  readonly rules?: Readonly<Record<string, unknown>>;
  /** This Switchboard's region name (bus ARNs, links); default `us-east-1`. */
  readonly region?: string;
  /** Other Switchboards, by the region they serve: event-bus targets in that region are sent there. */
  readonly links?: Readonly<Record<string, LinkConfig>>;
  /** Auth for API destinations (EventBridge connections), by name. */
  readonly connections?: Readonly<Record<string, ConnectionConfig>>;
  /** HTTP endpoints that rule targets call (`arn:aws:events:R:A:api-destination/<name>`), by name. */
  readonly apiDestinations?: Readonly<Record<string, ApiDestinationConfig>>;
  /** Filled in by the workflow issue. */
  readonly workflows?: Readonly<Record<string, unknown>>;
  /** Web Push: VAPID keys, the subscription routes, notifications sent by push rule targets. */
  readonly push?: PushConfig;
  /**
   * A folder of the app served at `/` (its web pages: `index.html`, scripts, styles), e.g.
   * `'public'`. The pages talk to the API with `/sdk/switchboard.js` (built in).
   */
  readonly site?: string;
  /**
   * Named deployments of this app, one per region, for `switchboard start --region <name>`: the
   * command sets `SWITCHBOARD_REGION=<name>` before loading this file (so the config can pick its
   * `region` and its `links` to the others) and listens on the entry's `port` unless `--port` is given.
   */
  readonly regions?: Readonly<Record<string, RegionProfileConfig>>;
  readonly routes?: Readonly<Record<string, unknown>>;
}

export interface RegionProfileConfig {
  readonly region: string;
  readonly port?: number;
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
  /** Present when the table publishes its changes; defaults filled in. */
  readonly changes?: { readonly bus: string; readonly pipeName: string; readonly viewType: ChangeViewType };
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
  readonly lambda?: { readonly handler: SourceFile; readonly resultTtlSeconds: number; readonly identityValidationExpression?: string };
}

export interface PushNotificationDefinition {
  readonly title?: string;
  readonly body?: string;
  readonly icon?: string;
  readonly ttlSeconds: number;
  readonly urgency: PushUrgencyValue;
}

export interface PushDefinition {
  /** The current key first. A key without `publicKey`/`privateKey` is generated in the data folder. */
  readonly keys: readonly VapidConfig[];
  readonly bus: string;
  readonly allowedEndpoints: readonly string[];
  readonly notifications: Readonly<Record<string, PushNotificationDefinition>>;
  /** Absolute path of the page folder. */
  readonly page?: string;
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
  /** `Type.field` root fields hidden from every caller but the back end (`api.backendOnly`). */
  readonly backendOnly: readonly string[];
  readonly subscriptions: { readonly maxPerConnection: number; readonly filterLimits: NonNullable<SubscriptionsConfig['filterLimits']> };
  readonly tables: Readonly<Record<string, TableDefinition>>;
  readonly dataSources: Readonly<Record<string, DataSourceDefinition>>;
  readonly resolvers: readonly ResolverDefinition[];
  /** The raw sections later issues fill in, validated as objects only for now. */
  readonly buses: Readonly<Record<string, unknown>>;
  readonly rules: Readonly<Record<string, unknown>>;
  readonly region: string;
  readonly links: Readonly<Record<string, LinkConfig>>;
  readonly connections: Readonly<Record<string, ConnectionConfig>>;
  readonly apiDestinations: Readonly<Record<string, ApiDestinationConfig>>;
  readonly workflows: Readonly<Record<string, unknown>>;
  /** Present when the app declares `push`. */
  readonly push?: PushDefinition;
  /** Absolute path of the folder served at `/`, when the app declares `site`. */
  readonly site?: string;
  readonly regions: Readonly<Record<string, RegionProfileConfig>>;
  readonly routes: Readonly<Record<string, unknown>>;
}
