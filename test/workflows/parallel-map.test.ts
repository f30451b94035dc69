/** Parallel branches and Map iterations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMachine, PARK, startExecution, step, TaskFailure, type Effect } from '../../src/workflows/index.ts';
import { fixedEnv, output, run } from './support.ts';

/** A one-Pass sub-machine; state names must be unique across the whole machine, hence `name`. */
const pass = (extra: Record<string, unknown> = {}, name = 'Item'): unknown => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true, ...extra } } });
const taskProcessor = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'work', End: true } } };

test('Parallel outputs the branch outputs in branch order', async () => {
  const def = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [pass({ Result: 0 }, 'A'), pass({ Result: 1 }, 'B'), pass({}, 'C')], End: true } } };
  assert.deepEqual(await output(def, { in: 1 }), [0, 1, { in: 1 }]);
});

test("a failed branch fails the Parallel with the branch's own error and cancels the other branches", async () => {
  const machine = compileMachine({
    StartAt: 'P',
    States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'slow', End: true } } }, { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Broken', Cause: 'branch 2' } } }], End: true } },
  });
  const r = await startExecution(machine, {}, {}, fixedEnv());
  assert.equal(r.state.status, 'FAILED');
  assert.equal(r.state.error, 'Broken');
  assert.deepEqual(r.effects.map((e) => e.type), ['invokeTask', 'cancelTask', 'executionFailed']);
});

test('Map runs one iteration per item and keeps item order', async () => {
  const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.xs', ItemProcessor: pass({ Parameters: { 'd.$': 'States.MathAdd($, $)' } }), End: true } } };
  assert.deepEqual(await output(def, { xs: [1, 2, 3] }), [{ d: 2 }, { d: 4 }, { d: 6 }]);
  assert.deepEqual(await output(def, { xs: [] }), []);
});

test('Map ItemSelector (and legacy Parameters) builds each input with $$.Map.Item', async () => {
  for (const field of ['ItemSelector', 'Parameters']) {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.xs', [field]: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'k.$': '$.k' }, Iterator: pass(), End: true } } };
    assert.deepEqual(await output(def, { xs: ['a', 'b'], k: 'K' }), [{ i: 0, v: 'a', k: 'K' }, { i: 1, v: 'b', k: 'K' }]);
  }
});

test('MaxConcurrency bounds how many iterations are in flight', async () => {
  const machine = compileMachine({ StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: taskProcessor, End: true } } });
  const env = fixedEnv();
  let r = await startExecution(machine, [10, 20, 30, 40], {}, env);
  const invoked = (effects: readonly Effect[]): unknown[] => effects.flatMap((e) => (e.type === 'invokeTask' ? [e.input] : []));
  assert.deepEqual(invoked(r.effects), [10, 20]);
  const first = r.effects[0];
  assert.ok(first?.type === 'invokeTask');
  r = await step(machine, r.state, { type: 'taskSucceeded', taskId: first.taskId, output: 'a' }, env);
  assert.deepEqual(invoked(r.effects), [30]);
});

test('MaxConcurrency 0 starts every iteration at once', async () => {
  const machine = compileMachine({ StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 0, ItemProcessor: taskProcessor, End: true } } });
  const r = await startExecution(machine, [1, 2, 3], {}, fixedEnv());
  assert.equal(r.effects.filter((e) => e.type === 'invokeTask').length, 3);
});

test('results keep item order whatever order iterations finish in', async () => {
  const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: taskProcessor, End: true } } };
  const r = await run(def, [1, 2, 3], {
    // item 1 finishes last (a real timer), items 2 and 3 at once
    taskHandler: (inv) => (inv.input === 1 ? new Promise((resolve) => setTimeout(() => resolve('one'), 20)) : `#${String(inv.input)}`),
  });
  assert.deepEqual(r.output, ['one', '#2', '#3']);
});

test('MaxConcurrencyPath must name a non-negative integer', async () => {
  const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.v', MaxConcurrencyPath: '$.m', ItemProcessor: pass(), End: true } } };
  assert.deepEqual(await output(def, { v: [1], m: 1 }), [1]);
  const bad = await run(def, { v: [1], m: 'NoNumber' });
  assert.equal(bad.error, 'States.Runtime');
  assert.match(bad.cause ?? '', /The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: \$\.m$/);
});

test('a failed iteration fails the Map with its error unless failures are tolerated', async () => {
  const processor = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'OK' }, F: { Type: 'Fail', Error: 'BadItem', Cause: 'item 2' }, OK: { Type: 'Pass', End: true } } };
  const strict = await run({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: processor, End: true } } }, [1, 2, 3]);
  assert.equal(strict.error, 'BadItem');

  const tolerant = await run({ StartAt: 'M', States: { M: { Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: processor, End: true } } }, [1, 2, 3]);
  assert.deepEqual(tolerant.output, [1, { Error: 'BadItem', Cause: 'item 2' }, 3]);

  const exceeded = await run({ StartAt: 'M', States: { M: { Type: 'Map', ToleratedFailurePercentage: 10, ItemProcessor: processor, End: true } } }, [1, 2, 3]);
  assert.equal(exceeded.error, 'States.ExceedToleratedFailureThreshold');
});

test('ToleratedFailureCountPath and ToleratedFailurePercentagePath read the threshold from the state input', async () => {
  const processor = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'OK' }, F: { Type: 'Fail', Error: 'BadItem', Cause: 'item 2' }, OK: { Type: 'Pass', End: true } } };
  const map = (field: string) => ({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', [field]: '$.tolerate', ItemProcessor: processor, End: true } } });
  const byCount = await run(map('ToleratedFailureCountPath'), { items: [1, 2, 3], tolerate: 1 });
  assert.deepEqual(byCount.output, [1, { Error: 'BadItem', Cause: 'item 2' }, 3]);
  assert.equal((await run(map('ToleratedFailureCountPath'), { items: [1, 2, 3], tolerate: 0 })).error, 'States.ExceedToleratedFailureThreshold');
  assert.deepEqual((await run(map('ToleratedFailurePercentagePath'), { items: [1, 2, 3], tolerate: 50 })).output, [1, { Error: 'BadItem', Cause: 'item 2' }, 3]);
  assert.equal((await run(map('ToleratedFailurePercentagePath'), { items: [1, 2, 3], tolerate: 10 })).error, 'States.ExceedToleratedFailureThreshold');
});

test('an iteration failure cancels the iterations still running', async () => {
  const calls: unknown[] = [];
  const r = await run({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: taskProcessor, End: true } } }, [1, 2, 3], {
    taskHandler: (inv) => {
      calls.push(inv.input);
      if (inv.input === 1) throw new TaskFailure('First');
      return PARK;
    },
  });
  assert.equal(r.error, 'First');
  assert.deepEqual(calls, [1, 2, 3]);
});

test('Map ResultSelector and ResultPath apply to the array of results', async () => {
  const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ResultSelector: { 'n.$': 'States.ArrayLength($)' }, ResultPath: '$.out', ItemProcessor: pass(), End: true } } };
  assert.deepEqual(await output(def, { items: [1, 2, 3] }), { items: [1, 2, 3], out: { n: 3 } });
});

test('a non-array ItemsPath is States.Runtime', async () => {
  const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: pass(), End: true } } };
  assert.equal((await run(def, { items: 'x' })).error, 'States.Runtime');
});

test('nested Parallel errors propagate to the outer Catch', async () => {
  const def = {
    StartAt: 'Outer',
    States: {
      Outer: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Deep' } } }], End: true } } }],
        Catch: [{ ErrorEquals: ['Deep'], ResultPath: '$.e', Next: 'H' }],
        End: true,
      },
      H: { Type: 'Pass', End: true },
    },
  };
  assert.deepEqual(await output(def, { in: 1 }), { in: 1, e: { Error: 'Deep', Cause: null } });
});
