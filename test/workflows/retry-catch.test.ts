/** Retry, Catch and task timeouts, on the virtual clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { PARK, TaskFailure, type TaskHandler } from '../../src/workflows/index.ts';
import { run, START } from './support.ts';

function failing(times: number, error = 'Boom'): { handler: TaskHandler; calls: () => number; at: number[] } {
  let calls = 0;
  const at: number[] = [];
  return {
    handler: () => {
      calls++;
      if (calls <= times) throw new TaskFailure(error, `attempt ${calls}`);
      return { ok: calls };
    },
    calls: () => calls,
    at,
  };
}

/** A one-Task machine; a `Caught` Pass state is added when the task has catchers (so it is reachable). */
const task = (extra: Record<string, unknown>): unknown => ({
  StartAt: 'T',
  States: {
    T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra },
    ...('Catch' in extra ? { Caught: { Type: 'Pass', End: true } } : {}),
  },
});

test('a retrier waits IntervalSeconds × BackoffRate^(n-1) between attempts', async () => {
  const clock = new VirtualClock(START);
  const times: number[] = [];
  let calls = 0;
  const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }] }), {}, {
    clock,
    taskHandler: () => {
      times.push(clock.now() - START);
      if (++calls <= 3) throw new TaskFailure('Boom');
      return 'ok';
    },
  });
  assert.equal(r.output, 'ok');
  assert.deepEqual(times, [0, 2000, 8000, 26000]);
});

test('MaxDelaySeconds caps the backoff and FULL jitter scales it by the injected random', async () => {
  const clock = new VirtualClock(START);
  const times: number[] = [];
  await run(task({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 10, MaxDelaySeconds: 50, MaxAttempts: 2, JitterStrategy: 'FULL' }] }), {}, {
    clock,
    random: () => 0.5,
    taskHandler: () => {
      times.push(clock.now() - START);
      throw new TaskFailure('Boom');
    },
  });
  // 10 s × 0.5, then min(100 s, 50 s) × 0.5
  assert.deepEqual(times, [0, 5000, 30000]);
});

test('MaxAttempts 0 never retries; the first matching retrier is the only one used', async () => {
  const a = failing(5);
  await run(task({ Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] }), {}, { taskHandler: a.handler });
  assert.equal(a.calls(), 1);
});

test('each retrier counts its own attempts', async () => {
  let calls = 0;
  const errors = ['A', 'B', 'A', 'B'];
  const r = await run(task({ Retry: [{ ErrorEquals: ['A'], MaxAttempts: 2, IntervalSeconds: 1 }, { ErrorEquals: ['B'], MaxAttempts: 2, IntervalSeconds: 1 }] }), {}, {
    taskHandler: () => {
      const e = errors[calls++];
      if (e !== undefined) throw new TaskFailure(e);
      return 'done';
    },
  });
  assert.equal(r.output, 'done');
  assert.equal(calls, 5);
});

test('$$.State.RetryCount counts the retries so far', async () => {
  const seen: unknown[] = [];
  await run(task({ Parameters: { 'retry.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 }] }), {}, {
    taskHandler: (inv) => {
      seen.push((inv.input as { retry: number }).retry);
      throw new TaskFailure('Boom');
    },
  });
  assert.deepEqual(seen, [0, 1, 2]);
});

test('after the retries, Catch puts {Error, Cause} at its ResultPath in the raw input', async () => {
  const r = await run(task({ Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1, IntervalSeconds: 1 }], Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.error', Next: 'Caught' }] }), { keep: 1 }, { taskHandler: failing(9).handler });
  assert.deepEqual(r.output, { keep: 1, error: { Error: 'Boom', Cause: 'attempt 2' } });
});

test('a catcher transitions to its Next even from a state with End: true', async () => {
  const r = await run(task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] }), {}, { taskHandler: failing(1).handler });
  assert.deepEqual(r.output, { Error: 'Boom', Cause: 'attempt 1' });
  assert.ok(r.events.some((e) => e.type === 'PassStateEntered'));
});

test('the first matching catcher wins; no match fails the execution with the task error', async () => {
  const caught = await run(task({ Catch: [{ ErrorEquals: ['Other'], Next: 'Caught' }, { ErrorEquals: ['Boom'], ResultPath: null, Next: 'Caught' }] }), { in: 1 }, { taskHandler: failing(1).handler });
  assert.deepEqual(caught.output, { in: 1 });
  const uncaught = await run(task({ Catch: [{ ErrorEquals: ['Other'], Next: 'Caught' }] }), {}, { taskHandler: failing(1).handler });
  assert.equal(uncaught.error, 'Boom');
  assert.equal(uncaught.cause, 'attempt 1');
});

test('States.ALL does not catch States.Runtime', async () => {
  const r = await run(task({ Parameters: { 'x.$': '$.missing' }, Retry: [{ ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] }), {}, { taskHandler: () => 'ok' });
  assert.equal(r.error, 'States.Runtime');
});

test('States.TaskFailed matches task errors except States.Timeout', async () => {
  const r = await run(task({ Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }] }), {}, { taskHandler: failing(1, 'Lambda.Unknown').handler });
  assert.equal(r.status, 'SUCCEEDED');
  const timeout = await run(task({ TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }] }), {}, { taskHandler: () => PARK });
  assert.equal(timeout.error, 'States.Timeout');
});

test('TimeoutSeconds fails a task that does not finish in time with States.Timeout', async () => {
  const clock = new VirtualClock(START);
  const r = await run(task({ TimeoutSeconds: 30, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Caught' }] }), {}, { clock, taskHandler: () => PARK });
  assert.deepEqual(r.output, { Error: 'States.Timeout', Cause: 'The task did not complete in time.' });
  assert.equal(clock.now() - START, 30_000);
  assert.ok(r.events.some((e) => e.type === 'TaskTimedOut'));
});

test('HeartbeatSeconds fails a silent task with States.HeartbeatTimeout; heartbeats keep it alive', async () => {
  const silent = await run(task({ TimeoutSeconds: 100, HeartbeatSeconds: 10 }), {}, { taskHandler: () => PARK });
  assert.equal(silent.error, 'States.HeartbeatTimeout');

  const clock = new VirtualClock(START);
  let beats = 0;
  const alive = await run(task({ TimeoutSeconds: 100, HeartbeatSeconds: 10 }), {}, {
    clock,
    taskHandler: (inv) => {
      // beat every 5 s of virtual time, then finish
      const beat = (): void => {
        if (++beats < 5) {
          inv.heartbeat();
          clock.setTimer(5000, beat);
        } else {
          inv.succeed('finished');
        }
      };
      clock.setTimer(5000, beat);
      return PARK;
    },
  });
  assert.equal(alive.output, 'finished');
});

test('TimeoutSecondsPath reads the timeout from the input', async () => {
  const clock = new VirtualClock(START);
  const r = await run(task({ TimeoutSecondsPath: '$.t' }), { t: 7 }, { clock, taskHandler: () => PARK });
  assert.equal(r.error, 'States.Timeout');
  assert.equal(clock.now() - START, 7000);
});

test('a Parallel state is retried as a whole', async () => {
  let calls = 0;
  const def = {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', End: true } } }, { StartAt: 'Q', States: { Q: { Type: 'Pass', Result: 'q', End: true } } }],
        Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1, IntervalSeconds: 1 }],
        End: true,
      },
    },
  };
  const r = await run(def, {}, {
    taskHandler: () => {
      if (++calls === 1) throw new TaskFailure('Boom');
      return 't';
    },
  });
  assert.deepEqual(r.output, ['t', 'q']);
  assert.equal(r.events.filter((e) => e.type === 'ParallelStateStarted').length, 2);
});
