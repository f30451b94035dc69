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
 * `JSON.stringify(toEnvelope(entry, ctx))`, written directly: the text every target receives is
 * built without the intermediate object (PutEvents makes one per event). Same keys, same order,
 * same escaping (each string goes through `JSON.stringify`); `test/bus/envelope-to-envelope.test.ts`
 * holds the two to the same output.
 */
export function toEnvelopeText(entry: ValidatedPutEventsEntry, ctx: EnvelopeContext): string {
  const replay = ctx.replayName !== undefined ? `,"replay-name":${JSON.stringify(ctx.replayName)}` : '';
  const resources = entry.resources.length === 0 ? '[]' : JSON.stringify(entry.resources);
  return (
    `{"version":"0","id":${JSON.stringify(ctx.id)},"detail-type":${JSON.stringify(entry.detailType)},"source":${JSON.stringify(entry.source)}` +
    `,"account":${JSON.stringify(ctx.account)},"time":"${formatEventTime(entry.timeMs ?? ctx.now.getTime())}","region":${JSON.stringify(ctx.region)}` +
    `${replay},"resources":${resources},"detail":${JSON.stringify(entry.detail)}}`
  );
}

/**
 * RFC 3339 in UTC at second precision, as AWS writes `time` (`2017-12-22T18:43:48Z`).
 * Fractions of a second are dropped, not rounded, so an event never appears to come from the future.
 */
export function formatEventTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  // Events of one second share the text: most calls ask for the same second as the last one.
  if (second === lastSecond) return lastText;
  lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
  lastSecond = second;
  return lastText;
}

let lastSecond = Number.NaN;
let lastText = '';
