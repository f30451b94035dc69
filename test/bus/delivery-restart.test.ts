/**
 * Durability across restarts: a job pending when the service stops is resumed by the next start
 * on the same database file, and events appended while it was down are dispatched then.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { APPSYNC_TARGET, FAIL, OK, orderRule, removeDir, startHarness, tempDir } from './delivery-support.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

test('a job pending at stop completes after a restart on the same data folder', async () => {
  const clock = new VirtualClock();
  const first = await startHarness(dir, () => FAIL, clock);
  await orderRule(first.store, APPSYNC_TARGET);
  await first.emit('order.updated');
  assert.equal(first.calls.length, 1);
  const [pending] = await first.store.pendingDeliveries();
  assert.equal(pending?.attempts, 1, 'the failed attempt is recorded');
  await first.close();

  const second = await startHarness(dir, () => OK, clock);
  await clock.advance(10_000);
  assert.equal(second.calls.length, 1, 'the resumed job ran once its retry was due');
  assert.deepEqual(await second.store.pendingDeliveries(), []);
  assert.deepEqual(await second.store.listDeadLetters('default'), []);
  await second.close();
});

test('events appended while delivery was stopped are dispatched on start', async () => {
  const clock = new VirtualClock();
  const first = await startHarness(dir, () => OK, clock);
  await orderRule(first.store, APPSYNC_TARGET);
  await first.service.stop();
  // The service is stopped: this append is not dispatched now.
  await first.emit('order.updated');
  assert.equal(first.calls.length, 0);
  await first.close();

  const second = await startHarness(dir, () => OK, clock);
  await second.settle();
  assert.equal(second.calls.length, 1);
  assert.equal(await second.store.getCursor('default'), 1);
  await second.close();
});
