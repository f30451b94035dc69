/**
 * What a push service's answer means (RFC 8030, and what FCM, Mozilla autopush and Apple do in
 * practice). Pure: the sender acts on the class.
 *
 * | status        | class       | action                                               |
 * | 2xx (201/202) | `accepted`  | done (201 = accepted for delivery, not delivered)    |
 * | 404, 410      | `gone`      | the subscription expired or was unsubscribed: delete |
 * | 413           | `too-large` | not retried (we refuse > 4096 bytes before sending)  |
 * | 429, 5xx      | `retry`     | after `Retry-After` if given, else backoff           |
 * | other         | `rejected`  | not retried: bad headers, VAPID refused (401/403)    |
 */
export type PushResponseClass =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'retry'; readonly afterMs?: number }
  | { readonly kind: 'rejected' };

/** `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a delay in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function classifyPushResponse(status: number, retryAfter: string | undefined, now: number): PushResponseClass {
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  if (status === 404 || status === 410) return { kind: 'gone' };
  if (status === 413) return { kind: 'too-large' };
  if (status === 429 || status >= 500) {
    const afterMs = parseRetryAfter(retryAfter, now);
    return afterMs === undefined ? { kind: 'retry' } : { kind: 'retry', afterMs };
  }
  return { kind: 'rejected' };
}

export interface PushRetryPolicy {
  /** Attempts in all, the first one included; default 5. */
  readonly maxAttempts: number;
  /** Ceiling of the first backoff; default 1 s, doubling per retry. */
  readonly baseDelayMs: number;
  /** Largest backoff and largest honoured `Retry-After`; default 5 min. */
  readonly maxDelayMs: number;
}

export const DEFAULT_PUSH_RETRY: PushRetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/**
 * The wait before retry number `retry` (1-based): the push service's `Retry-After` when it gave
 * one, else full jitter over an exponentially growing ceiling. `undefined`: give up (attempts
 * used up, or the wait exceeds the policy's ceiling).
 */
export function retryDelay(policy: PushRetryPolicy, retry: number, afterMs: number | undefined, random: () => number): number | undefined {
  if (retry >= policy.maxAttempts) return undefined;
  if (afterMs !== undefined) return afterMs > policy.maxDelayMs ? undefined : Math.max(1, afterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, retry - 1));
  return Math.max(1, Math.floor(random() * ceiling));
}
