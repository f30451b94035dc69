/**
 * Schedule rules in a cluster: two schedule services on two PostgreSQL bus stores (one schema),
 * each with its own `createPostgresLeadership` on one name, appending to one shared event log (a
 * SQLite file). Only the leader fires; when it dies the other node leads and fires the next time;
 * no fire time is ever appended twice, even when the dead leader had appended an instant without
 * storing the next time (its crash window: the next leader fires that instant again with the same
 * derived event id, which the log drops).
 *
 * Schedules count in minutes, so the services run on a VirtualClock moved minute by minute, while
 * the leadership (PostgreSQL sessions, retries) runs in real time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createScheduleService, type ScheduleService } from '../../src/bus/delivery/index.ts';
import { type EventLog, type Leadership, type PostgresBusStore } from '../../src/storage/index.ts';
import { createPostgresBusStore, createPostgresLeadership } from '../../src/storage/cluster.ts';
import { logAndSchema, skip, sleep, until } from './duty-support.ts';

const START = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const RETRY_MS = 100;
const scope = { accountId: '000000000000', region: 'us-east-1' };

interface Node {
  readonly store: PostgresBusStore;
  readonly leadership: Leadership;
  readonly schedules: ScheduleService;
}

/** Fire times (ms after START) of the scheduled events in the log, in log order. */
async function fired(log: EventLog): Promise<number[]> {
  const records = await log.read('bus:default', 0, 1_000);
  return records.map((r) => Date.parse((JSON.parse(r.payload) as { time: string }).time) - START);
}

test('only the leader fires; after it dies the other node fires the next times; no fire time twice', { skip }, async (t) => {
  const clock = new VirtualClock(START);
  const nodes: Node[] = [];
  const { schema, log } = await logAndSchema(t, async () => {
    for (const n of nodes) {
      await n.schedules.stop();
      await n.leadership.close();
    }
  });
  for (const name of ['n1', 'n2']) {
    const handle = await schema.open();
    const store = createPostgresBusStore(handle);
    const leadership = createPostgresLeadership(handle, { name: 'bus', node: `${schema.name}-${name}`, retryMs: RETRY_MS });
    const schedules = createScheduleService({ store, eventLog: log, clock, logger: silentLogger, scope: () => scope, leadership, watchMs: 1_000 });
    nodes.push({ store, leadership, schedules });
  }
  const [a, b] = nodes as [Node, Node];
  // The rule is written on one node; the leader (whichever) learns of it through configVersion.
  await a.store.putRule({ bus: 'default', name: 'tick', scheduleExpression: 'rate(1 minute)', state: 'ENABLED', createdAt: START, updatedAt: START }, 300);
  await a.store.putTargets('default', 'tick', [{ id: 't1', config: JSON.stringify({ Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:tick' }) }], 5);
  await Promise.all(nodes.map((n) => n.schedules.start()));
  await until('a leader', () => a.leadership.isLeader || b.leadership.isLeader);
  const leader = a.leadership.isLeader ? a : b;
  const follower = leader === a ? b : a;
  await until('the leader to store the first fire time', async () => (await leader.schedules.pending()).get('tick') === START + MINUTE);

  /** One virtual minute, then waits (real time) for `expected` to be the log's fire times. */
  const minute = async (expected: number[]): Promise<void> => {
    await clock.advance(MINUTE);
    await until(`fire times ${expected.join(', ')}`, async () => (await fired(log)).length >= expected.length);
    await sleep(50);
    assert.deepEqual(await fired(log), expected);
  };
  await minute([MINUTE]);
  await minute([MINUTE, 2 * MINUTE]);
  // A follower's refresh does nothing (only the leader fires).
  await follower.schedules.refresh();
  assert.deepEqual(await fired(log), [MINUTE, 2 * MINUTE]);

  // The leader dies inside its crash window: it appended 2:00 but 2:00 is still the stored next time.
  // The stored time is put back before the leadership is released: the follower may take over
  // within one retry (100 ms) and must find the crash window's state when it first reads.
  await leader.schedules.stop();
  await follower.store.setScheduleState('default', 'tick', { expression: 'rate(1 minute)', nextAt: 2 * MINUTE + START });
  await leader.leadership.close();
  await until('the follower to lead', () => follower.leadership.isLeader, 5_000);
  // On becoming leader it fires the stored 2:00 again (same id: the log keeps one), then 3:00 on time.
  await until('the new leader to store the next fire time', async () => (await follower.schedules.pending()).get('tick') === START + 3 * MINUTE);
  assert.deepEqual(await fired(log), [MINUTE, 2 * MINUTE]);
  await minute([MINUTE, 2 * MINUTE, 3 * MINUTE]);
  await minute([MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE]);
  const ids = (await log.read('bus:default', 0, 1_000)).map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
});
