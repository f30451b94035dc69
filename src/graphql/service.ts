/**
 * GraphQL execution for queries and mutations: prepared documents from the cache, field-level
 * authorization, resolvers through the `ResolverRuntime`, and AppSync's response shapes
 * (`errors[]` entries with top-level `errorType`, `data`, `errorInfo`, `locations` with
 * `sourceName`). Transport-neutral: `http.ts` (and later the WebSocket protocols) call `execute`.
 */
import {
  execute as executeDocument,
  getOperationAST,
  GraphQLError,
  GraphQLObjectType,
  Kind,
  responsePathAsArray,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { AuthMode } from '../app/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { type Logger, merged } from '../core/index.ts';
import { ResolverFieldError, type FieldInvocation, type RequestScope, type ResolverEffect, type ResolverRuntime } from '../resolvers/index.ts';
import { isBackendCaller, publicSchemaOf } from './backend-only.ts';
import { allowListMatcher, buildRuleTable, isAllowed, type FieldRule } from './auth-rules.ts';
import { createDocumentCache, locationsOf, type WireError } from './document-cache.ts';
import { executionMessage, variableMessage } from './error-messages.ts';
import { InternalFieldError } from './internal-field-error.ts';
import { fragmentsOf, mergedSelectionInfo } from './selection.ts';
import { PreparedSubscriptions, prepareSubscription, triggersOf, type SubscribeOutcome } from './subscription.ts';

export interface GraphqlRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  readonly operationName?: string | null;
}

export interface RequestMeta {
  readonly auth: AuthContext;
  readonly headers: Readonly<Record<string, string>>;
  readonly domainName: string | null;
}

export interface ExecutionOutcome {
  /** 200 for executed (even with field errors) and validation failures; 400 for syntax errors. */
  readonly status: number;
  readonly body: { readonly data?: unknown; readonly errors?: readonly WireError[]; readonly extensions?: unknown };
  readonly operation?: 'query' | 'mutation' | 'subscription';
  /** What resolvers asked for through `extensions` (subscription filters, invalidations). */
  readonly effects: readonly ResolverEffect[];
  /** Mutations only: each root field's result as the mutation's own selection projected it (what subscribers receive). */
  readonly mutationResults?: readonly { readonly fieldName: string; readonly value: unknown }[];
}

export interface GraphqlService {
  readonly schema: GraphQLSchema;
  execute(request: GraphqlRequest, meta: RequestMeta): Promise<ExecutionOutcome>;
  /** Validates and prepares a subscription (runs its subscription resolver, if any). */
  subscribe(request: GraphqlRequest, meta: RequestMeta): Promise<SubscribeOutcome>;
  /** The operation type a request would run, `undefined` when the document is invalid. */
  operationType(request: GraphqlRequest): 'query' | 'mutation' | 'subscription' | undefined;
  /** `mutationField` → subscription fields it triggers (`@aws_subscribe`). */
  readonly triggers: ReadonlyMap<string, readonly string[]>;
}

export interface GraphqlServiceOptions {
  readonly schema: GraphQLSchema;
  readonly runtime: ResolverRuntime;
  readonly auth: { readonly defaultMode: AuthMode; readonly additionalModes: readonly AuthMode[] };
  readonly maxQueryDepth: number;
  readonly logger: Logger;
  /**
   * Root fields only the back end sees (`api.backendOnly`, `backend-only.ts`); every other caller
   * is served the public schema without them. `where` names the config entry in errors.
   */
  readonly backendOnly?: { readonly fields: readonly string[]; readonly where: string };
}

interface ExecContext {
  readonly scope: RequestScope;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly guest: ((typeName: string, fieldName: string) => boolean) | undefined;
}

interface FieldPlan {
  readonly rule: FieldRule | undefined;
  /** A root field (guest allow-lists name root fields only). */
  readonly root: boolean;
  /** `Type.field`, as AWS_LAMBDA `deniedFields` name it. */
  readonly key: string;
  /** The runtime has a resolver for it; otherwise the source's property is read. */
  readonly resolved: boolean;
}

function unauthorized(typeName: string, fieldName: string): ResolverFieldError {
  return new ResolverFieldError({ message: `Not Authorized to access ${fieldName} on type ${typeName}`, errorType: 'Unauthorized', data: null, errorInfo: null });
}

export function createGraphqlService(options: GraphqlServiceOptions): GraphqlService {
  const full = createSchemaService(options);
  const hidden = options.backendOnly;
  if (hidden === undefined || hidden.fields.length === 0) return full;
  const open = createSchemaService(merged(options, { schema: publicSchemaOf(options.schema, hidden.fields, hidden.where) }));
  // `schema`, `triggers` and `operationType` are the whole schema's: the server's own callers
  // (admin publish, bus targets) and the mutation → subscription triggers need all of it.
  return {
    schema: full.schema,
    triggers: full.triggers,
    operationType: full.operationType,
    execute: (request, meta) => (isBackendCaller(meta.auth) ? full : open).execute(request, meta),
    subscribe: (request, meta) => (isBackendCaller(meta.auth) ? full : open).subscribe(request, meta),
  };
}

function createSchemaService(options: GraphqlServiceOptions): GraphqlService {
  const { schema, runtime, logger } = options;
  const cache = createDocumentCache(schema, { maxDepth: options.maxQueryDepth });
  const rules = buildRuleTable(schema, options.auth.defaultMode);
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => t != null));
  const guestMatchers = new Map<readonly string[], (t: string, f: string) => boolean>();

  // What the resolver needs to know about a field, looked up once per schema field instead of
  // per resolved field (a rule lookup, a `Type.field` key and a runtime lookup each time).
  const fieldPlans = new Map<GraphQLObjectType, Map<string, FieldPlan>>();
  const planOf = (parent: GraphQLObjectType, fieldName: string): FieldPlan => {
    let byField = fieldPlans.get(parent);
    if (byField === undefined) {
      byField = new Map();
      fieldPlans.set(parent, byField);
    }
    let plan = byField.get(fieldName);
    if (plan === undefined) {
      plan = { rule: rules.get(parent)?.get(fieldName), root: roots.has(parent), key: `${parent.name}.${fieldName}`, resolved: runtime.has(parent.name, fieldName) };
      byField.set(fieldName, plan);
    }
    return plan;
  };

  const fieldResolver: GraphQLFieldResolver<unknown, ExecContext> = (source, args, context, info) => {
    const parent = info.parentType;
    const plan = planOf(parent, info.fieldName);
    const auth = context.scope.auth;
    if (!isAllowed(plan.rule, auth) || (context.guest !== undefined && plan.root && !context.guest(parent.name, info.fieldName)) || auth.deniedFields?.includes(plan.key)) {
      throw unauthorized(parent.name, info.fieldName);
    }
    if (plan.resolved) {
      const selection = mergedSelectionInfo(info.fieldNodes, context.fragments, info.returnType);
      return invokeResolver(runtime, {
        typeName: parent.name,
        fieldName: info.fieldName,
        arguments: args,
        source,
        path: responsePathAsArray(info.path),
        selectionSetList: selection.list,
        selectionSetGraphQL: selection.graphql,
        scope: context.scope,
      });
    }
    if (source !== null && typeof source === 'object') {
      const value = (source as Record<string, unknown>)[info.fieldName];
      if (typeof value !== 'function') return value;
      try {
        return (value as (a: unknown) => unknown).call(source, args);
      } catch (error) {
        throw new InternalFieldError(error);
      }
    }
    return undefined;
  };

  /** The guest allow-list as a matcher, compiled once per list. */
  const guestMatcher = (auth: AuthContext): ExecContext['guest'] => {
    if (auth.guestAllow === undefined) return undefined;
    let m = guestMatchers.get(auth.guestAllow);
    if (m === undefined) {
      m = allowListMatcher(auth.guestAllow);
      guestMatchers.set(auth.guestAllow, m);
    }
    return m;
  };
  const guestAllowed = (auth: AuthContext, typeName: string, fieldName: string): boolean => guestMatcher(auth)?.(typeName, fieldName) ?? true;
  const triggers = triggersOf(schema);
  const subscriptionDeps = { schema, cache, rules, runtime, guestAllowed, prepared: new PreparedSubscriptions() };

  return {
    schema,
    triggers,
    operationType(request) {
      const prepared = cache.prepare(request.query);
      if (!prepared.ok) return undefined;
      return getOperationAST(prepared.document, request.operationName ?? undefined)?.operation;
    },
    subscribe: (request, meta) => prepareSubscription(subscriptionDeps, request, meta),
    async execute(request, meta) {
      const prepared = cache.prepare(request.query);
      if (!prepared.ok) {
        return prepared.kind === 'syntax'
          ? { status: 400, body: { errors: prepared.errors.map((e) => merged(e, { errorType: 'MalformedHttpRequestException' })) }, effects: [] }
          : { status: 200, body: { data: null, errors: prepared.errors }, effects: [] };
      }
      const document = prepared.document;
      const operation = getOperationAST(document, request.operationName ?? undefined);
      if (operation === null || operation === undefined) {
        const message = request.operationName ? `Unknown operation named '${request.operationName}'.` : 'Must provide operation name if query contains multiple operations.';
        return { status: 200, body: { data: null, errors: [{ message, path: null }] }, effects: [] };
      }
      if (operation.operation === 'subscription') {
        return {
          status: 200,
          operation: 'subscription',
          body: { data: null, errors: [{ errorType: 'OperationNotSupported', message: 'Subscriptions are served over WebSocket: /graphql/realtime (AppSync protocol) or /graphql (graphql-transport-ws).' }] },
          effects: [],
        };
      }
      const fragments = fragmentsOf(document);
      const scope: RequestScope = { auth: meta.auth, headers: meta.headers, domainName: meta.domainName, variables: request.variables ?? {}, appendedErrors: [], effects: [] };
      const guest = guestMatcher(meta.auth);
      const result = await executeDocument({
        schema,
        document,
        variableValues: request.variables ?? undefined,
        ...(request.operationName ? { operationName: request.operationName } : {}),
        contextValue: { scope, fragments, guest } satisfies ExecContext,
        fieldResolver,
      });
      const errors: WireError[] = [];
      const executed = result.data !== undefined;
      for (const e of result.errors ?? []) errors.push(formatError(e, executed, schema, logger));
      for (const appended of scope.appendedErrors) {
        errors.push({ path: [...appended.path], data: appended.error.data, errorType: appended.error.errorType ?? undefined, errorInfo: appended.error.errorInfo, locations: [], message: appended.error.message });
      }
      const body = errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null };
      if (operation.operation !== 'mutation' || result.data === null || result.data === undefined) {
        return { status: 200, operation: operation.operation, body, effects: scope.effects };
      }
      const data = result.data as Record<string, unknown>;
      const mutationResults = operation.selectionSet.selections.flatMap((sel) => {
        if (sel.kind !== Kind.FIELD) return [];
        const value = data[sel.alias?.value ?? sel.name.value];
        return value === null || value === undefined ? [] : [{ fieldName: sel.name.value, value }];
      });
      return { status: 200, operation: operation.operation, body, effects: scope.effects, mutationResults };
    },
  };
}

/** Resolver code either fails on purpose (`ResolverFieldError`) or unexpectedly (wrapped, see `InternalFieldError`). */
function invokeResolver(runtime: ResolverRuntime, invocation: FieldInvocation): Promise<unknown> {
  try {
    return runtime.resolve(invocation).then(undefined, asFieldError);
  } catch (error) {
    return asFieldError(error);
  }
}

function asFieldError(error: unknown): never {
  throw error instanceof ResolverFieldError ? error : new InternalFieldError(error);
}

function formatError(error: GraphQLError, executed: boolean, schema: GraphQLSchema, logger: Logger): WireError {
  const original = error.originalError;
  const path = error.path ? [...error.path] : null;
  const locations = locationsOf(error) ?? [];
  if (original instanceof ResolverFieldError) {
    return { path, data: original.data ?? null, errorType: original.errorType ?? undefined, errorInfo: original.errorInfo ?? null, locations, message: original.message };
  }
  if (!executed) return { path: null, locations, message: variableMessage(error.message) };
  if (original instanceof InternalFieldError) {
    // Not raised on purpose: log it, and do not leak internals onto the wire.
    logger.log('error', 'field execution failed', { path, error: original.cause });
    return { path, locations, errorType: 'InternalFailure', message: original.message };
  }
  // graphql-js's own completion errors (non-null violations, serialization): AppSync's words.
  const message = executionMessage(error.message, path ?? undefined, schema);
  return message === error.message ? { path, locations, message } : { path, locations: null, message };
}
