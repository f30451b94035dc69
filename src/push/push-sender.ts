/**
 * Sending one push message to one subscription (RFC 8030 §5): encrypt (RFC 8291), sign (VAPID,
 * cached per origin), POST with `TTL`, `Urgency` and `Topic`, then act on the answer
 * (`push-response.ts`): 429 and 5xx (and network errors) are retried after `Retry-After` or a
 * backoff, on the injected `Clock`, as long as the message's TTL has not run out. `send` never
 * throws for a message's failure: it answers an outcome, and every outcome is counted.
 *
 * Concurrency contract: `send` calls run concurrently and share nothing but the counters, the
 * VAPID token caches and the ephemeral key source. `close` cancels the waits of messages being retried (they
 * end `failed`) and drops its own key source; it does not close the transport.
 */
import { randomFillSync } from 'node:crypto';
import { isSwitchboardError, type Clock, type Timer } from '../core/index.ts';
import { encryptPushMessage } from './encrypt-push-message.ts';
import { createEphemeralKeySource, type EphemeralKeySource } from './ephemeral-key.ts';
import type { PushTransport } from './http-transport.ts';
import { classifyPushResponse, DEFAULT_PUSH_RETRY, retryDelay, type PushRetryPolicy } from './push-response.ts';
import type { UserAgentKeys } from './user-agent-keys.ts';
import type { VapidAuthorizer } from './vapid-authorizer.ts';

export const PUSH_URGENCIES = ['very-low', 'low', 'normal', 'high'] as const;
export type PushUrgency = (typeof PUSH_URGENCIES)[number];

/** One subscription, decoded once (the registry keeps these per stored subscription). */
export interface PushRecipient {
  readonly endpoint: URL;
  /** `endpoint.origin`: the VAPID audience. */
  readonly origin: string;
  readonly keys: UserAgentKeys;
  /** Signs with the VAPID key the subscription was made with. */
  readonly vapid: VapidAuthorizer;
}

export interface PushMessageOptions {
  /** RFC 8030 §5.2: how long the push service keeps an undelivered message; also the retry horizon. */
  readonly ttlSeconds: number;
  readonly urgency?: PushUrgency;
  /** RFC 8030 §5.4: a newer message with the same topic replaces an undelivered one (≤ 32 base64url characters). */
  readonly topic?: string;
  readonly padding?: number;
}

export type PushOutcome =
  | { readonly kind: 'sent'; readonly status: number; readonly attempts: number; readonly location?: string }
  | { readonly kind: 'gone'; readonly status: number; readonly attempts: number }
  | { readonly kind: 'too-large'; readonly attempts: number; readonly message: string }
  | { readonly kind: 'rejected'; readonly status: number; readonly attempts: number; readonly message: string }
  | { readonly kind: 'failed'; readonly attempts: number; readonly message: string; readonly status?: number };

export type PushOutcomeKind = PushOutcome['kind'];
export const PUSH_OUTCOMES: readonly PushOutcomeKind[] = ['sent', 'gone', 'too-large', 'rejected', 'failed'];

export type PushStats = Readonly<Record<PushOutcomeKind | 'retries', number>>;

export interface PushSenderOptions {
  readonly transport: PushTransport;
  readonly clock: Clock;
  readonly retry?: Partial<PushRetryPolicy>;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
  /** Per-message key pairs; default one source of this sender's own. */
  readonly keys?: EphemeralKeySource;
  /** Called once per finished message (metrics). */
  readonly onOutcome?: (outcome: PushOutcome) => void;
  /** Called before each retry wait. */
  readonly onRetry?: (status: number | undefined, delayMs: number) => void;
}

export interface PushSender {
  send(to: PushRecipient, payload: Uint8Array | string | null, options: PushMessageOptions): Promise<PushOutcome>;
  /** Counts since creation: one per finished message by outcome, plus retries. */
  stats(): PushStats;
  close(): void;
}

const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;
const SALTS_PER_FILL = 256;

/** Salts are cut from a buffer filled 4 KB at a time: one `randomFill` per 256 messages. */
function saltSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at >= pool.length) {
      pool = randomFillSync(Buffer.allocUnsafe(16 * SALTS_PER_FILL));
      at = 0;
    }
    const salt = pool.subarray(at, at + 16);
    at += 16;
    return salt;
  };
}

export function createPushSender(options: PushSenderOptions): PushSender {
  const policy: PushRetryPolicy = { ...DEFAULT_PUSH_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const keys = options.keys ?? createEphemeralKeySource();
  const salt = saltSource();
  const counts: Record<PushOutcomeKind | 'retries', number> = { sent: 0, gone: 0, 'too-large': 0, rejected: 0, failed: 0, retries: 0 };
  const waits = new Set<{ readonly timer: Timer; readonly wake: () => void }>();
  let closed = false;

  const finish = (outcome: PushOutcome): PushOutcome => {
    counts[outcome.kind]++;
    options.onOutcome?.(outcome);
    return outcome;
  };

  /** Resolves false when the sender closed during the wait. */
  const wait = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const entry = {
        timer: options.clock.setTimer(ms, () => {
          waits.delete(entry);
          resolve(!closed);
        }),
        wake: () => resolve(false),
      };
      waits.add(entry);
    });

  async function send(to: PushRecipient, payload: Uint8Array | string | null, message: PushMessageOptions): Promise<PushOutcome> {
    if (!Number.isInteger(message.ttlSeconds) || message.ttlSeconds < 0) throw new RangeError(`TTL must be a whole number of seconds >= 0, got ${message.ttlSeconds}`);
    if (message.topic !== undefined && !TOPIC.test(message.topic)) throw new RangeError(`Topic must be 1-32 base64url characters (RFC 8030 §5.4), got ${JSON.stringify(message.topic)}`);
    const started = options.clock.now();
    let body: Buffer | null = null;
    if (payload !== null) {
      const plaintext = typeof payload === 'string' ? Buffer.from(payload) : payload;
      try {
        body = encryptPushMessage(plaintext, to.keys, { ephemeral: keys.take(), salt: salt(), ...(message.padding !== undefined ? { padding: message.padding } : {}) });
      } catch (error) {
        if (isSwitchboardError(error, 'SB_PUSH_PAYLOAD_TOO_LARGE')) return finish({ kind: 'too-large', attempts: 0, message: error.message });
        throw error;
      }
    }
    const headers: Record<string, string> = {
      ttl: String(message.ttlSeconds),
      urgency: message.urgency ?? 'normal',
      'content-length': String(body?.length ?? 0),
      ...(body !== null ? { 'content-type': 'application/octet-stream', 'content-encoding': 'aes128gcm' } : {}),
      ...(message.topic !== undefined ? { topic: message.topic } : {}),
    };
    const deadline = started + message.ttlSeconds * 1000;

    for (let attempt = 1; ; attempt++) {
      headers['authorization'] = to.vapid.authorization(to.origin);
      let status: number | undefined;
      let afterMs: number | undefined;
      let problem: string;
      try {
        const res = await options.transport({ url: to.endpoint, headers, body });
        status = res.status;
        const verdict = classifyPushResponse(res.status, res.retryAfter, options.clock.now());
        const detail = `${to.origin} answered ${res.status}${res.body !== '' ? `: ${res.body.slice(0, 200)}` : ''}`;
        switch (verdict.kind) {
          case 'accepted':
            return finish({ kind: 'sent', status: res.status, attempts: attempt, ...(res.location !== undefined ? { location: res.location } : {}) });
          case 'gone':
            return finish({ kind: 'gone', status: res.status, attempts: attempt });
          case 'too-large':
            return finish({ kind: 'too-large', attempts: attempt, message: detail });
          case 'rejected':
            return finish({ kind: 'rejected', status: res.status, attempts: attempt, message: detail });
          case 'retry':
            afterMs = verdict.afterMs;
            problem = detail;
        }
      } catch (error) {
        problem = `${to.origin}: ${error instanceof Error ? error.message : String(error)}`;
      }
      const delay = retryDelay(policy, attempt, afterMs, random);
      const gaveUp = (why: string): PushOutcome => finish({ kind: 'failed', attempts: attempt, message: `${problem}; ${why}`, ...(status !== undefined ? { status } : {}) });
      if (delay === undefined) return gaveUp(attempt >= policy.maxAttempts ? `gave up after ${attempt} attempts` : `Retry-After of ${afterMs} ms is beyond ${policy.maxDelayMs} ms`);
      if (options.clock.now() + delay > deadline) return gaveUp(`the message's TTL of ${message.ttlSeconds} s runs out before the next attempt`);
      if (closed) return gaveUp('the sender was closed');
      counts.retries++;
      options.onRetry?.(status, delay);
      if (!(await wait(delay))) return gaveUp('the sender was closed');
    }
  }

  return {
    send,
    stats: () => ({ ...counts }),
    close() {
      closed = true;
      for (const w of waits) {
        w.timer.cancel();
        w.wake();
      }
      waits.clear();
      if (options.keys === undefined) keys.close();
    },
  };
}
