/**
 * A delivery whose outcome the store does not take (the database is down, say) is not dropped:
 * the outcome is written again, backing off from 250 ms, until it is stored, and the target is
 * not invoked again for it. Before, the job waited for the next start (embedded) or for its
 * lease to run out (cluster). A stop ends the backoff at once. On a VirtualClock, real SQLite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { busMigrations, createSqliteBusStore, createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type BusStore } from '../../src/storage/index.ts';
import { createDeliveryService } from '../../src/bus/delivery/index.ts';
import { APPSYNC_TARGET, orderRule, removeDir, tempDir } from './delivery-support.ts';

/** The store, with `completeDelivery` refused `failures` times first. */
function refusingCompletion(store: BusStore, failures: number): BusStore & { refused: number } {
  const wrapped = Object.create(store) as BusStore & { refused: number };
  wrapped.refused = 0;
  wrapped.completeDelivery = async (id, log) => {
    if (wrapped.refused < failures) {
      wrapped.refused++;
      throw new Error('database unavailable');
    }
    return store.completeDelivery(id, log);
  };
  return wrapped;
}

async function harness(t: { after(fn: () => unknown): void }, failures: number) {
  const dir = tempDir();
  const db = openDatabase({ path: join(dir, 'switchboard.db') }, [eventLogMigrations, busMigrations]);
  const store = refusingCompletion(createSqliteBusStore(db), failures);
  const log = createSqliteEventLog(db);
  const clock = new VirtualClock();
  let calls = 0;
  const service = createDeliveryService({ store, eventLog: log, clock, logger: silentLogger, random: () => 0.999, invoke: async () => (calls++, { ok: true }) });
  await service.start();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await service.stop();
    await writeBatcherFor(db).drain();
    db.close();
  };
  t.after(async () => {
    await stop();
    removeDir(dir);
  });
  await orderRule(store, APPSYNC_TARGET);
  const envelope = { version: '0', id: 'e1', 'detail-type': 'order.updated', source: 'order.api', account: '000000000000', time: new Date(clock.now()).toISOString(), region: 'us-east-1', resources: [], detail: {} };
  await log.append('bus:default', [{ id: 'e1', time: clock.now(), payload: JSON.stringify(envelope) }]);
  service.poke('default');
  const settle = async (): Promise<void> => {
    await service.settle();
    await clock.advance(0);
  };
  await settle();
  return { store, clock, settle, stop, calls: () => calls };
}

test('an outcome the store refuses is written again, backing off, and the target is not invoked again', async (t) => {
  const h = await harness(t, 2);
  assert.equal(h.calls(), 1);
  assert.equal(h.store.refused, 1);
  assert.equal((await h.store.pendingDeliveries()).length, 1, 'not recorded yet');
  await h.clock.advance(250);
  assert.equal(h.store.refused, 2, 'written again after 250 ms');
  assert.equal((await h.store.pendingDeliveries()).length, 1);
  await h.clock.advance(500);
  await h.settle();
  assert.deepEqual(await h.store.pendingDeliveries(), [], 'stored on the third write, 500 ms later');
  assert.equal(h.calls(), 1, 'the target was invoked once');
});

test('a stop ends the backoff of an outcome being written again', async (t) => {
  const h = await harness(t, Number.POSITIVE_INFINITY);
  assert.equal(h.store.refused, 1);
  await h.clock.advance(250);
  assert.equal(h.store.refused, 2);
  // The next write waits 500 ms on a clock nobody moves: the stop must not wait for it.
  await h.stop();
  assert.equal(h.calls(), 1);
});
