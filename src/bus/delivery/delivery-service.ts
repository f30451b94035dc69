/**
 * Event-bus delivery for the whole process: one dispatcher cursor per bus and one job runner.
 * Appends through the server's log are dispatched in their own transaction
 * (`dispatchAppended`), or wake a pump with `poke(bus)` once committed (see `wakeOnAppend`); a
 * slow poll (default every 5 s) catches anything a poke missed. On `start`, jobs left pending by the previous run resume.
 *
 * Concurrency contract: `start` once, then `poke` from anywhere; `stop` stops polling, cancels
 * waiting retries and awaits the pumps and attempts in flight. Stored state is consistent at any
 * crash point (see `createBusDispatcher` and `createJobRunner`).
 *
 * Cluster mode (`claims`): every node dispatches (the dispatcher records each job once, see
 * `bus-dispatcher.ts`) and runs the jobs it recorded itself, from memory, as in embedded mode (its
 * store marks them as its own for a lease). What it must not do is run every stored job at start:
 * other live nodes run theirs. So `start` reads no `pendingDeliveries()`; instead it claims due
 * jobs whose lease ran out (a dead node's, or its own previous run's) now and every `intervalMs`,
 * and runs them. The runner ignores a job it already holds (waiting or running), so a job claimed
 * while this node still runs it is not run twice here. A clean `stop` hands the node's jobs back
 * (`release`) once its attempts in flight are over, so the other nodes take them when they are
 * due rather than when their leases run out.
 *
 * With an append feed (cluster mode: a JetStream durable consumer per bus stream, shared by the
 * nodes), every append reaches one node as a wake-up: that node pumps the bus from its cursor and
 * acks; if the pump fails, or the node dies first, the feed hands the batch to a node again after
 * a backoff. So events whose appending node died before recording their jobs are dispatched by
 * another node at once, not at the next poll. Usually the appending node dispatched them inline
 * and the pump finds the cursor already past them (one cursor read per batch). The poll stays,
 * as the net under the feed.
 */
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { AppendFeed, BusStore, DeliveryJob, EventLog, NewLogRecord } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
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
  /** Cluster mode: where pending jobs come from instead of `pendingDeliveries()` at start (see the file header). */
  readonly claims?: DeliveryClaimSource;
  /** Cluster mode: wakes one node per append of any node (see the file header). */
  readonly feed?: AppendFeed;
}

/**
 * Due jobs that no live node holds, claimed for this node (e.g. the PostgreSQL bus store's
 * `claimDueDeliveries(node, now, leaseMs, limit)`, with the store opened with `owner: { node, leaseMs }`).
 */
export interface DeliveryClaimSource {
  claimDue(now: number, limit: number): Promise<readonly DeliveryJob[]>;
  /** How often to claim; default 2,000 ms. */
  readonly intervalMs?: number;
  /** Hands back every job this node holds (called by a clean `stop`, after the last attempt). */
  release?(): Promise<void>;
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
/** Jobs claimed per query, and the most held (waiting or running) before claiming more. */
const CLAIM_PAGE = 100;
const MAX_HELD = 1_000;

export function createDeliveryService(deps: DeliveryServiceDeps): DeliveryService {
  const pollMs = deps.pollMs ?? 5_000;
  const runner = createJobRunner({ store: deps.store, clock: deps.clock, invoke: deps.invoke, logger: deps.logger, ...(deps.random !== undefined ? { random: deps.random } : {}) });
  const dispatcher = createBusDispatcher({ store: deps.store, eventLog: deps.eventLog, clock: deps.clock, onJobs: (jobs) => jobs.forEach((j) => runner.schedule(j)) });
  const pumps = new Set<Promise<void>>();
  let poll: Timer | undefined;
  let claimTimer: Timer | undefined;
  let claiming: Promise<void> | undefined;
  let stopped = false;

  const track = (bus: string, round: Promise<void>): Promise<void> => {
    const p = round.catch((error: unknown) => deps.logger.log('error', 'event bus dispatch failed; retried on the next poll', { bus, error }));
    pumps.add(p);
    void p.finally(() => pumps.delete(p));
    return p;
  };
  const pump = (bus: string): Promise<void> => track(bus, dispatcher.pump(bus));

  /** Buses this node follows on the feed, and how to stop; follows of deleted buses being stopped. */
  const following = new Map<string, { stop(): Promise<void> }>();
  const unfollowing = new Set<Promise<void>>();
  const follow = (bus: string): void => {
    if (deps.feed === undefined || stopped || following.has(bus)) return;
    following.set(
      bus,
      deps.feed.follow(busStream(bus), () => {
        // The feed acks only if the round succeeded: a failed one comes again after a backoff.
        const round = dispatcher.pump(bus);
        void track(bus, round);
        return round;
      }),
    );
  };

  const pumpAll = async (): Promise<void> => {
    let after = '';
    const listed = new Set<string>();
    for (;;) {
      const buses = await deps.store.listBuses({ after, limit: PAGE });
      for (const b of buses) {
        listed.add(b.name);
        follow(b.name);
      }
      await Promise.all(buses.map((b) => pump(b.name)));
      const last = buses[buses.length - 1];
      if (buses.length < PAGE || last === undefined) break;
      after = last.name;
    }
    // A deleted bus is followed no more.
    for (const [bus, f] of following) {
      if (listed.has(bus)) continue;
      following.delete(bus);
      const done: Promise<void> = f.stop().finally(() => unfollowing.delete(done));
      unfollowing.add(done);
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

  /** Claims pages of due jobs until none is left or this node holds enough. */
  const claimRound = async (claims: DeliveryClaimSource): Promise<void> => {
    while (!stopped && runner.size < MAX_HELD) {
      const jobs = await claims.claimDue(deps.clock.now(), CLAIM_PAGE);
      if (stopped) return;
      for (const job of jobs) runner.schedule(job);
      if (jobs.length < CLAIM_PAGE) return;
    }
  };

  const scheduleClaims = (claims: DeliveryClaimSource): void => {
    if (stopped) return;
    claimTimer = deps.clock.setTimer(claims.intervalMs ?? 2_000, () => {
      claiming = claimRound(claims)
        .catch((error: unknown) => deps.logger.log('error', 'claiming event bus deliveries failed; retried', { error }))
        .finally(() => {
          claiming = undefined;
          scheduleClaims(claims);
        });
    });
  };

  return {
    async start() {
      if (deps.claims === undefined) {
        for (const job of await deps.store.pendingDeliveries()) runner.schedule(job);
      } else {
        await claimRound(deps.claims);
        scheduleClaims(deps.claims);
      }
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
      claimTimer?.cancel();
      await Promise.all([...following.values()].map((f) => f.stop()).concat([...unfollowing]));
      following.clear();
      await claiming;
      while (pumps.size > 0) await Promise.all(pumps);
      await runner.stop();
      await deps.claims?.release?.().catch((error: unknown) => deps.logger.log('warn', 'handing back event bus deliveries failed; other nodes take them when their leases run out', { error }));
    },
  };
}
