/**
 * Runs replays: a replay is a cursor over its archive's bus stream, from the archive's start to
 * the stream's head when the replay started. Each page of events is filtered (the archive's
 * pattern and retention, `time` within [EventStartTime, EventEndTime)), marked with
 * `replay-name` (placed after `region`, as AWS does), matched against the bus's rules (or only
 * the `FilterArns` ones), and its delivery jobs are stored with the cursor in one transaction: a
 * crash resumes at the last committed page. Replayed events are never appended to the log, so an
 * archive never holds them (AWS: "replayed events are not archived").
 *
 * Concurrency contract: `kick` from anywhere; one run at a time (a kick during a run makes it go
 * round again); `stop` awaits the running page.
 *
 * Cluster mode (`leadership`): only the leader runs replays, so one replay is never advanced by
 * two nodes. A kick on a follower does nothing; the leader kicks itself every `pollMs` to find
 * replays started on other nodes, and when it becomes leader. When it stops being leader, the
 * page in flight finishes (`stop` awaits it) and no other starts. A page is jobs plus cursor in
 * one transaction, so the next leader resumes after the last committed page; the port's
 * `advanceReplay` has no compare-and-set on the cursor, so in the short window where an old leader
 * has not yet noticed its loss, one page may be recorded twice (at-least-once, as delivery is).
 */
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { BusStore, DeliveryJob, EventLog, Leadership, LogRecord, NewDeliveryJob, StoredReplay } from '../../storage/index.ts';
import { archiveFilter, busStream } from '../api/index.ts';
import { parseEventText } from '../patterns/index.ts';
import { leaderDuty } from './leader-duty.ts';
import { loadRuleSet } from './rule-set.ts';

export interface ReplayRunnerDeps {
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Receives the jobs once they are stored. */
  readonly onJobs: (jobs: readonly DeliveryJob[]) => void;
  /** Events read per transaction; default 100. */
  readonly batchSize?: number;
  /** Cluster mode: run replays only while this node leads (see the file header); default always. */
  readonly leadership?: Leadership;
  /** With `leadership`: how often the leader looks for replays started on other nodes; default 2,000 ms. */
  readonly pollMs?: number;
}

export interface ReplayRunner {
  kick(): Promise<void>;
  stop(): Promise<void>;
}

/** The envelope with `replay-name` inserted after `region`. */
export function markReplayed(payload: string, replayName: string): { readonly text: string; readonly time: number } {
  const event = JSON.parse(payload) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'replay-name') continue;
    out[key] = value;
    if (key === 'region') out['replay-name'] = replayName;
  }
  if (!('replay-name' in out)) out['replay-name'] = replayName;
  return { text: JSON.stringify(out), time: typeof event['time'] === 'string' ? Date.parse(event['time']) : NaN };
}

export function createReplayRunner(deps: ReplayRunnerDeps): ReplayRunner {
  const batchSize = deps.batchSize ?? 100;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let poll: Timer | undefined;
  const duty = deps.leadership === undefined ? undefined : leaderDuty(deps.leadership, {
    lead() {
      schedulePoll();
      void kick();
    },
    standDown() {
      poll?.cancel();
      poll = undefined;
    },
  });
  const active = (): boolean => !stopped && (duty === undefined || duty.leading);

  /** Cluster mode, while leading: a kick every `pollMs` finds replays started elsewhere. */
  function schedulePoll(): void {
    poll?.cancel();
    poll = deps.clock.setTimer(deps.pollMs ?? 2_000, () => {
      poll = undefined;
      if (!active()) return;
      void kick();
      schedulePoll();
    });
  }
  if (duty?.leading === true) schedulePoll();

  /** One page of one replay; answers whether the replay has more to do. */
  async function page(replay: StoredReplay, holds: (record: LogRecord) => boolean): Promise<boolean> {
    const stream = busStream(replay.bus);
    const records = (await deps.eventLog.read(stream, replay.cursor, batchSize)).filter((r) => r.offset <= replay.throughOffset);
    const last = records[records.length - 1];
    if (last === undefined) return false;
    const rules = await loadRuleSet(deps.store, replay.bus);
    const allowed = replay.filterRules === undefined ? undefined : new Set(replay.filterRules);
    const jobs: NewDeliveryJob[] = [];
    const now = deps.clock.now();
    let lastTime: number | undefined;
    for (const record of records) {
      if (!holds(record)) continue;
      const marked = markReplayed(record.payload, replay.name);
      if (!(marked.time >= replay.eventStartTime && marked.time < replay.eventEndTime)) continue;
      lastTime = marked.time;
      for (const rule of rules.matcher.match(parseEventText(marked.text))) {
        if (allowed !== undefined && !allowed.has(rule)) continue;
        for (const target of rules.targets.get(rule) ?? []) {
          jobs.push({ bus: replay.bus, rule, targetId: target.id, target: target.config, eventId: record.id, event: marked.text, eventTime: now, nextAt: now });
        }
      }
    }
    deps.onJobs(await deps.store.advanceReplay(replay.name, last.offset, lastTime, jobs));
    return last.offset < replay.throughOffset;
  }

  async function runReplay(name: string): Promise<void> {
    for (;;) {
      if (!active()) return;
      const replay = await deps.store.getReplay(name);
      if (replay === undefined) return;
      if (replay.state === 'CANCELLING') {
        await deps.store.setReplayState(name, 'CANCELLED', deps.clock.now(), 'Cancelled by request');
        return;
      }
      if (replay.state !== 'STARTING' && replay.state !== 'RUNNING') return;
      const archive = await deps.store.getArchive(replay.archive);
      if (archive === undefined) {
        await deps.store.setReplayState(name, 'FAILED', deps.clock.now(), `Archive ${replay.archive} was deleted.`);
        return;
      }
      if (!(await page(replay, archiveFilter(archive, deps.clock.now())))) {
        const after = await deps.store.getReplay(name);
        // A page that reached the end completes the replay (unless a cancel came in between).
        if (after?.state === 'RUNNING' || after?.state === 'STARTING') await deps.store.setReplayState(name, 'COMPLETED', deps.clock.now());
        else if (after?.state === 'CANCELLING') await deps.store.setReplayState(name, 'CANCELLED', deps.clock.now(), 'Cancelled by request');
        return;
      }
    }
  }

  async function runAll(): Promise<void> {
    do {
      again = false;
      for (const replay of await deps.store.activeReplays()) {
        if (!active()) return;
        try {
          await runReplay(replay.name);
        } catch (error) {
          deps.logger.log('error', 'replay failed', { replay: replay.name, error });
          await deps.store.setReplayState(replay.name, 'FAILED', deps.clock.now(), 'Internal error while replaying.');
        }
      }
    } while (again && active());
  }

  function kick(): Promise<void> {
    if (!active()) return Promise.resolve();
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = runAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    kick,
    async stop() {
      stopped = true;
      duty?.close();
      poll?.cancel();
      await running;
    },
  };
}
