/**
 * A link to another Switchboard over HTTP: `SwitchboardEvents.ForwardEvents` on its EventBridge
 * endpoint, SigV4-signed (service `events`, the link's region) with the credentials the link
 * declares. Outcomes as EventBridge classifies target failures: refused credentials are
 * `NO_PERMISSIONS` and a missing bus `NO_RESOURCE` (not retried); network errors, timeouts (5 s)
 * and 5xx/429 are retried.
 */
import type { Clock } from '../../core/index.ts';
import { signSigV4 } from '../../auth/index.ts';
import type { BusLink, ForwardedEvent } from './bus-target.ts';
import type { InvokeOutcome } from './target-invoker.ts';

export interface HttpLinkConfig {
  readonly region: string;
  /** The other Switchboard's base URL, e.g. `http://10.0.0.2:4000`. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Links an event may cross before it is no longer sent on; default 1 (EventBridge's "one hop"). */
  readonly maxHops?: number;
}

const TIMEOUT_MS = 5_000;

export function createHttpLink(config: HttpLinkConfig, clock: Clock): BusLink {
  const url = new URL('/', config.endpoint);
  return {
    region: config.region,
    maxHops: config.maxHops ?? 1,
    async forward(bus: string, events: readonly ForwardedEvent[]): Promise<InvokeOutcome> {
      const body = JSON.stringify({ EventBusName: bus, Entries: events.map((e) => ({ Event: e.event, Origin: e.origin, Hops: e.hops })) });
      const headers = signSigV4({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SwitchboardEvents.ForwardEvents' },
        body,
        credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
        region: config.region,
        service: 'events',
        now: clock.now(),
      });
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        return { ok: false, code: timedOut ? 'TIMEOUT' : 'LINK_UNREACHABLE', message: `${url.origin}: ${error instanceof Error ? error.message : String(error)}`, retryable: true };
      }
      const text = await res.text();
      let answer: { __type?: string; message?: string; FailedEntryCount?: number; Entries?: { ErrorCode?: string; ErrorMessage?: string }[] } = {};
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        // Not JSON: classified by status below.
      }
      if (res.status === 200 && (answer.FailedEntryCount ?? 0) === 0) return { ok: true };
      if (res.status === 200) {
        const failed = answer.Entries?.find((e) => e.ErrorCode !== undefined);
        return { ok: false, code: 'INVALID_INPUT', message: `${failed?.ErrorCode}: ${failed?.ErrorMessage}`, retryable: false };
      }
      const message = `${config.region} answered ${res.status} ${answer.__type ?? ''}: ${answer.message ?? text.slice(0, 200)}`;
      if (res.status === 429 || res.status >= 500) return { ok: false, code: res.status === 429 ? 'THROTTLING' : 'LINK_ERROR', message, retryable: true };
      if (answer.__type === 'ResourceNotFoundException') return { ok: false, code: 'NO_RESOURCE', message, retryable: false };
      if (res.status === 400 && answer.__type !== undefined && /Signature|Client|Authentication|AccessDenied/.test(answer.__type)) {
        return { ok: false, code: 'NO_PERMISSIONS', message, retryable: false };
      }
      return { ok: false, code: 'LINK_ERROR', message, retryable: false };
    },
  };
}
