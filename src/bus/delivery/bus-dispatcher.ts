/**
 * Moves a bus's cursor over its event-log stream: reads the events after the cursor, matches them
 * against the bus's rules, and records one delivery job per (event, rule, target) in the same
 * transaction that advances the cursor. A crash before that commit re-reads the events; after
 * it, the jobs are stored. So nothing accepted is lost; duplicates are possible (at-least-once).
 *
 * Concurrency contract: one pump per bus at a time; a `pump` called while one runs makes the
 * running one go round once more instead of starting a second.
 */
import type { Clock } from '../../core/index.ts';
import type { BusStore, DeliveryJob, EventLog, NewDeliveryJob } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import { parseEventText } from '../patterns/index.ts';
import { loadRuleSet, type RuleSet } from './rule-set.ts';
import { scheduledRuleOf } from './scheduled-event.ts';

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
}

export function createBusDispatcher(deps: BusDispatcherDeps): BusDispatcher {
  const batchSize = deps.batchSize ?? 100;
  const rules = new Map<string, RuleSet>();
  const active = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const ruleSet = async (bus: string): Promise<RuleSet> => {
    const cached = rules.get(bus);
    if (cached !== undefined && cached.version === deps.store.configVersion()) return cached;
    const fresh = await loadRuleSet(deps.store, bus);
    rules.set(bus, fresh);
    return fresh;
  };

  async function drain(bus: string): Promise<void> {
    for (;;) {
      const cursor = await deps.store.getCursor(bus);
      const records = await deps.eventLog.read(busStream(bus), cursor, batchSize);
      const last = records[records.length - 1];
      if (last === undefined) return;
      const set = await ruleSet(bus);
      const jobs: NewDeliveryJob[] = [];
      const now = deps.clock.now();
      for (const record of records) {
        const scheduledFor = scheduledRuleOf(record.meta);
        if (scheduledFor !== undefined) {
          for (const target of set.scheduled.get(scheduledFor) ?? []) {
            jobs.push({ bus, rule: scheduledFor, targetId: target.id, target: target.config, eventId: record.id, event: record.payload, eventTime: record.time, nextAt: now });
          }
          continue;
        }
        for (const rule of set.matcher.match(parseEventText(record.payload))) {
          for (const target of set.targets.get(rule) ?? []) {
            jobs.push({ bus, rule, targetId: target.id, target: target.config, eventId: record.id, event: record.payload, eventTime: record.time, nextAt: now });
          }
        }
      }
      deps.onJobs(await deps.store.enqueueDeliveries(bus, last.offset, jobs));
    }
  }

  return {
    pump(bus) {
      const running = active.get(bus);
      if (running !== undefined) {
        again.add(bus);
        return running;
      }
      const loop = (async () => {
        try {
          do {
            again.delete(bus);
            await drain(bus);
          } while (again.has(bus));
        } finally {
          active.delete(bus);
        }
      })();
      active.set(bus, loop);
      return loop;
    },
  };
}
