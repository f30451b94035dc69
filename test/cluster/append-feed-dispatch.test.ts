/**
 * Cluster dispatch woken by the JetStream append feed: events appended to a bus stream by a node
 * that died before dispatching them (here: appended straight to the log, no inline dispatch, no
 * poke) are dispatched and delivered by a live node at once, through the durable consumer shared
 * by the nodes, long before its fallback poll (set to a minute here). Two nodes follow; each
 * event is delivered once. PostgreSQL and NATS from the machine (skipped loudly when absent, a
 * failure in CI).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { silentLogger, systemClock } from '../../src/core/index.ts';
import { createDeliveryService, type DeliveryService } from '../../src/bus/delivery/index.ts';
import { connectNats, createNatsAppendFeed, createNatsEventLog, createPostgresBusStore, deleteNatsEventLogStreams } from '../../src/storage/cluster.ts';
import { requireNats } from '../support/services.ts';
import { freshSchema, skip as pgSkip, until } from './duty-support.ts';

const nats = await requireNats();
const skip = pgSkip !== false ? pgSkip : nats.skip;
const EVENTS = 40;

test('events a dead node appended but never dispatched are delivered at once by a live node, each once', { skip }, async (t) => {
  const prefix = `sbd_${randomUUID().slice(0, 8)}`;
  const nc = await connectNats({ servers: nats.url, name: 'feed-dispatch-test' });
  const schema = await freshSchema();
  const services: DeliveryService[] = [];
  const feedConnections: { close(): Promise<void> }[] = [];
  t.after(async () => {
    for (const s of services) await s.stop();
    for (const c of feedConnections) await c.close();
    await schema.drop();
    await deleteNatsEventLogStreams(nc, prefix);
    await nc.close();
  });
  const log = await createNatsEventLog(nc, { prefix });
  const delivered: { node: string; event: string }[] = [];
  for (const node of ['n1', 'n2']) {
    const store = createPostgresBusStore(await schema.open(), { owner: { node, leaseMs: 60_000 } });
    if (node === 'n1') {
      const now = Date.now();
      await store.putRule({ bus: 'default', name: 'all', eventPattern: '{"source":["app"]}', state: 'ENABLED', createdAt: now, updatedAt: now }, 300);
      await store.putTargets('default', 'all', [{ id: 't1', config: JSON.stringify({ Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }) }], 5);
    }
    const feedConnection = await connectNats({ servers: nats.url, name: `feed-${node}` });
    feedConnections.push(feedConnection);
    const feed = await createNatsAppendFeed(feedConnection, { prefix, logger: silentLogger });
    const service = createDeliveryService({
      store,
      eventLog: log,
      clock: systemClock,
      logger: silentLogger,
      pollMs: 60_000,
      claims: { claimDue: () => Promise.resolve([]), intervalMs: 60_000 },
      feed,
      invoke: async (_target, input) => {
        delivered.push({ node, event: (JSON.parse(input) as { id: string }).id });
        return { ok: true };
      },
    });
    await service.start();
    services.push(service);
  }
  // The consumer is made when a node starts following the bus.
  await new Promise((r) => setTimeout(r, 500));
  const started = Date.now();
  for (let i = 0; i < EVENTS; i++) {
    const id = `event-${i}`;
    const envelope = { version: '0', id, 'detail-type': 'x', source: 'app', account: '000000000000', time: new Date().toISOString(), region: 'us-east-1', resources: [], detail: { i } };
    await log.append('bus:default', [{ id, time: Date.now(), payload: JSON.stringify(envelope) }]);
  }
  await until(`${EVENTS} deliveries`, () => delivered.length >= EVENTS, 10_000);
  const took = Date.now() - started;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(delivered.length, EVENTS, 'each event delivered once');
  assert.equal(new Set(delivered.map((d) => d.event)).size, EVENTS);
  assert.ok(took < 10_000, `delivered in ${took} ms, with the poll a minute away`);
  t.diagnostic(`delivered in ${took} ms; by n1 ${delivered.filter((d) => d.node === 'n1').length}, by n2 ${delivered.filter((d) => d.node === 'n2').length}`);
});
