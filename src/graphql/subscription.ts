/**
 * Subscriptions as AppSync runs them, the GraphQL half:
 * - `prepareSubscription`: at subscribe time, validate the document (cached), check it is one
 *   subscription field, check field auth, coerce the arguments, run the subscription resolver if
 *   one is configured (it may deny, or set filters through `extensions`), and return a prepared
 *   subscription whose `project(payload)` executes the subscriber's selection over a published
 *   payload. Nested field resolvers are NOT run at publish (AppSync fans out the mutation result).
 * - `triggersOf`: which subscription fields each mutation field fires (`@aws_subscribe`).
 */
import {
  execute as executeDocument,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  Kind,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { AuthContext } from '../auth/index.ts';
import { ResolverFieldError, type RequestScope, type ResolverEffect, type ResolverRuntime } from '../resolvers/index.ts';
import { isAllowed, type RuleTable } from './auth-rules.ts';
import type { DocumentCache, WireError } from './document-cache.ts';
import { executionMessage, variableMessage } from './error-messages.ts';
import { fragmentsOf, selectionInfo } from './selection.ts';
import type { GraphqlRequest, RequestMeta } from './service.ts';

export interface PreparedSubscription {
  readonly fieldName: string;
  /** Coerced arguments as the client gave them. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Arguments the client gave explicitly as `null` (AppSync: they match only null fields). */
  readonly explicitNull: ReadonlySet<string>;
  /** What the subscription resolver asked for (`setSubscriptionFilter`, invalidation filters). */
  readonly effects: readonly ResolverEffect[];
  /** Key of everything that shapes the delivered bytes except filters: equal keys share one execution. */
  readonly shapeKey: string;
  /** Executes the subscriber's selection over a published payload: the `payload` of a `data` frame. */
  project(payload: unknown): Promise<{ readonly data: unknown; readonly errors?: readonly WireError[] }>;
}

export type SubscribeOutcome = { readonly ok: true; readonly subscription: PreparedSubscription } | { readonly ok: false; readonly errors: readonly WireError[] };

export interface SubscriptionDeps {
  readonly schema: GraphQLSchema;
  readonly cache: DocumentCache;
  readonly rules: RuleTable;
  readonly runtime: ResolverRuntime;
  readonly guestAllowed: (auth: AuthContext, typeName: string, fieldName: string) => boolean;
  /** Prepared subscriptions to share, by shape key (`preparedSubscriptions`). */
  readonly prepared?: PreparedSubscriptions;
}

/**
 * Subscriptions prepared already, by shape key (document, operation, variables, auth shape), for
 * fields with no subscription resolver: an identical subscription (the common case: thousands of
 * clients of one app send the same document) shares the prepared one instead of coercing its
 * variables, reading its arguments and building its projection again, and the connection keeps
 * no copy of its own. Only the field's authorization runs again, for the new identity. A field
 * with a resolver is prepared every time: the resolver may answer differently per identity.
 * Bounded: the oldest entry goes when it is full.
 */
export class PreparedSubscriptions {
  private readonly entries = new Map<string, PreparedSubscription>();

  constructor(private readonly capacity = 1024) {}

  get(shapeKey: string): PreparedSubscription | undefined {
    return this.entries.get(shapeKey);
  }

  set(subscription: PreparedSubscription): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(subscription.shapeKey, subscription);
  }
}

/** `Mutation.<field>` → subscription fields whose `@aws_subscribe(mutations: [...])` lists it. */
export function triggersOf(schema: GraphQLSchema): ReadonlyMap<string, readonly string[]> {
  const map = new Map<string, string[]>();
  const sub = schema.getSubscriptionType();
  for (const field of Object.values(sub?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const arg = directive?.arguments?.find((a) => a.name.value === 'mutations');
    if (arg?.value.kind !== Kind.LIST) continue;
    for (const v of arg.value.values) {
      if (v.kind !== Kind.STRING) continue;
      map.set(v.value, [...(map.get(v.value) ?? []), field.name]);
    }
  }
  return map;
}

function authKey(auth: AuthContext): string {
  const groups = (auth.identity as { groups?: readonly string[] | null } | null)?.groups ?? [];
  // Denied fields (AWS_LAMBDA) change what a subscriber may see: such subscribers share a group only with the same list.
  return `${auth.mode}|${[...groups].sort().join(',')}|${auth.guestAllow?.join(',') ?? ''}|${auth.deniedFields?.join(',') ?? ''}`;
}

const shapeKeyOf = (request: GraphqlRequest, auth: AuthContext): string =>
  `${request.operationName ?? ''}\u0000${request.query}\u0000${JSON.stringify(request.variables ?? {})}\u0000${authKey(auth)}`;

/** The refusal when the field's rules, the guest role or the Lambda authorizer's denied fields do not allow `auth`, else undefined. */
function refusal(deps: SubscriptionDeps, subType: GraphQLObjectType, fieldName: string, auth: AuthContext): SubscribeOutcome | undefined {
  const denied = auth.deniedFields !== undefined && auth.deniedFields.includes(`${subType.name}.${fieldName}`);
  if (!denied && isAllowed(deps.rules.get(subType)?.get(fieldName), auth) && deps.guestAllowed(auth, subType.name, fieldName)) return undefined;
  return { ok: false, errors: [{ errorType: 'Unauthorized', message: `Not Authorized to access ${fieldName} on type ${subType.name}` }] };
}

export async function prepareSubscription(deps: SubscriptionDeps, request: GraphqlRequest, meta: RequestMeta): Promise<SubscribeOutcome> {
  const shapeKey = shapeKeyOf(request, meta.auth);
  const shared = deps.prepared?.get(shapeKey);
  if (shared !== undefined) {
    // Everything but the authorization of this identity is as the first subscriber's.
    return refusal(deps, deps.schema.getSubscriptionType() as GraphQLObjectType, shared.fieldName, meta.auth) ?? { ok: true, subscription: shared };
  }
  const prepared = deps.cache.prepare(request.query);
  if (!prepared.ok) return { ok: false, errors: prepared.errors };
  const document = prepared.document;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (operation === null || operation === undefined) return { ok: false, errors: [{ message: 'Must provide operation name if query contains multiple operations.' }] };
  if (operation.operation !== 'subscription') {
    return { ok: false, errors: [{ errorType: 'UnsupportedOperation', message: `${operation.operation} not supported through the realtime channel` }] };
  }
  const subType = deps.schema.getSubscriptionType() as GraphQLObjectType;
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename');
  const node = fields[0];
  if (fields.length !== 1 || node === undefined) return { ok: false, errors: [{ message: 'Validation error of type SubscriptionMultipleRootFields: Subscription operations must have exactly one root field' }] };
  const fieldName = node.name.value;
  const fieldDef = subType.getFields()[fieldName];
  if (fieldDef === undefined) return { ok: false, errors: [{ message: `Validation error of type FieldUndefined: Field '${fieldName}' in type '${subType.name}' is undefined @ '${fieldName}'` }] };
  const refused = refusal(deps, subType, fieldName, meta.auth);
  if (refused !== undefined) return refused;
  let args: Record<string, unknown>;
  const variables = request.variables ?? {};
  try {
    // Coerce variables the way execution would, then read this field's arguments.
    const coerced = await coerce(deps.schema, document, request, variables);
    if ('errors' in coerced) return { ok: false, errors: coerced.errors };
    args = getArgumentValues(fieldDef, node, coerced.values);
  } catch (error) {
    return { ok: false, errors: [{ message: variableMessage(error instanceof Error ? error.message : String(error)) }] };
  }
  const explicitNull = new Set<string>();
  for (const a of node.arguments ?? []) {
    if (a.value.kind === Kind.NULL || (a.value.kind === Kind.VARIABLE && variables[a.value.name.value] === null)) explicitNull.add(a.name.value);
  }
  const fragments = fragmentsOf(document);

  const scope: RequestScope = { auth: meta.auth, headers: meta.headers, domainName: meta.domainName, variables, appendedErrors: [], effects: [] };
  const resolved = deps.runtime.has(subType.name, fieldName);
  if (resolved) {
    const selection = selectionInfo(node, fragments, fieldDef.type);
    try {
      await deps.runtime.resolve({ typeName: subType.name, fieldName, arguments: args, source: null, path: [node.alias?.value ?? fieldName], selectionSetList: selection.list, selectionSetGraphQL: selection.graphql, scope });
    } catch (error) {
      if (error instanceof ResolverFieldError) return { ok: false, errors: [{ errorType: error.errorType ?? undefined, message: error.message, data: error.data, errorInfo: error.errorInfo }] };
      throw error;
    }
  }

  const rootKey = node.alias?.value ?? fieldName;
  const auth = meta.auth;
  const publishResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _ctx, info) => {
    if (info.parentType === subType) return (source as Record<string, unknown>)[info.fieldName];
    const r = deps.rules.get(info.parentType)?.get(info.fieldName);
    if (!isAllowed(r, auth) || auth.deniedFields?.includes(`${info.parentType.name}.${info.fieldName}`) === true) throw new ResolverFieldError({ message: `Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`, errorType: 'Unauthorized', data: null, errorInfo: null });
    if (source !== null && typeof source === 'object') return (source as Record<string, unknown>)[info.fieldName];
    return undefined;
  };
  const subscription: PreparedSubscription = {
    fieldName,
    args,
    explicitNull,
    effects: scope.effects,
    shapeKey,
    async project(payload) {
      const result = await executeDocument({
        schema: deps.schema,
        document,
        rootValue: { [fieldName]: payload },
        variableValues: variables,
        ...(request.operationName ? { operationName: request.operationName } : {}),
        fieldResolver: publishResolver,
      });
      const data = result.data === undefined || result.data === null ? null : result.data;
      if (result.errors === undefined || result.errors.length === 0) return { data };
      return {
        data: data ?? { [rootKey]: null },
        errors: result.errors.map((e) => {
          const path = e.path ? [...e.path] : undefined;
          const original = e.originalError;
          if (original instanceof ResolverFieldError) return { path, errorType: original.errorType ?? undefined, message: original.message } as WireError;
          return { message: executionMessage(e.message, path, deps.schema), ...(path ? { path } : {}) };
        }),
      };
    },
  };
  if (!resolved) deps.prepared?.set(subscription);
  return { ok: true, subscription };
}

async function coerce(schema: GraphQLSchema, document: DocumentNode, request: GraphqlRequest, variables: Record<string, unknown>): Promise<{ values: Record<string, unknown> } | { errors: WireError[] }> {
  const operation = getOperationAST(document, request.operationName ?? undefined);
  const result = getVariableValues(schema, operation?.variableDefinitions ?? [], variables, { maxErrors: 20 });
  if (result.errors !== undefined) return { errors: result.errors.map((e) => ({ message: variableMessage(e.message) })) };
  return { values: result.coerced };
}
