/**
 * Makes schedule rules fire. For every enabled rule with a `ScheduleExpression` (and at least one
 * target) it keeps the next fire time in the store; ONE timer is armed for the earliest of them,
 * so a thousand idle schedules cost one timer. When a time comes, the rule's `Scheduled Event` is
 * appended to the bus's log (see `scheduled-event.ts`; the dispatcher delivers it to that rule's
 * targets), then the next fire time is stored.
 *
 * Missed times (the process was down): a schedule whose stored time passed fires once, for that
 * time, then continues from now, as a cron daemon does, rather than firing every missed minute.
 * A crash between the append and storing the next time fires the same instant again, with the
 * same event id, which the log drops: each fire time reaches each target once from here.
 *
 * Concurrency contract: `start` once; `refresh` from anywhere (after rule changes); runs are
 * serialized (one `tick` at a time); `stop` cancels the timer and awaits the running tick.
 *
 * Cluster mode (`leadership`): only the leader fires. It starts when this node becomes leader and
 * stands down when it stops being leader (timers cancelled; a tick in flight stops before its next
 * rule; `stop` awaits it). `refresh` on a follower does nothing: rule changes made on any node
 * reach the leader through the store's `configVersion`, which it checks every `watchMs`. Across a
 * leader change each fire time still fires once: the new leader reads the stored next fire time,
 * and if the old one appended that instant's event but died before storing the next time, the new
 * one appends the same event id again (derived from rule ARN and fire time), which the log drops
 * (SQLite by its unique id, JetStream at any age by the id's subject). While an old leader's tick
 * overlaps the new leader's (it has not noticed its loss yet) both compute the same next time, so
 * the last-writer-wins `setScheduleState` stores one value.
 */
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { BusStore, EventLog, Leadership, StoredRule } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import type { ArnScope } from '../rules/index.ts';
import { nextFireTime, parseScheduleExpression } from '../schedules/index.ts';
import { leaderDuty, type LeaderDuty } from './leader-duty.ts';
import { isEnabled } from './rule-set.ts';
import { scheduledEventRecord } from './scheduled-event.ts';

export interface ScheduleServiceDeps {
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Account and region of the scheduled events' envelopes and rule ARNs. */
  readonly scope: () => ArnScope;
  /** Cluster mode: fire only while this node leads (see the file header); default always. */
  readonly leadership?: Leadership;
  /** With `leadership`: how often the leader checks `store.configVersion()` for rule changes made on other nodes; default 1,000 ms. */
  readonly watchMs?: number;
}

export interface ScheduleService {
  start(): Promise<void>;
  /** Re-reads the schedule rules (call after a rule changed); resolves when re-armed. */
  refresh(): Promise<void>;
  /** Fire times stored for enabled schedule rules, for tests and the console. */
  pending(): Promise<ReadonlyMap<string, number>>;
  stop(): Promise<void>;
}

const PAGE = 100;
/** Timers are re-armed at least this often: setTimeout cannot wait longer than ~24.8 days. */
const MAX_TIMER_MS = 60 * 60 * 1000;
/** Schedules are a default-bus feature (PutRule refuses them elsewhere). */
const SCHEDULE_BUSES = ['default'] as const;


export function createScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  let timer: Timer | undefined;
  let watcher: Timer | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  /** Set by `start` in cluster mode. */
  let duty: LeaderDuty | undefined;
  /** `configVersion` as of the last tick's start (cluster mode's watch). */
  let seen: number | undefined;
  const leading = (): boolean => deps.leadership === undefined || duty?.leading === true;

  async function scheduleRules(bus: string): Promise<StoredRule[]> {
    const out: StoredRule[] = [];
    let after = '';
    for (;;) {
      const page = await deps.store.listRules(bus, { after, limit: PAGE });
      for (const rule of page) {
        if (rule.scheduleExpression === undefined || !isEnabled(rule.state)) continue;
        if (((await deps.store.listTargets(bus, rule.name)) ?? []).length === 0) continue;
        out.push(rule);
      }
      const last = page[page.length - 1];
      if (page.length < PAGE || last === undefined) return out;
      after = last.name;
    }
  }

  /** The stored next fire time, computed and stored when absent or for a changed expression. */
  async function nextOf(bus: string, rule: StoredRule, expression: string, now: number): Promise<number | null> {
    const stored = await deps.store.getScheduleState(bus, rule.name);
    if (stored !== undefined && stored.expression === expression) return stored.nextAt;
    // A rate counts from when the rule got this expression (its last update).
    const next = nextFireTime(parseScheduleExpression(expression), now, rule.updatedAt) ?? null;
    await deps.store.setScheduleState(bus, rule.name, { expression, nextAt: next });
    return next;
  }

  /** Fires what is due, stores the next times, and answers the earliest future one. */
  async function tick(): Promise<number | undefined> {
    if (deps.leadership !== undefined) seen = deps.store.configVersion();
    let earliest: number | undefined;
    for (const bus of SCHEDULE_BUSES) {
      for (const rule of await scheduleRules(bus)) {
        if (!leading()) return earliest;
        const expression = rule.scheduleExpression ?? '';
        let schedule;
        try {
          schedule = parseScheduleExpression(expression);
        } catch (error) {
          deps.logger.log('warn', 'a stored schedule expression no longer parses; the rule does not fire', { bus, rule: rule.name, error });
          continue;
        }
        const now = deps.clock.now();
        let next = await nextOf(bus, rule, expression, now);
        if (next !== null && next <= now) {
          await deps.eventLog.append(busStream(bus), [scheduledEventRecord(deps.scope(), bus, rule.name, next, now)]);
          next = nextFireTime(schedule, Math.max(next, now), rule.updatedAt) ?? null;
          await deps.store.setScheduleState(bus, rule.name, { expression, nextAt: next });
        }
        if (next !== null && (earliest === undefined || next < earliest)) earliest = next;
      }
    }
    return earliest;
  }

  function run(): Promise<void> {
    running = running.then(async () => {
      if (stopped || !leading()) return;
      timer?.cancel();
      timer = undefined;
      let earliest: number | undefined;
      try {
        earliest = await tick();
      } catch (error) {
        deps.logger.log('error', 'schedule rules failed to fire; retried in a minute', { error });
        earliest = deps.clock.now() + 60_000;
      }
      if (stopped || !leading()) return;
      const wait = earliest === undefined ? MAX_TIMER_MS : Math.min(MAX_TIMER_MS, Math.max(0, earliest - deps.clock.now()));
      timer = deps.clock.setTimer(wait, () => void run());
    });
    return running;
  }

  /** Cluster mode, while leading: re-reads the rules when another node changed them. */
  function watch(): void {
    watcher?.cancel();
    watcher = deps.clock.setTimer(deps.watchMs ?? 1_000, () => {
      watcher = undefined;
      if (stopped || !leading()) return;
      if (deps.store.configVersion() !== seen) void run();
      watch();
    });
  }

  function standDown(): void {
    timer?.cancel();
    timer = undefined;
    watcher?.cancel();
    watcher = undefined;
  }

  return {
    start() {
      if (deps.leadership === undefined) return run();
      duty ??= leaderDuty(deps.leadership, {
        lead() {
          watch();
          void run();
        },
        standDown,
      });
      if (!duty.leading) return Promise.resolve();
      watch();
      return run();
    },
    refresh: () => (leading() ? run() : Promise.resolve()),
    async pending() {
      const out = new Map<string, number>();
      for (const bus of SCHEDULE_BUSES) {
        for (const rule of await scheduleRules(bus)) {
          const state = await deps.store.getScheduleState(bus, rule.name);
          if (state?.nextAt != null) out.set(rule.name, state.nextAt);
        }
      }
      return out;
    },
    async stop() {
      stopped = true;
      duty?.close();
      standDown();
      await running;
    },
  };
}
