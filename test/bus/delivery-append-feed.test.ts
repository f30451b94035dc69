/**
 * The delivery service with an append feed (cluster mode's wake-up, src/bus/delivery/delivery-
 * service.ts), on a scripted feed over the real SQLite stores: every bus is followed from start;
 * a batch from the feed pumps the bus (jobs recorded and run) and settles only once that round
 * did, so the feed acks only then; a bus that was deleted is followed no more after the next poll;
 * `stop` ends every follow.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createDeliveryService, type DeliveryService } from '../../src/bus/delivery/index.ts';
import type { AppendFeed } from '../../src/storage/index.ts';
import { orderRule, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

let dir: string;
let h: Harness;
beforeEach(async () => {
  dir = tempDir();
  h = await startHarness(dir, () => ({ ok: true }));
  await orderRule(h.store, { Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:record' });
});
afterEach(async () => {
  await h.close();
  removeDir(dir);
});

/** A feed that remembers who follows what, and lets the test hand a batch to a follower. */
function scriptedFeed() {
  const follows = new Map<string, { onAppended: (offsets: readonly number[]) => Promise<void>; stopped: boolean }>();
  const feed: AppendFeed = {
    follow(stream, onAppended) {
      const entry = { onAppended, stopped: false };
      follows.set(stream, entry);
      return { stop: async () => void (entry.stopped = true) };
    },
  };
  return { feed, follows };
}

test('every bus is followed; a batch pumps its bus; a deleted bus is followed no more; stop ends the rest', async () => {
  const clock = new VirtualClock();
  const now = clock.now();
  await h.store.createBus({ name: 'other', createdAt: now, updatedAt: now }, 100);
  const { feed, follows } = scriptedFeed();
  const delivered: string[] = [];
  const service: DeliveryService = createDeliveryService({
    store: h.store,
    eventLog: h.log,
    clock,
    logger: silentLogger,
    pollMs: 1000,
    feed,
    invoke: async (_target, input) => {
      delivered.push((JSON.parse(input) as { id: string }).id);
      return { ok: true };
    },
  });
  await service.start();
  assert.deepEqual([...follows.keys()].sort(), ['bus:default', 'bus:other']);

  // Appended by another node, which died before dispatching: no poke, no inline dispatch here.
  const envelope = { version: '0', id: 'from-elsewhere', 'detail-type': 'order.updated', source: 'order.api', account: '000000000000', time: new Date(now).toISOString(), region: 'us-east-1', resources: [], detail: {} };
  const [offset] = await h.log.append('bus:default', [{ id: 'from-elsewhere', time: now, payload: JSON.stringify(envelope) }]);
  await follows.get('bus:default')?.onAppended([offset ?? 0]);
  await service.settle();
  await clock.advance(0);
  assert.deepEqual(delivered, ['from-elsewhere'], 'the batch pumped the bus and its job ran');

  await h.store.deleteBus('other');
  await clock.advance(1000);
  await service.settle();
  assert.equal(follows.get('bus:other')?.stopped, true, 'the deleted bus: its follow stopped at the next poll');
  assert.equal(follows.get('bus:default')?.stopped, false);
  await service.stop();
  assert.equal(follows.get('bus:default')?.stopped, true);
});

test('a batch whose dispatch round fails rejects, so the feed hands it out again', async () => {
  const { feed, follows } = scriptedFeed();
  const failing = Object.assign(Object.create(h.store) as typeof h.store, { enqueuePlanned: () => Promise.reject(new Error('store down')), getCursor: () => Promise.reject(new Error('store down')) });
  const service = createDeliveryService({ store: failing, eventLog: h.log, clock: new VirtualClock(), logger: silentLogger, pollMs: 60_000, feed, invoke: async () => ({ ok: true }) });
  // Its first pump at start fails too; that is logged, not thrown.
  await service.start();
  await assert.rejects(follows.get('bus:default')?.onAppended([1]) ?? Promise.resolve(), /store down/);
  await service.stop();
});
