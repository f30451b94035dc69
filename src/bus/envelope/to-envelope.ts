import type { EventEnvelope } from './event-envelope.ts';
import type { ValidatedPutEventsEntry } from './validate-put-events-entry.ts';

export interface EnvelopeContext {
  /** The event id (a UUID v4 in AWS); injected so tests and replays are deterministic. */
  readonly id: string;
  /** The PutEvents call time, used when the entry has no `Time`. */
  readonly now: Date;
  readonly account: string;
  readonly region: string;
  /** Set only when a replay re-injects an archived event. */
  readonly replayName?: string;
}

/** Builds the envelope targets receive. Pure: id and time come from the caller. */
export function toEnvelope(entry: ValidatedPutEventsEntry, ctx: EnvelopeContext): EventEnvelope {
  // Literal construction keeps AWS's key order; `replay-name` sits between region and resources.
  return {
    version: '0',
    id: ctx.id,
    'detail-type': entry.detailType,
    source: entry.source,
    account: ctx.account,
    time: formatEventTime(entry.timeMs ?? ctx.now.getTime()),
    region: ctx.region,
    ...(ctx.replayName !== undefined ? { 'replay-name': ctx.replayName } : {}),
    resources: entry.resources,
    detail: entry.detail,
  };
}

/**
 * RFC 3339 in UTC at second precision, as AWS writes `time` (`2017-12-22T18:43:48Z`).
 * Fractions of a second are dropped, not rounded, so an event never appears to come from the future.
 */
export function formatEventTime(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs / 1000) * 1000).toISOString();
  return `${iso.slice(0, 19)}Z`;
}
