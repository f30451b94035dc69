/**
 * Every node may run the bus dispatcher: two dispatchers on two PostgreSQL bus stores (one schema,
 * two pools) drain one shared event log (a SQLite file) at the same time, in small pages so their
 * rounds interleave, and each (event, rule, target) job is recorded exactly once. This rests on
 * `enqueuePlanned` planning against the cursor row it holds `FOR UPDATE` (see `bus-dispatcher.ts`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../src/core/index.ts';
import { createBusDispatcher } from '../../src/bus/delivery/index.ts';
import { type DeliveryJob } from '../../src/storage/index.ts';
import { createPostgresBusStore } from '../../src/storage/cluster.ts';
import { logAndSchema, skip } from './duty-support.ts';

const EVENTS = 400;

test('two nodes dispatching one bus at once record each (event, rule, target) job exactly once', { skip }, async (t) => {
  const { schema, log } = await logAndSchema(t);
  const [h1, h2] = [await schema.open(), await schema.open()];
  const s1 = createPostgresBusStore(h1, { owner: { node: 'n1', leaseMs: 60_000 } });
  const s2 = createPostgresBusStore(h2, { owner: { node: 'n2', leaseMs: 60_000 } });
  const now = Date.now();
  // Two rules, one with two targets: three jobs per matching event; odd events match nothing.
  await s1.putRule({ bus: 'default', name: 'a', eventPattern: '{"detail-type":["even"]}', state: 'ENABLED', createdAt: now, updatedAt: now }, 300);
  await s1.putRule({ bus: 'default', name: 'b', eventPattern: '{"source":["app"],"detail-type":["even"]}', state: 'ENABLED', createdAt: now, updatedAt: now }, 300);
  await s1.putTargets('default', 'a', [{ id: 't1', config: JSON.stringify({ Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }) }], 5);
  await s1.putTargets('default', 'b', [1, 2].map((i) => ({ id: `t${i}`, config: JSON.stringify({ Id: `t${i}`, Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }) })), 5);

  const records = Array.from({ length: EVENTS }, (_, i) => {
    const id = `event-${i}`;
    const envelope = { version: '0', id, 'detail-type': i % 2 === 0 ? 'even' : 'odd', source: 'app', account: '000000000000', time: new Date(now).toISOString(), region: 'us-east-1', resources: [], detail: { i } };
    return { id, time: now, payload: JSON.stringify(envelope) };
  });
  await log.append('bus:default', records);

  const got: { node: string; job: DeliveryJob }[] = [];
  const dispatcher = (node: string, store: typeof s1) =>
    createBusDispatcher({ store, eventLog: log, clock: systemClock, batchSize: 7, onJobs: (jobs) => jobs.forEach((job) => got.push({ node, job })) });
  const d1 = dispatcher('n1', s1);
  const d2 = dispatcher('n2', s2);
  // Both nodes pump at once, several times over (as pokes and polls would).
  await Promise.all([d1.pump('default'), d2.pump('default'), d1.pump('default'), d2.pump('default')]);
  await Promise.all([d1.pump('default'), d2.pump('default')]);

  const expected = (EVENTS / 2) * 3;
  const { rows } = await h1.pool.query<{ event_id: string; rule: string; target_id: string; n: number }>(
    'SELECT event_id, rule, target_id, count(*)::int AS n FROM bus_deliveries GROUP BY event_id, rule, target_id',
  );
  assert.equal(rows.length, expected, 'every job recorded');
  assert.deepEqual(rows.filter((r) => r.n !== 1), [], 'no job recorded twice');
  assert.equal(got.length, expected, 'each recorded job handed to one node\'s runner, once');
  assert.equal(await s2.getCursor('default'), EVENTS);
  const byNode = new Set(got.map((g) => g.node));
  t.diagnostic(`jobs recorded by ${[...byNode].join(' and ')}: n1 ${got.filter((g) => g.node === 'n1').length}, n2 ${got.filter((g) => g.node === 'n2').length}`);
  // Each job is owned by the node that recorded it.
  const owners = await h1.pool.query<{ id: number; claimed_by: string }>('SELECT id, claimed_by FROM bus_deliveries');
  const ownerOf = new Map(owners.rows.map((r) => [r.id, r.claimed_by]));
  assert.ok(got.every((g) => ownerOf.get(g.job.id) === g.node));
});
