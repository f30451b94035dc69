/**
 * A workflow task's call to Switchboard's own bus is repeated on an internal failure (our outage,
 * not the workflow's) with backoff for up to the window, then answered with what it last got; any
 * other answer comes back at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { retryInternalFailures } from '../../src/server/internal-retry.ts';

/** Runs `work` to the end, moving the virtual clock 50 ms at a time while it waits. */
async function settle<T>(clock: VirtualClock, work: Promise<T>): Promise<T> {
  let done = false;
  void work.then(() => (done = true), () => (done = true));
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!done) await clock.advance(50);
  }
  return work;
}

test('internal failures are repeated with growing delays until an answer that is not one', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  const at: number[] = [];
  const answers = [500, 500, 500, 200];
  const value = await settle(clock, retryInternalFailures(clock, async () => {
    at.push(clock.now() - start);
    const status = answers.shift() ?? 200;
    return { retry: status >= 500, value: status };
  }));
  assert.equal(value, 200);
  assert.deepEqual(at, [0, 250, 750, 1750], 'waits of 250, 500 and 1,000 ms');
});

test('a client error or a success comes back at once', async () => {
  const clock = new VirtualClock();
  let calls = 0;
  const value = await settle(clock, retryInternalFailures(clock, async () => {
    calls++;
    return { retry: false, value: 400 };
  }));
  assert.equal(value, 400);
  assert.equal(calls, 1);
});

test('after the window the last internal failure is the answer', async () => {
  const clock = new VirtualClock();
  const start = clock.now();
  let calls = 0;
  const value = await settle(clock, retryInternalFailures(clock, async () => {
    calls++;
    return { retry: true, value: `failure ${calls}` };
  }, 20_000));
  assert.ok(clock.now() - start <= 20_000, 'no wait goes past the window');
  // 0, 250, 750, 1750, 3750, 7750, 12750, 17750: the next would be at 22,750.
  assert.equal(calls, 8);
  assert.equal(value, 'failure 8');
});
