/**
 * Ids for event-log records (PutEvents event ids, subscription topic messages) and for Standard
 * executions started without a name: UUID version 7 (RFC 9562 §5.7), so ids taken in order sort
 * in order. The event log keeps a unique index by id (per-id dedupe, `find`); random v4 ids land
 * on a random leaf of that index, so past a few hundred thousand events every appended event
 * dirties a page of its own, and each commit writes that many pages to the WAL. Time-ordered ids
 * land on the rightmost leaf: a batch of events dirties one or two index pages. AWS's event ids
 * are v4; clients treat them as opaque strings (docs/bus-api.md, deviations).
 *
 * Layout: 48-bit Unix ms | version 7 | 12-bit counter (RFC 9562 method 1: ids taken in the same
 * millisecond count up; on overflow the timestamp is advanced by one) | variant | 62 random bits.
 * Time comes from the injected `Clock`; a clock that steps back never makes ids go back.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';

const COUNTER_LIMIT = 0x1000;

export function createTimeOrderedIdGenerator(clock: Clock, random: () => string = randomUUID): () => string {
  let lastMs = -1;
  let counter = 0;
  let prefix = '';
  return () => {
    const now = clock.now();
    if (now > lastMs) {
      lastMs = now;
      counter = 0;
      prefix = timePrefix(now);
    } else if (++counter === COUNTER_LIMIT) {
      lastMs += 1;
      counter = 0;
      prefix = timePrefix(lastMs);
    }
    // A v4 UUID's last 17 characters are `-` + variant + 62 random bits: kept as they are.
    return `${prefix}7${counter.toString(16).padStart(3, '0')}${random().slice(18)}`;
  };
}

/** `tttttttt-tttt-` from 48 bits of milliseconds. */
function timePrefix(ms: number): string {
  const hex = Math.floor(ms).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-`;
}
