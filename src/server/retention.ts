/**
 * When retention runs: one pass over the bus (`trimBusStreams`: bus streams and attempt records
 * older than the event retention that nothing needs) and one over the workflow store
 * (`deleteClosedExecutions`: executions ended longer ago than the execution retention), soon
 * after start and then every `intervalMs`. In cluster mode only the leader runs it (the bus
 * leadership), so two nodes never trim the same stream; a node that becomes leader runs it soon.
 *
 * Concurrency contract: `start` once; one run at a time; `stop` cancels the timer and awaits the
 * run in flight, whose passes check between their steps and end early. A failed run is logged
 * and the next one comes an interval later.
 */
import type { Clock, Logger, Timer } from '../core/index.ts';
import type { BusStore, EventLog, Leadership, WorkflowStore } from '../storage/index.ts';
import { leaderDuty, trimBusStreams, DEFAULT_EVENT_RETENTION_MS, type BusTrimResult } from '../bus/index.ts';
import { deleteClosedExecutions, DEFAULT_EXECUTION_RETENTION_MS } from '../workflows/index.ts';

export interface RetentionDeps {
  readonly busStore: BusStore;
  readonly eventLog: EventLog;
  readonly workflowStore: WorkflowStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Bus events and attempt records; default 24 h; `Infinity`: kept forever. */
  readonly eventRetentionMs?: number;
  /** Ended workflow executions; default 90 days; `Infinity`: kept forever. */
  readonly executionRetentionMs?: number;
  /** Between runs; default 60 s, the first `firstRunMs` (default 5 s) after start or after becoming leader. */
  readonly intervalMs?: number;
  readonly firstRunMs?: number;
  readonly leadership?: Leadership;
}

export interface RetentionRun extends BusTrimResult {
  readonly executionsDeleted: number;
}

export interface Retention {
  start(): void;
  /** One run now (tests; the timer uses it too). */
  runOnce(): Promise<RetentionRun>;
  stop(): Promise<void>;
}

export function createRetention(deps: RetentionDeps): Retention {
  const eventMs = deps.eventRetentionMs ?? DEFAULT_EVENT_RETENTION_MS;
  const executionMs = deps.executionRetentionMs ?? DEFAULT_EXECUTION_RETENTION_MS;
  const intervalMs = deps.intervalMs ?? 60_000;
  const firstRunMs = deps.firstRunMs ?? 5_000;
  let timer: Timer | undefined;
  let running: Promise<RetentionRun> | undefined;
  let stopped = false;
  const duty = leaderDuty(deps.leadership, { lead: () => arm(firstRunMs), standDown: () => timer?.cancel() });
  const active = (): boolean => !stopped && duty.leading;

  const run = async (): Promise<RetentionRun> => {
    const now = deps.clock.now();
    const bus = Number.isFinite(eventMs) ? await trimBusStreams({ store: deps.busStore, eventLog: deps.eventLog }, now, eventMs, active) : { trimmed: {}, attemptsDeleted: 0 };
    const executionsDeleted = Number.isFinite(executionMs) && active() ? await deleteClosedExecutions(deps.workflowStore, now, executionMs, active) : 0;
    return { ...bus, executionsDeleted };
  };

  const runOnce = (): Promise<RetentionRun> => {
    if (!active()) return Promise.resolve({ trimmed: {}, attemptsDeleted: 0, executionsDeleted: 0 });
    running ??= run().finally(() => (running = undefined));
    return running;
  };

  function arm(ms: number): void {
    timer?.cancel();
    if (!active()) return;
    timer = deps.clock.setTimer(ms, () => {
      runOnce()
        .then((r) => {
          if (Object.keys(r.trimmed).length > 0 || r.attemptsDeleted > 0 || r.executionsDeleted > 0) deps.logger.log('info', 'retention', { ...r });
        })
        .catch((error: unknown) => deps.logger.log('warn', 'retention failed; retried on the next run', { error }))
        .finally(() => arm(intervalMs));
    });
  }

  return {
    start: () => arm(firstRunMs),
    runOnce,
    async stop() {
      stopped = true;
      timer?.cancel();
      duty.close();
      await running?.catch(() => undefined);
    },
  };
}
