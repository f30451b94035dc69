/**
 * One retention pass over the bus: without it the bus streams and the attempt log grow for as
 * long as the server runs (and, in cluster mode, JetStream's per-subject index with them).
 *
 * A bus stream is trimmed through the highest offset that nothing needs any more:
 * - older than the retention window (`retentionMs`, by the time the record was appended), which
 *   is also how long `GET /events/<id>/trace` finds the event and an `IdempotencyKey` is honoured;
 * - already dispatched: at or below the bus's delivery cursor (a job carries its event's text, so
 *   retries and dead letters need nothing from the log);
 * - outside every archive of the bus: an archive holds the events after its start offset for its
 *   `RetentionDays` (0: forever, so nothing after its start is trimmed while it exists);
 * - behind every active replay of the bus (its cursor).
 * Attempt records older than the window are deleted too. Trims go in steps (`TRIM_STEP`
 * offsets, `ATTEMPT_STEP` records), each its own short write, so a first pass over a large
 * backlog never holds the embedded database for long; `active()` is checked between steps.
 *
 * Concurrency contract: one pass at a time per store (the caller's schedule, `server/retention.ts`,
 * runs it on one node in cluster mode).
 */
import type { BusStore, EventLog } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import { offsetAtTime } from './offset-at-time.ts';

export interface BusTrimResult {
  /** Records trimmed from bus streams, by bus (only buses with some). */
  readonly trimmed: Readonly<Record<string, number>>;
  readonly attemptsDeleted: number;
}

export const DEFAULT_EVENT_RETENTION_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;
const PAGE = 100;
const TRIM_STEP = 10_000;
const ATTEMPT_STEP = 1_000;

export async function trimBusStreams(deps: { readonly store: BusStore; readonly eventLog: EventLog }, now: number, retentionMs: number, active: () => boolean = () => true): Promise<BusTrimResult> {
  const { store, eventLog } = deps;

  /** The highest offset of `bus` nothing needs any more (see the file header), at most `cursor`. */
  const floorOf = async (bus: string, stream: string, cursor: number, replayCursors: readonly number[]): Promise<number> => {
    // No answer (nothing readable): keep everything.
    const keepFromTime = (await offsetAtTime(eventLog, stream, now - retentionMs)) ?? 0;
    let floor = Math.min(cursor, keepFromTime - 1);
    let after = '';
    for (;;) {
      const archives = await store.listArchives({ bus, after, limit: PAGE });
      for (const a of archives) {
        const keepFrom = a.retentionDays === 0 ? a.startOffset + 1 : Math.max(a.startOffset + 1, (await offsetAtTime(eventLog, stream, now - a.retentionDays * DAY_MS)) ?? 0);
        floor = Math.min(floor, keepFrom - 1);
      }
      const last = archives[archives.length - 1];
      if (archives.length < PAGE || last === undefined) break;
      after = last.name;
    }
    for (const cursor of replayCursors) floor = Math.min(floor, cursor);
    return floor;
  };

  const trimBus = async (bus: string, replayCursors: readonly number[]): Promise<number> => {
    const stream = busStream(bus);
    const first = (await eventLog.read(stream, 0, 1))[0];
    // Nothing older than the window, or nothing dispatched yet: no search needed (the usual case
    // once a backlog is trimmed, as this runs every minute).
    if (first === undefined || first.time >= now - retentionMs) return 0;
    const cursor = await store.getCursor(bus);
    if (cursor < first.offset) return 0;
    const floor = await floorOf(bus, stream, cursor, replayCursors);
    let through = first.offset - 1;
    let trimmed = 0;
    while (through < floor && active()) {
      const next = Math.min(floor, through + TRIM_STEP);
      await eventLog.trim(stream, next);
      trimmed += next - through;
      through = next;
    }
    return trimmed;
  };

  const trimmed: Record<string, number> = {};
  const replays = await store.activeReplays();
  let after = '';
  while (active()) {
    const buses = await store.listBuses({ after, limit: PAGE });
    for (const b of buses) {
      if (!active()) break;
      const n = await trimBus(b.name, replays.filter((r) => r.bus === b.name).map((r) => r.cursor));
      if (n > 0) trimmed[b.name] = n;
    }
    const last = buses[buses.length - 1];
    if (buses.length < PAGE || last === undefined) break;
    after = last.name;
  }
  let attemptsDeleted = 0;
  while (active()) {
    const n = await store.trimAttempts(now - retentionMs, ATTEMPT_STEP);
    attemptsDeleted += n;
    if (n < ATTEMPT_STEP) break;
  }
  return { trimmed, attemptsDeleted };
}
