/**
 * Replays in a cluster: two replay runners on two PostgreSQL bus stores (one schema), each with a
 * `createPostgresLeadership` on one name, over one shared event log (a SQLite file). A replay
 * started on the follower (its kick does nothing) is found by the leader's poll and run there,
 * once: each archived event's job recorded once, by the leader.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger, systemClock } from '../../src/core/index.ts';
import { createReplayRunner, type ReplayRunner } from '../../src/bus/delivery/index.ts';
import { type DeliveryJob, type Leadership, type PostgresBusStore } from '../../src/storage/index.ts';
import { createPostgresBusStore, createPostgresLeadership } from '../../src/storage/cluster.ts';
import { logAndSchema, skip, until } from './duty-support.ts';

const EVENTS = 30;

interface Node {
  readonly name: string;
  readonly store: PostgresBusStore;
  readonly leadership: Leadership;
  readonly runner: ReplayRunner;
  readonly jobs: DeliveryJob[];
}

test('a replay started on a follower is run by the leader, once', { skip }, async (t) => {
  const nodes: Node[] = [];
  const { schema, log } = await logAndSchema(t, async () => {
    for (const n of nodes) {
      await n.runner.stop();
      await n.leadership.close();
    }
  });
  for (const name of ['n1', 'n2']) {
    const handle = await schema.open();
    const store = createPostgresBusStore(handle, { owner: { node: name, leaseMs: 60_000 } });
    const leadership = createPostgresLeadership(handle, { name: 'bus', node: `${schema.name}-${name}`, retryMs: 100 });
    const jobs: DeliveryJob[] = [];
    const runner = createReplayRunner({ store, eventLog: log, clock: systemClock, logger: silentLogger, onJobs: (j) => jobs.push(...j), batchSize: 7, leadership, pollMs: 100 });
    nodes.push({ name, store, leadership, runner, jobs });
  }
  const [a, b] = nodes as [Node, Node];
  await until('a leader', () => a.leadership.isLeader || b.leadership.isLeader);
  const leader = a.leadership.isLeader ? a : b;
  const follower = leader === a ? b : a;

  const now = Date.now();
  await a.store.putRule({ bus: 'default', name: 'all', eventPattern: '{"source":["app"]}', state: 'ENABLED', createdAt: now, updatedAt: now }, 300);
  await a.store.putTargets('default', 'all', [{ id: 't1', config: JSON.stringify({ Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }) }], 5);
  await a.store.createArchive({ name: 'everything', bus: 'default', retentionDays: 0, startOffset: 0, createdAt: now });
  const records = Array.from({ length: EVENTS }, (_, i) => {
    const envelope = { version: '0', id: `e-${i}`, 'detail-type': 'x', source: 'app', account: '000000000000', time: new Date(now).toISOString(), region: 'us-east-1', resources: [], detail: { i } };
    return { id: `e-${i}`, time: now, payload: JSON.stringify(envelope) };
  });
  await log.append('bus:default', records);
  assert.equal(
    await follower.store.createReplay({ name: 'again', archive: 'everything', bus: 'default', eventStartTime: now - 1_000, eventEndTime: now + 1_000, state: 'STARTING', cursor: 0, throughOffset: EVENTS, startedAt: now }, 10),
    'created',
  );
  await follower.runner.kick();
  assert.equal(follower.jobs.length, 0, 'a follower\'s kick runs nothing');
  await until('the leader to complete the replay', async () => (await leader.store.getReplay('again'))?.state === 'COMPLETED', 5_000);
  assert.equal(leader.jobs.length, EVENTS);
  assert.equal(follower.jobs.length, 0);
  const { rows } = await (await schema.open()).pool.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM bus_deliveries');
  assert.deepEqual(rows[0], { n: EVENTS, d: EVENTS });
});
