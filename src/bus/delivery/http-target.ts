/**
 * The API destination target (`arn:aws:events:R:A:api-destination/<name>`): an HTTP call to an
 * endpoint declared in the app (`apiDestinations` with a `connection` giving its auth), as
 * EventBridge makes it (research/eventbridge.md §4.6): the target input as the body, headers
 * `User-Agent: Amazon/EventBridge/ApiDestinations` and `Content-Type: application/json;
 * charset=utf-8`, the connection's auth and parameters (which win over the target's
 * `HttpParameters`), `*` in the URL filled from `PathParameterValues`, a 5 s timeout.
 * 429, 5xx and timeouts are retried; other statuses outside 2xx are not. Calls beyond the
 * destination's rate are deferred to the next free slot (not counted as attempts).
 */
import { type Clock, merged } from '../../core/index.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { targetRef } from './target-arn.ts';
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';

export interface ApiDestination {
  readonly name: string;
  readonly endpoint: string;
  readonly httpMethod: string;
  readonly rateLimitPerSecond?: number;
  /** From the connection: auth and invocation headers, query parameters. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

export interface HttpTargetDeps {
  readonly destinationFor: (name: string) => ApiDestination | undefined;
  readonly clock: Clock;
  readonly timeoutMs?: number;
}

const TIMEOUT_MS = 5_000;
const BASE_HEADERS = { 'user-agent': 'Amazon/EventBridge/ApiDestinations', 'content-type': 'application/json; charset=utf-8' } as const;

function fillPath(endpoint: string, values: readonly string[]): string {
  let i = 0;
  return endpoint.replace(/\*/g, () => encodeURIComponent(values[i++] ?? ''));
}

const lowerKeys = (o: Readonly<Record<string, string>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

export function createHttpTarget(deps: HttpTargetDeps): TargetInvoker {
  const limiters = new Map<string, { readonly rate: number; readonly limiter: RateLimiter }>();
  const limiterFor = (d: ApiDestination): RateLimiter | undefined => {
    if (d.rateLimitPerSecond === undefined) return undefined;
    let entry = limiters.get(d.name);
    if (entry === undefined || entry.rate !== d.rateLimitPerSecond) {
      entry = { rate: d.rateLimitPerSecond, limiter: createRateLimiter(d.rateLimitPerSecond, deps.clock) };
      limiters.set(d.name, entry);
    }
    return entry.limiter;
  };

  return async (target, input): Promise<InvokeOutcome> => {
    const ref = targetRef(target);
    const destination = ref.kind === 'api-destination' ? deps.destinationFor(ref.name) : undefined;
    if (destination === undefined) return { ok: false, code: 'NO_RESOURCE', message: `No API destination for ${target.arn} (declare it in apiDestinations)`, retryable: false };
    const wait = limiterFor(destination)?.reserve() ?? 0;
    if (wait > 0) return { ok: false, code: 'THROTTLING', message: `rate limit of ${destination.rateLimitPerSecond}/s`, retryable: true, deferUntil: wait };

    const params = target.httpParameters;
    const url = new URL(fillPath(destination.endpoint, params?.pathParameterValues ?? []));
    for (const [k, v] of Object.entries(merged(params?.queryStringParameters, destination.query))) url.searchParams.set(k, v);
    const headers = merged(merged(lowerKeys(params?.headerParameters), lowerKeys(destination.headers)), BASE_HEADERS);
    const method = destination.httpMethod.toUpperCase();
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: input }), signal: AbortSignal.timeout(deps.timeoutMs ?? TIMEOUT_MS) });
      await res.arrayBuffer();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return { ok: false, code: timedOut ? 'TIMEOUT' : 'SDK_CLIENT_ERROR', message: `${method} ${url.origin}${url.pathname}: ${error instanceof Error ? error.message : String(error)}`, retryable: true };
    }
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const retryable = res.status === 429 || res.status >= 500;
    return { ok: false, code: retryable && res.status === 429 ? 'THROTTLING' : 'HTTP_ERROR', message: `${method} ${url.origin}${url.pathname} answered ${res.status}`, retryable };
  };
}
