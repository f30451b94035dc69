import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';

test('a virtual clock runs due timers in time order and only when advanced', async () => {
  const clock = new VirtualClock(0);
  const fired: string[] = [];
  clock.setTimer(200, () => fired.push('b'));
  clock.setTimer(100, () => fired.push('a'));
  const c = clock.setTimer(150, () => fired.push('cancelled'));
  c.cancel();
  await clock.advance(99);
  assert.deepEqual(fired, []);
  await clock.advance(101);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(clock.now(), 200);
});

test('a timer set by a timer callback fires within the same advance when due', async () => {
  const clock = new VirtualClock(0);
  const fired: number[] = [];
  clock.setTimer(10, () => {
    fired.push(clock.now());
    clock.setTimer(10, () => fired.push(clock.now()));
  });
  await clock.advance(30);
  assert.deepEqual(fired, [10, 20]);
});
