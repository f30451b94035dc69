/**
 * The contract between GraphQL execution (graphql/) and the resolver runtime (resolvers/).
 * graphql/ calls `ResolverRuntime.resolve` once per field that has a configured resolver; the
 * runtime builds the APPSYNC_JS `ctx`, runs unit or pipeline code, calls data sources and returns
 * the field value or throws a `ResolverFieldError`.
 */
import type { AuthContext } from '../auth/index.ts';

/** An error as AppSync reports it in `errors[]` (top-level `errorType`, `data`, `errorInfo`). */
export interface AppSyncErrorInfo {
  readonly message: string;
  readonly errorType: string | null;
  readonly data: unknown;
  readonly errorInfo: unknown;
}

/** Thrown by `resolve` when the field fails (`util.error`, `util.unauthorized`, an exception). */
export class ResolverFieldError extends Error {
  override readonly name = 'ResolverFieldError';
  readonly errorType: string | null;
  readonly data: unknown;
  readonly errorInfo: unknown;
  constructor(info: AppSyncErrorInfo) {
    super(info.message);
    this.errorType = info.errorType;
    this.data = info.data;
    this.errorInfo = info.errorInfo;
  }
}

/** Per GraphQL request state shared by all field resolutions of that request. */
export interface RequestScope {
  readonly auth: AuthContext;
  /** Lower-cased request headers (`ctx.request.headers`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly domainName: string | null;
  readonly variables: Readonly<Record<string, unknown>>;
  /** `util.appendError` lands here, attributed to the field path; graphql/ adds them to `errors[]`. */
  readonly appendedErrors: { path: readonly (string | number)[]; error: AppSyncErrorInfo }[];
  /** Side effects resolvers asked for through `extensions` (filled by the realtime issue). */
  readonly effects: ResolverEffect[];
}

export type ResolverEffect =
  | { readonly kind: 'setSubscriptionFilter'; readonly path: readonly (string | number)[]; readonly filter: unknown }
  | { readonly kind: 'setSubscriptionInvalidationFilter'; readonly path: readonly (string | number)[]; readonly filter: unknown }
  | { readonly kind: 'invalidateSubscriptions'; readonly subscriptionField: string; readonly payload: unknown }
  | { readonly kind: 'evictFromApiCache'; readonly typeName: string; readonly fieldName: string; readonly keys: unknown };

export interface FieldInvocation {
  readonly typeName: string;
  readonly fieldName: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly source: unknown;
  readonly path: readonly (string | number)[];
  /** `ctx.info.selectionSetList` and `selectionSetGraphQL`, computed by graphql/ from the field node. */
  readonly selectionSetList: readonly string[];
  readonly selectionSetGraphQL: string;
  readonly scope: RequestScope;
}

export interface ResolverRuntime {
  /** True when the app configures a resolver for `typeName.fieldName`. */
  has(typeName: string, fieldName: string): boolean;
  /** Runs the field's resolver; resolves to the field value or rejects with `ResolverFieldError`. */
  resolve(invocation: FieldInvocation): Promise<unknown>;
}

/**
 * A data source as the runtime sees it: takes the object a `request` handler returned and yields
 * `ctx.result`, or throws a `DataSourceError` whose `type` becomes `ctx.error.type`
 * (e.g. `DynamoDB:ConditionalCheckFailedException`).
 */
export interface DataSource {
  readonly type: 'NONE' | 'TABLE' | 'EVENT_BUS' | 'HTTP' | 'FUNCTION';
  invoke(request: unknown, call: DataSourceCall): Promise<unknown>;
}

export interface DataSourceCall {
  readonly auth: AuthContext;
  readonly typeName: string;
  readonly fieldName: string;
}

export class DataSourceError extends Error {
  override readonly name = 'DataSourceError';
  /** AppSync's `ctx.error.type`, e.g. `DynamoDB:ConditionalCheckFailedException`. */
  readonly type: string;
  /** Extra data some sources expose on `ctx.result` on failure (TransactWriteItems `cancellationReasons`). */
  readonly result: unknown;
  constructor(type: string, message: string, result?: unknown) {
    super(message);
    this.type = type;
    this.result = result;
  }
}
