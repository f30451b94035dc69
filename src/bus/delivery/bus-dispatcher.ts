/**
 * Moves a bus's cursor over its event-log stream: reads the events after the cursor, matches them
 * against the bus's rules, and records one delivery job per (event, rule, target) in the same
 * transaction that advances the cursor. A crash before that commit re-reads the events; after
 * it, the jobs are stored. So nothing accepted is lost; duplicates are possible (at-least-once).
 *
 * Events put through the server's log are usually dispatched before that: `dispatchAppended`
 * plans their jobs inside the append's own transaction (the write right behind it), so an event,
 * its jobs and the cursor past it commit together, with no read-back and no second commit.
 *
 * Concurrency contract: one round per bus at a time (a pump, or an in-transaction dispatch and
 * what follows it); a `pump` called while one runs makes the running one go round once more
 * instead of starting a second.
 *
 * Across processes (cluster mode, every node runs a dispatcher on the shared store): both paths
 * record through `enqueuePlanned`, whose plan sees the cursor as of its own transaction (the
 * PostgreSQL store holds the cursor row `FOR UPDATE` while planning). A drain reads a page of
 * events past the cursor it read, then records only those past the cursor it finds locked: two
 * nodes draining one bus at once take turns, and the second records nothing the first did. So
 * each (event, rule, target) job is recorded once, whichever node dispatched it.
 */
import type { Clock } from '../../core/index.ts';
import type { BusStore, DeliveryJob, DeliveryPlan, EventLog, NewDeliveryJob, NewLogRecord } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import { loadRuleSet, type RuleSet } from './rule-set.ts';
import { scheduledRuleOf } from '../envelope/index.ts';

export interface BusDispatcherDeps {
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  /** Receives the jobs once they are stored. */
  readonly onJobs: (jobs: readonly DeliveryJob[]) => void;
  /** Events read per transaction; default 100. */
  readonly batchSize?: number;
}

export interface BusDispatcher {
  /** Dispatches every event appended so far to `bus:<bus>`; resolves when caught up. */
  pump(bus: string): Promise<void>;
  /**
   * Dispatches records in the transaction that appends them to `bus:<bus>`: call it in the same
   * turn, right after queuing the append, with the records and a getter for their offsets (set
   * inside the append's write; undefined if the append failed). Answers undefined when it cannot
   * (a round is running, or the bus's rules are not loaded or changed): `pump` once the append is
   * committed, as usual. Otherwise answers the round, which ends with a pump if anything came up
   * meanwhile or the plan could not be made inside the transaction.
   */
  dispatchAppended(bus: string, records: readonly NewLogRecord[], offsets: () => readonly number[] | undefined): Promise<void> | undefined;
}

export function createBusDispatcher(deps: BusDispatcherDeps): BusDispatcher {
  const batchSize = deps.batchSize ?? 100;
  const rules = new Map<string, RuleSet>();
  const active = new Map<string, Promise<void>>();
  const again = new Set<string>();
  /** Buses whose round is still in its in-transaction phase: the plans it waits for. */
  const inline = new Map<string, Promise<readonly DeliveryJob[] | undefined>[]>();

  const ruleSet = async (bus: string): Promise<RuleSet> => {
    const cached = rules.get(bus);
    if (cached !== undefined && cached.version === deps.store.configVersion()) return cached;
    const fresh = await loadRuleSet(deps.store, bus);
    rules.set(bus, fresh);
    return fresh;
  };

  /** The delivery jobs of one event, appended to `jobs`. */
  const jobsOf = (bus: string, set: RuleSet, record: NewLogRecord, now: number, jobs: NewDeliveryJob[]): void => {
    const scheduledFor = scheduledRuleOf(record.meta);
    if (scheduledFor !== undefined) {
      for (const target of set.scheduled.get(scheduledFor) ?? []) {
        jobs.push({ bus, rule: scheduledFor, targetId: target.id, target: target.config, eventId: record.id, event: record.payload, eventTime: record.time, nextAt: now });
      }
      return;
    }
    if (set.matcher.size === 0) return;
    for (const rule of set.matcher.matchText(record.payload)) {
      for (const target of set.targets.get(rule) ?? []) {
        jobs.push({ bus, rule, targetId: target.id, target: target.config, eventId: record.id, event: record.payload, eventTime: record.time, nextAt: now });
      }
    }
  };

  async function drain(bus: string): Promise<void> {
    for (;;) {
      const cursor = await deps.store.getCursor(bus);
      const records = await deps.eventLog.read(busStream(bus), cursor, batchSize);
      const last = records[records.length - 1];
      if (last === undefined) return;
      const set = await ruleSet(bus);
      const jobs: NewDeliveryJob[] = [];
      /** Where each record's jobs start in `jobs`, for a plan that finds the cursor moved. */
      const starts: number[] = [];
      const now = deps.clock.now();
      for (const record of records) {
        starts.push(jobs.length);
        jobsOf(bus, set, record, now, jobs);
      }
      const recorded = await deps.store.enqueuePlanned(bus, (locked) => {
        if (locked <= cursor) return { through: last.offset, jobs };
        // Another process recorded part (or all) of this page meanwhile: only what lies past it.
        const first = records.findIndex((r) => r.offset > locked);
        return first < 0 ? undefined : { through: last.offset, jobs: jobs.slice(starts[first]) };
      });
      if (recorded === undefined) continue;
      deps.onJobs(recorded);
      // A short page was everything up to the head: an append since then pokes the pump again,
      // so reading once more would only find nothing.
      if (records.length < batchSize) return;
    }
  }

  /** One round: `first` (if any), then drains for as long as pumps asked for one meanwhile. */
  const round = (bus: string, first?: () => Promise<boolean>): Promise<void> => {
    const loop = (async () => {
      try {
        if (first === undefined || !(await first())) again.add(bus);
        while (again.has(bus)) {
          again.delete(bus);
          await drain(bus);
        }
      } finally {
        active.delete(bus);
      }
    })();
    active.set(bus, loop);
    return loop;
  };

  /**
   * The plan for records just appended, made inside their transaction: only when they are
   * exactly what lies past the cursor (offsets `cursor + 1, cursor + 2, ...`; a repeated id keeps
   * its old offset and is skipped), else undefined and a pump reads the log as usual.
   */
  const planAppended = (bus: string, set: RuleSet, records: readonly NewLogRecord[], offsets: readonly number[] | undefined, cursor: number): DeliveryPlan | undefined => {
    if (offsets === undefined) return undefined;
    const jobs: NewDeliveryJob[] = [];
    const now = deps.clock.now();
    let next = cursor + 1;
    for (let i = 0; i < records.length; i++) {
      const offset = offsets[i] ?? 0;
      // Past `next`: a record this call does not hold comes first. Before it: a repeated id.
      if (offset > next) return undefined;
      if (offset < next) continue;
      jobsOf(bus, set, records[i] as NewLogRecord, now, jobs);
      next++;
    }
    return next === cursor + 1 ? undefined : { through: next - 1, jobs };
  };

  return {
    pump(bus) {
      const running = active.get(bus);
      if (running !== undefined) {
        again.add(bus);
        return running;
      }
      return round(bus);
    },
    dispatchAppended(bus, records, offsets) {
      const plans = inline.get(bus);
      // One round per bus, so jobs reach `onJobs` in log order. (Exactly-once dispatch does not
      // rest on it: a plan reads the cursor inside its transaction and declines unless the
      // appended records are exactly what lies past it.)
      if (active.has(bus) && plans === undefined) return undefined;
      const set = rules.get(bus);
      if (set === undefined || set.version !== deps.store.configVersion()) return undefined;
      const planned = deps.store
        .enqueuePlanned(bus, (cursor) => {
          try {
            return planAppended(bus, set, records, offsets(), cursor);
          } catch {
            // Left to the pump, which reports what is wrong with the event.
            return undefined;
          }
        })
        // A failed write failed its append too: the drain that follows finds what is left.
        .catch(() => undefined);
      if (plans !== undefined) {
        plans.push(planned);
        return active.get(bus);
      }
      const list = [planned];
      inline.set(bus, list);
      return round(bus, async () => {
        let all = true;
        try {
          // Appends queued while these commit join this round, each with its own plan.
          for (let next = list.shift(); next !== undefined; next = list.shift()) {
            const jobs = await next;
            if (jobs === undefined) all = false;
            else deps.onJobs(jobs);
          }
        } finally {
          inline.delete(bus);
        }
        return all;
      });
    },
  };
}
