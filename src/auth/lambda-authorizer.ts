/**
 * AWS_LAMBDA: an app function decides, token by token, who may call, as AppSync's Lambda
 * authorizer does. The function is a port (`LambdaAuthorizerFunction`): the composition root
 * loads it from the app's `functions/` and hands over its JSON value; this file builds AppSync's
 * event, reads the response, and caches it.
 *
 * Event: `{authorizationToken, requestContext: {apiId, accountId, requestId, queryString,
 * operationName, variables}, requestHeaders}`, the GraphQL operation read from the request the
 * transport passes (an HTTP body or GET query, a real-time `start`'s `payload.data`; a connect's
 * body `{}` gives an empty `queryString`). Response: `{isAuthorized, resolverContext?,
 * deniedFields?, ttlOverride?}`; anything else, a throw or no answer within 10 s refuses the call.
 *
 * Cache: by token alone, as AppSync (the query is not part of the key), for `ttlOverride` seconds
 * when the response gives it, else the configured `resultTtlSeconds` (0: every call invokes).
 * Refusals are cached as grants are: both are the function's answer for the token. The cache
 * holds at most `maxCachedTokens` tokens (oldest out first); expired entries go when next read.
 *
 * Concurrency contract: single-threaded; two calls with the same uncached token in flight at once
 * both invoke the function (the later answer is the one cached).
 */
import { randomUUID } from 'node:crypto';
import { ChurnMap, beforeDeadline, TIMED_OUT, type Clock } from '../core/index.ts';
import type { AuthContext, AuthOutcome, AuthRequest, LambdaIdentity } from './types.ts';

export interface LambdaAuthorizerEvent {
  readonly authorizationToken: string;
  readonly requestContext: {
    readonly apiId: string;
    readonly accountId: string;
    readonly requestId: string;
    readonly queryString: string;
    /** Absent when the request names no operation. */
    readonly operationName?: string;
    readonly variables: Readonly<Record<string, unknown>>;
  };
  readonly requestHeaders: Readonly<Record<string, string>>;
}

/**
 * Calls the app's authorizer function with the event; answers its value as Lambda returns it (its
 * JSON), or rejects when the function throws.
 */
export type LambdaAuthorizerFunction = (event: LambdaAuthorizerEvent) => Promise<unknown>;

export interface LambdaAuthorizerOptions {
  readonly invoke: LambdaAuthorizerFunction;
  readonly clock: Clock;
  /** Seconds a response is cached when it has no `ttlOverride`; 0 caches nothing. */
  readonly resultTtlSeconds: number;
  /** Tokens that do not match it as a whole are refused without invoking the function. */
  readonly identityValidationExpression?: string;
  /** `requestContext.apiId`, and the API whose field ARNs `deniedFields` may name. */
  readonly apiId: string;
  readonly accountId: string;
  /** `requestContext.requestId` per invocation; default a random UUID. */
  readonly requestId?: () => string;
  /** Default 10,000. */
  readonly maxCachedTokens?: number;
  /** How long an invocation may take before the call is refused; default 10 s, AppSync's limit. */
  readonly timeoutMs?: number;
}

export interface LambdaAuthorizer {
  authorize(token: string, req: AuthRequest): Promise<AuthOutcome>;
}

export const LAMBDA_AUTHORIZER_TIMEOUT_MS = 10_000;
const UNAUTHORIZED_MESSAGE = 'You are not authorized to make this call.';
const REFUSED: AuthOutcome = Object.freeze({ ok: false, errorType: 'UnauthorizedException', message: UNAUTHORIZED_MESSAGE });
const FIELD = /^[_A-Za-z]\w*\.[_A-Za-z]\w*$/;
const FIELD_ARN = /^arn:aws[\w-]*:appsync:[\w-]*:\d*:apis\/([^/]+)\/types\/([_A-Za-z]\w*)\/fields\/([_A-Za-z]\w*)$/;

interface CachedDecision {
  readonly outcome: AuthOutcome;
  readonly expiresAt: number;
}

export function createLambdaAuthorizer(options: LambdaAuthorizerOptions): LambdaAuthorizer {
  const { clock, apiId } = options;
  const validation = options.identityValidationExpression === undefined ? undefined : new RegExp(`^(?:${options.identityValidationExpression})$`);
  const cache = new ChurnMap<string, CachedDecision>();
  const maxCached = options.maxCachedTokens ?? 10_000;
  const timeoutMs = options.timeoutMs ?? LAMBDA_AUTHORIZER_TIMEOUT_MS;
  const requestId = options.requestId ?? randomUUID;

  function cached(token: string): AuthOutcome | undefined {
    const entry = cache.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > clock.now()) return entry.outcome;
    cache.delete(token);
    return undefined;
  }

  function remember(token: string, outcome: AuthOutcome, ttlSeconds: number): void {
    cache.delete(token);
    if (ttlSeconds <= 0) return;
    if (cache.size >= maxCached) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(token, { outcome, expiresAt: clock.now() + ttlSeconds * 1000 });
  }

  return {
    async authorize(token, req) {
      if (validation !== undefined && !validation.test(token)) return REFUSED;
      const hit = cached(token);
      if (hit !== undefined) return hit;
      const event: LambdaAuthorizerEvent = {
        authorizationToken: token,
        requestContext: requestContextOf(req, apiId, options.accountId, requestId()),
        requestHeaders: headersOf(req),
      };
      let value: unknown;
      try {
        value = await beforeDeadline(Promise.resolve().then(() => options.invoke(event)), clock, timeoutMs);
      } catch {
        return REFUSED;
      }
      const decision = value === TIMED_OUT ? undefined : decisionOf(value, apiId);
      if (decision === undefined) return REFUSED;
      remember(token, decision.outcome, decision.ttlSeconds ?? options.resultTtlSeconds);
      return decision.outcome;
    },
  };
}


/** The authorizer's response read as AppSync reads it; undefined when it is not one. */
function decisionOf(value: unknown, apiId: string): { readonly outcome: AuthOutcome; readonly ttlSeconds: number | undefined } | undefined {
  if (!isObject(value)) return undefined;
  const { isAuthorized, resolverContext, deniedFields, ttlOverride } = value;
  if (typeof isAuthorized !== 'boolean') return undefined;
  if (resolverContext !== undefined && resolverContext !== null && !isObject(resolverContext)) return undefined;
  if (deniedFields !== undefined && deniedFields !== null && !(Array.isArray(deniedFields) && deniedFields.every((f) => typeof f === 'string'))) return undefined;
  if (ttlOverride !== undefined && ttlOverride !== null && !(typeof ttlOverride === 'number' && Number.isFinite(ttlOverride) && ttlOverride >= 0)) return undefined;
  const ttlSeconds = typeof ttlOverride === 'number' ? ttlOverride : undefined;
  if (!isAuthorized) return { outcome: REFUSED, ttlSeconds };
  const identity: LambdaIdentity = Object.freeze({ resolverContext: Object.freeze(isObject(resolverContext) ? resolverContext : {}) });
  const denied = fieldsOf((deniedFields as readonly string[] | null | undefined) ?? [], apiId);
  const auth: AuthContext = denied.length === 0 ? { mode: 'AWS_LAMBDA', identity } : { mode: 'AWS_LAMBDA', identity, deniedFields: Object.freeze(denied) };
  return { outcome: Object.freeze({ ok: true, auth: Object.freeze(auth) }), ttlSeconds };
}

/**
 * `deniedFields` as `Type.field` names: short forms as they are, field ARNs
 * (`arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<Type>/fields/<field>`) of this API
 * shortened; ARNs of other APIs and anything else name no field here.
 */
function fieldsOf(entries: readonly string[], apiId: string): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    if (FIELD.test(entry)) out.push(entry);
    else {
      const arn = FIELD_ARN.exec(entry);
      if (arn !== null && arn[1] === apiId) out.push(`${arn[2]}.${arn[3]}`);
    }
  }
  return out;
}

function requestContextOf(req: AuthRequest, apiId: string, accountId: string, requestId: string): LambdaAuthorizerEvent['requestContext'] {
  const op = operationOf(req);
  return op.operationName === undefined
    ? { apiId, accountId, requestId, queryString: op.query, variables: op.variables }
    : { apiId, accountId, requestId, queryString: op.query, operationName: op.operationName, variables: op.variables };
}

/** The GraphQL operation of the request: a JSON body's, else a GET's query parameters, else none (a connect). */
function operationOf(req: AuthRequest): { query: string; operationName: string | undefined; variables: Readonly<Record<string, unknown>> } {
  let fields: { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
  try {
    const parsed: unknown = JSON.parse(req.body);
    if (isObject(parsed)) fields = parsed;
  } catch {
    // Not JSON: a GET request, or nothing to read.
  }
  if (fields?.query === undefined && req.method === 'GET') {
    const params = new URL(req.path, 'http://localhost').searchParams;
    let variables: unknown;
    try {
      variables = JSON.parse(params.get('variables') ?? 'null');
    } catch {
      variables = undefined;
    }
    fields = { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables };
  }
  return {
    query: typeof fields?.query === 'string' ? fields.query : '',
    operationName: typeof fields?.operationName === 'string' ? fields.operationName : undefined,
    variables: isObject(fields?.variables) ? fields.variables : {},
  };
}

function headersOf(req: AuthRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) out[name] = value;
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
