/** `beforeDeadline`: a wait on work that cannot be stopped, ended by a clock timer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beforeDeadline, TIMED_OUT, VirtualClock } from '../../src/core/index.ts';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('an answer in time is the value, and its timer is cancelled', async () => {
  const clock = new VirtualClock();
  const work = deferred<string>();
  const waiting = beforeDeadline(work.promise, clock, 1_000);
  work.resolve('done');
  assert.equal(await waiting, 'done');
  assert.equal(clock.pendingTimers, 0);
});

test('a rejection in time rejects', async () => {
  const clock = new VirtualClock();
  const work = deferred<string>();
  const waiting = beforeDeadline(work.promise, clock, 1_000);
  work.reject(new Error('boom'));
  await assert.rejects(waiting, /boom/);
  assert.equal(clock.pendingTimers, 0);
});

test('past the deadline the answer is TIMED_OUT, and a later rejection is dropped, not unhandled', async () => {
  const clock = new VirtualClock();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const work = deferred<string>();
    const waiting = beforeDeadline(work.promise, clock, 1_000);
    await clock.advance(999);
    let settled = false;
    void waiting.then(() => (settled = true));
    await clock.advance(0);
    assert.equal(settled, false, 'still waiting at 999 ms');
    await clock.advance(1);
    assert.equal(await waiting, TIMED_OUT);
    work.reject(new Error('late'));
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
