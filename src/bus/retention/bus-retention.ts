/**
 * Retention of the bus streams and of the attempt log: without it both grow for as long as the
 * server runs (and, in cluster mode, JetStream's per-subject index with them).
 *
 * A bus stream is trimmed through the highest offset that nothing needs any more:
 * - older than the retention window (`retentionMs`, by the time the record was appended), which
 *   is also how long `GET /events/<id>/trace` finds the event and an `IdempotencyKey` is honoured;
 * - already dispatched: at or below the bus's delivery cursor (a job carries its event's text, so
 *   retries and dead letters need nothing from the log);
 * - outside every archive of the bus: an archive holds the events after its start offset for its
 *   `RetentionDays` (0: forever, so nothing after its start is trimmed while it exists);
 * - behind every active replay of the bus (its cursor).
 * Attempt records older than the window are deleted too. Trims go in steps
 * (`TRIM_STEP` offsets, `ATTEMPT_STEP` records), each its own short write, so a first run over a
 * large backlog never holds the embedded database for long.
 *
 * Concurrency contract: `start` once; one run at a time, every `intervalMs` (the first soon after
 * start); `stop` cancels the timer and awaits the run in flight, which checks between steps. In
 * cluster mode only the leader runs it (`leadership`), so two nodes never trim the same stream.
 */
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { BusStore, EventLog, Leadership } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import { leaderDuty } from '../delivery/index.ts';
import { offsetAtTime } from './offset-at-time.ts';

export interface BusRetentionDeps {
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long events and attempt records are kept; default 24 hours. */
  readonly retentionMs?: number;
  /** Time between runs; default 60 s (the first run comes after `firstRunMs`, default 5 s). */
  readonly intervalMs?: number;
  readonly firstRunMs?: number;
  readonly leadership?: Leadership;
}

export interface RetentionRun {
  /** Records trimmed from bus streams, by bus (only buses with some). */
  readonly trimmed: Readonly<Record<string, number>>;
  readonly attemptsDeleted: number;
}

export interface BusRetention {
  start(): void;
  /** One run now (tests, and the timer). */
  runOnce(): Promise<RetentionRun>;
  stop(): Promise<void>;
}

export const DEFAULT_EVENT_RETENTION_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;
const PAGE = 100;
const TRIM_STEP = 10_000;
const ATTEMPT_STEP = 1_000;

export function createBusRetention(deps: BusRetentionDeps): BusRetention {
  const retentionMs = deps.retentionMs ?? DEFAULT_EVENT_RETENTION_MS;
  const intervalMs = deps.intervalMs ?? 60_000;
  let timer: Timer | undefined;
  let running: Promise<RetentionRun> | undefined;
  let stopped = false;
  const duty = leaderDuty(deps.leadership, { lead: () => arm(deps.firstRunMs ?? 5_000), standDown: () => timer?.cancel() });
  const active = (): boolean => !stopped && duty.leading;

  /** The highest offset of `bus` nothing needs any more (see the file header). */
  const floorOf = async (bus: string, stream: string, now: number, replayCursors: readonly number[]): Promise<number> => {
    // No answer (nothing readable): keep everything.
    const keepFromTime = (await offsetAtTime(deps.eventLog, stream, now - retentionMs)) ?? 0;
    let floor = Math.min(await deps.store.getCursor(bus), keepFromTime - 1);
    let after = '';
    for (;;) {
      const archives = await deps.store.listArchives({ bus, after, limit: PAGE });
      for (const a of archives) {
        const keepFrom = a.retentionDays === 0 ? a.startOffset + 1 : Math.max(a.startOffset + 1, (await offsetAtTime(deps.eventLog, stream, now - a.retentionDays * DAY_MS)) ?? 0);
        floor = Math.min(floor, keepFrom - 1);
      }
      const last = archives[archives.length - 1];
      if (archives.length < PAGE || last === undefined) break;
      after = last.name;
    }
    for (const cursor of replayCursors) floor = Math.min(floor, cursor);
    return floor;
  };

  const trimBus = async (bus: string, now: number, replayCursors: readonly number[]): Promise<number> => {
    const stream = busStream(bus);
    const first = (await deps.eventLog.read(stream, 0, 1))[0];
    if (first === undefined) return 0;
    const floor = await floorOf(bus, stream, now, replayCursors);
    let through = first.offset - 1;
    let trimmed = 0;
    while (through < floor && active()) {
      const next = Math.min(floor, through + TRIM_STEP);
      await deps.eventLog.trim(stream, next);
      trimmed += next - through;
      through = next;
    }
    return trimmed;
  };

  const run = async (): Promise<RetentionRun> => {
    const now = deps.clock.now();
    const trimmed: Record<string, number> = {};
    const replays = await deps.store.activeReplays();
    let after = '';
    while (active()) {
      const buses = await deps.store.listBuses({ after, limit: PAGE });
      for (const b of buses) {
        if (!active()) break;
        const n = await trimBus(b.name, now, replays.filter((r) => r.bus === b.name).map((r) => r.cursor));
        if (n > 0) trimmed[b.name] = n;
      }
      const last = buses[buses.length - 1];
      if (buses.length < PAGE || last === undefined) break;
      after = last.name;
    }
    let attemptsDeleted = 0;
    while (active()) {
      const n = await deps.store.trimAttempts(now - retentionMs, ATTEMPT_STEP);
      attemptsDeleted += n;
      if (n < ATTEMPT_STEP) break;
    }
    return { trimmed, attemptsDeleted };
  };

  const runOnce = (): Promise<RetentionRun> => {
    running ??= run().finally(() => (running = undefined));
    return running;
  };

  function arm(ms: number): void {
    timer?.cancel();
    if (!active()) return;
    timer = deps.clock.setTimer(ms, () => {
      runOnce()
        .then((r) => {
          const total = Object.values(r.trimmed).reduce((a, n) => a + n, 0);
          if (total > 0 || r.attemptsDeleted > 0) deps.logger.log('info', 'event retention', { trimmed: r.trimmed, attemptsDeleted: r.attemptsDeleted, retentionMs });
        })
        .catch((error: unknown) => deps.logger.log('warn', 'event retention failed; retried on the next run', { error }))
        .finally(() => arm(intervalMs));
    });
  }

  return {
    start() {
      arm(deps.firstRunMs ?? 5_000);
    },
    runOnce,
    async stop() {
      stopped = true;
      timer?.cancel();
      duty.close();
      await running?.catch(() => undefined);
    },
  };
}
