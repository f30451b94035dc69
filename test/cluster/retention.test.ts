/**
 * Retention in cluster mode: the bus stream is a JetStream stream and the cursor, archives and
 * attempt log are PostgreSQL rows. Two nodes with a `createPostgresLeadership` each: only the
 * leader's retention trims; the stream is trimmed through the delivered records older than the
 * retention (JetStream purge), and the search by time runs on JetStream direct gets.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { offsetAtTime } from '../../src/bus/retention/index.ts';
import { createRetention, type Retention } from '../../src/server/retention.ts';
import { type Leadership } from '../../src/storage/index.ts';
import { connectNats, createNatsEventLog, createPostgresBusStore, createPostgresLeadership, createPostgresWorkflowStore, deleteNatsEventLogStreams } from '../../src/storage/cluster.ts';
import { requireNats } from '../support/services.ts';
import { freshSchema, skip as pgSkip, until } from './duty-support.ts';

const nats = await requireNats();
const skip = pgSkip !== false ? pgSkip : nats.skip;
const STREAM = 'bus:default';

test('only the leader trims; JetStream keeps what is newer than the retention or not yet dispatched', { skip }, async (t) => {
  const prefix = `sbr_${randomUUID().slice(0, 8)}`;
  const nc = await connectNats({ servers: nats.url, name: 'retention-test' });
  const log = await createNatsEventLog(nc, { prefix });
  const schema = await freshSchema();
  const running: { retention: Retention; leadership: Leadership }[] = [];
  t.after(async () => {
    for (const r of running) {
      await r.retention.stop();
      await r.leadership.close();
    }
    await schema.drop();
    await deleteNatsEventLogStreams(nc, prefix);
    await nc.close();
  });
  // Offsets 1-3, then 4-6 a moment later: JetStream positions by the time it stored each one.
  for (let i = 0; i < 3; i++) await log.append(STREAM, [{ id: `e${i}`, time: Date.now(), payload: '{}' }]);
  await new Promise((r) => setTimeout(r, 200));
  const between = Date.now();
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 3; i < 6; i++) await log.append(STREAM, [{ id: `e${i}`, time: Date.now(), payload: '{}' }]);
  assert.equal(await offsetAtTime(log, STREAM, between), 4);
  assert.equal(await offsetAtTime(log, STREAM, Date.now() + 60_000), 7);

  // Seen 1 s after `between` with a 1 s retention: offsets 1-3 are old enough; 5 and 6 are not dispatched.
  const clock = new VirtualClock(between + 1000);
  const stores = [];
  for (const name of ['n1', 'n2']) {
    const handle = await schema.open();
    const store = createPostgresBusStore(handle, { owner: { node: name, leaseMs: 60_000 } });
    stores.push(store);
    const leadership = createPostgresLeadership(handle, { name: 'bus', node: `${schema.name}-${name}`, retryMs: 100 });
    const workflowStore = createPostgresWorkflowStore(handle, { owner: { node: name } });
    const retention = createRetention({ busStore: store, eventLog: log, workflowStore, clock, logger: silentLogger, eventRetentionMs: 1000, firstRunMs: 10, intervalMs: 60_000, leadership });
    running.push({ retention, leadership });
  }
  await stores[0]?.enqueueDeliveries('default', 4, []);
  await until('a leader', () => running.some((r) => r.leadership.isLeader));
  const follower = running.find((r) => !r.leadership.isLeader);
  assert.deepEqual(await follower?.retention.runOnce(), { trimmed: {}, attemptsDeleted: 0, executionsDeleted: 0 }, 'a follower trims nothing');
  assert.equal((await log.read(STREAM, 0, 10)).length, 6);

  for (const r of running) r.retention.start();
  await clock.advance(10);
  await until('the leader trimmed', async () => (await log.read(STREAM, 0, 1))[0]?.offset === 4);
  assert.deepEqual((await log.read(STREAM, 0, 10)).map((r) => r.offset), [4, 5, 6]);
  assert.equal(await log.head(STREAM), 6);
});
