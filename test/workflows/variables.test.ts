/** Workflow variables (Assign), in both query languages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { output, run } from './support.ts';

test('Assign values become visible in the next state, not in the assigning one', async () => {
  const def = {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { answer: 42 }, Next: 'B' },
      B: { Type: 'Pass', Assign: { answer: 'later' }, Parameters: { 'now.$': '$answer' }, OutputPath: '$.now', End: true },
    },
  };
  assert.equal(await output(def), 42);
});

test('JSONPath Assign sees the state result (after ResultSelector) as $', async () => {
  const def = {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Result: { answer: 42 }, ResultPath: '$.r', Assign: { 'fromResult.$': '$.answer' }, Next: 'B' },
      B: { Type: 'Pass', OutputPath: '$fromResult', End: true },
    },
  };
  assert.equal(await output(def, { in: 1 }), 42);
});

test('variables are readable in InputPath, OutputPath, Parameters, Choice and ErrorPath', async () => {
  const def = {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { e: 'MyError', c: 'why', guess: 'x', answer: 'x' }, Next: 'C' },
      C: { Type: 'Choice', Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'F' }] },
      F: { Type: 'Fail', ErrorPath: '$e', CausePath: "States.Format('because {}', $c)" },
    },
  };
  const r = await run(def);
  assert.equal(r.error, 'MyError');
  assert.equal(r.cause, 'because why');
});

test('JSONPath literal strings in Assign are not evaluated', async () => {
  const def = { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { s: '$.not.a.path', j: '{% 1 + 1 %}' }, Next: 'B' }, B: { Type: 'Pass', Parameters: { 's.$': '$s', 'j.$': '$j' }, End: true } } };
  assert.deepEqual(await output(def), { s: '$.not.a.path', j: '{% 1 + 1 %}' });
});

test('a Map iteration reads outer variables; its own assignments stay inside', async () => {
  const def = {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { x: 1 }, Next: 'M' },
      M: {
        Type: 'Map',
        MaxConcurrency: 1,
        ItemProcessor: {
          StartAt: 'I1',
          States: { I1: { Type: 'Pass', Assign: { inner: 'set' }, Next: 'I2' }, I2: { Type: 'Pass', Parameters: { 'x.$': '$x', 'inner.$': '$inner' }, End: true } },
        },
        Next: 'After',
      },
      After: { Type: 'Pass', Parameters: { 'x.$': '$x', 'innerVisible.$': "States.ArrayLength(States.Array($$.State.Name))" }, End: true },
    },
  };
  const r = await run(def, [1, 2]);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { x: 1, innerVisible: 1 });
  const outerRead = await run({ ...def, States: { ...def.States, After: { Type: 'Pass', Parameters: { 'v.$': '$inner' }, End: true } } }, [1]);
  assert.equal(outerRead.error, 'States.Runtime', 'an iteration variable is not visible after the Map');
});

test('JSONata Assign and Output both see the values from state entry', async () => {
  const def = {
    QueryLanguage: 'JSONata',
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { n: 1 }, Next: 'B' },
      B: { Type: 'Pass', Assign: { n: '{% $n + 1 %}' }, Output: '{% $n %}', Next: 'C' },
      C: { Type: 'Pass', Output: { before: '{% $states.input %}', after: '{% $n %}' }, End: true },
    },
  };
  assert.deepEqual(await output(def), { before: 1, after: 2 });
});

test('a JSONata Assign that yields nothing is States.QueryEvaluationError', async () => {
  const r = await run({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: { r: '{% $missing %}' }, End: true } } });
  assert.equal(r.error, 'States.QueryEvaluationError');
  assert.match(r.cause ?? '', /specified for the field 'Assign\/r' returned nothing/);
});

test('the Exited event records the assigned variables', async () => {
  const r = await run({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { k: 'v' }, End: true } } });
  const exited = r.events.find((e) => e.type === 'PassStateExited');
  assert.deepEqual(exited?.details?.['assignedVariables'], { k: 'v' });
});

test('a distributed Map iteration cannot see the outer variables', async () => {
  const def = (mode: string): unknown => ({
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Assign: { x: 1 }, Next: 'M' },
      M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: mode }, StartAt: 'I', States: { I: { Type: 'Pass', Parameters: { 'x.$': '$x' }, End: true } } }, End: true },
    },
  });
  assert.deepEqual((await run(def('INLINE'), [0])).output, [{ x: 1 }]);
  assert.equal((await run(def('DISTRIBUTED'), [0])).error, 'States.Runtime');
});
