/**
 * Event-bus delivery for the whole process: one dispatcher cursor per bus and one job runner.
 * Appends through the server's log are dispatched in their own transaction
 * (`dispatchAppended`), or wake a pump with `poke(bus)` once committed (see `wakeOnAppend`); a
 * slow poll (default every 5 s) catches anything a poke missed. On `start`, jobs left pending by the previous run resume.
 *
 * Concurrency contract: `start` once, then `poke` from anywhere; `stop` stops polling, cancels
 * waiting retries and awaits the pumps and attempts in flight. Stored state is consistent at any
 * crash point (see `createBusDispatcher` and `createJobRunner`).
 */
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { BusStore, DeliveryJob, EventLog, NewLogRecord } from '../../storage/index.ts';
import { createBusDispatcher } from './bus-dispatcher.ts';
import { createJobRunner } from './job-runner.ts';
import type { TargetInvoker } from './target-invoker.ts';

export interface DeliveryServiceDeps {
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly invoke: TargetInvoker;
  /** Fallback poll interval; default 5,000 ms. */
  readonly pollMs?: number;
  readonly random?: () => number;
}

export interface DeliveryService {
  start(): Promise<void>;
  poke(bus: string): void;
  /**
   * Dispatches records in the transaction that appends them (`BusDispatcher.dispatchAppended`);
   * false when it cannot, and then `poke(bus)` once the append is committed.
   */
  dispatchAppended(bus: string, records: readonly NewLogRecord[], offsets: () => readonly number[] | undefined): boolean;
  /** Runs jobs stored by someone else (a dead-letter redrive). */
  schedule(jobs: readonly DeliveryJob[]): void;
  /** Resolves when every bus is caught up (its matches recorded); for tests and shutdown. */
  settle(): Promise<void>;
  /** Jobs waiting for a retry or running. */
  readonly pendingJobs: number;
  stop(): Promise<void>;
}

const PAGE = 100;

export function createDeliveryService(deps: DeliveryServiceDeps): DeliveryService {
  const pollMs = deps.pollMs ?? 5_000;
  const runner = createJobRunner({ store: deps.store, clock: deps.clock, invoke: deps.invoke, logger: deps.logger, ...(deps.random !== undefined ? { random: deps.random } : {}) });
  const dispatcher = createBusDispatcher({ store: deps.store, eventLog: deps.eventLog, clock: deps.clock, onJobs: (jobs) => jobs.forEach((j) => runner.schedule(j)) });
  const pumps = new Set<Promise<void>>();
  let poll: Timer | undefined;
  let stopped = false;

  const track = (bus: string, round: Promise<void>): Promise<void> => {
    const p = round.catch((error: unknown) => deps.logger.log('error', 'event bus dispatch failed; retried on the next poll', { bus, error }));
    pumps.add(p);
    void p.finally(() => pumps.delete(p));
    return p;
  };
  const pump = (bus: string): Promise<void> => track(bus, dispatcher.pump(bus));

  const pumpAll = async (): Promise<void> => {
    let after = '';
    for (;;) {
      const buses = await deps.store.listBuses({ after, limit: PAGE });
      await Promise.all(buses.map((b) => pump(b.name)));
      const last = buses[buses.length - 1];
      if (buses.length < PAGE || last === undefined) return;
      after = last.name;
    }
  };

  const schedulePoll = (): void => {
    if (stopped) return;
    poll = deps.clock.setTimer(pollMs, () => {
      pumpAll()
        .catch((error: unknown) => deps.logger.log('error', 'event bus poll failed', { error }))
        .finally(schedulePoll);
    });
  };

  return {
    async start() {
      for (const job of await deps.store.pendingDeliveries()) runner.schedule(job);
      await pumpAll();
      schedulePoll();
    },
    poke(bus) {
      if (!stopped) void pump(bus);
    },
    dispatchAppended(bus, records, offsets) {
      if (stopped) return false;
      const round = dispatcher.dispatchAppended(bus, records, offsets);
      if (round === undefined) return false;
      void track(bus, round);
      return true;
    },
    schedule(jobs) {
      for (const job of jobs) runner.schedule(job);
    },
    async settle() {
      while (pumps.size > 0) await Promise.all(pumps);
    },
    get pendingJobs() {
      return runner.size;
    },
    async stop() {
      stopped = true;
      poll?.cancel();
      while (pumps.size > 0) await Promise.all(pumps);
      await runner.stop();
    },
  };
}
