/** JSONPath-mode input and output processing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { output, run, single } from './support.ts';

test('InputPath selects the part of the input the state works on', async () => {
  assert.deepEqual(await output(single({ Type: 'Pass', InputPath: '$.a' }), { a: { b: 1 }, c: 2 }), { b: 1 });
});

test('InputPath null gives {} and OutputPath null gives {}', async () => {
  assert.deepEqual(await output(single({ Type: 'Pass', InputPath: null }), { a: 1 }), {});
  assert.deepEqual(await output(single({ Type: 'Pass', OutputPath: null }), { a: 1 }), {});
});

test('an InputPath that matches nothing is States.Runtime with Jayway wording', async () => {
  const r = await run(single({ Type: 'Pass', InputPath: '$.nope' }), { a: 1 });
  assert.equal(r.error, 'States.Runtime');
  assert.equal(r.cause, "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']");
});

test('Parameters evaluates keys ending in .$ and copies the rest, recursively', async () => {
  const out = await output(single({ Type: 'Pass', Parameters: { static: 'x', 'a.$': '$.a', nested: { 'b.$': '$.b', list: [{ 'c.$': '$.c' }] } } }), { a: 1, b: 2, c: 3 });
  assert.deepEqual(out, { static: 'x', a: 1, nested: { b: 2, list: [{ c: 3 }] } });
});

test('a Parameters path that finds nothing is States.Runtime naming the field', async () => {
  const r = await run(single({ Type: 'Pass', Parameters: { 'v.$': '$.x' } }), { a: 1 });
  assert.equal(r.error, 'States.Runtime');
  assert.match(r.cause ?? '', /The JSONPath '\$\.x' specified for the field 'v\.\$' could not be found in the input '\{"a":1\}'/);
});

test('Pass Result is a literal: its .$ keys are not evaluated', async () => {
  assert.deepEqual(await output(single({ Type: 'Pass', Result: { 'x.$': '$.a' } }), { a: 1 }), { 'x.$': '$.a' });
});

test('ResultPath null discards the result', async () => {
  assert.deepEqual(await output(single({ Type: 'Pass', Result: { x: 1 }, ResultPath: null }), { keep: 1 }), { keep: 1 });
});

test('ResultPath $ replaces the whole input', async () => {
  assert.equal(await output(single({ Type: 'Pass', Result: 'r', ResultPath: '$' }), { keep: 1 }), 'r');
});

test('ResultPath merges the result into the raw input, not the InputPath selection', async () => {
  assert.deepEqual(await output(single({ Type: 'Pass', InputPath: '$.a', ResultPath: '$.copy' }), { a: { v: 1 }, b: 2 }), { a: { v: 1 }, b: 2, copy: { v: 1 } });
});

test('ResultPath creates missing intermediate objects and overwrites existing fields', async () => {
  assert.deepEqual(await output(single({ Type: 'Pass', Result: 5, ResultPath: '$.a.b.c' }), { z: 0 }), { z: 0, a: { b: { c: 5 } } });
  assert.deepEqual(await output(single({ Type: 'Pass', Result: 2, ResultPath: '$.a' }), { a: 1 }), { a: 2 });
});

test('OutputPath applies after ResultPath', async () => {
  assert.equal(await output(single({ Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', OutputPath: '$.r.x' }), { a: 0 }), 1);
});

test('ResultSelector shapes a Parallel result before ResultPath', async () => {
  const def = single({
    Type: 'Parallel',
    Branches: [
      { StartAt: 'A', States: { A: { Type: 'Pass', Result: { v: 1 }, End: true } } },
      { StartAt: 'B', States: { B: { Type: 'Pass', Result: { v: 2 }, End: true } } },
    ],
    ResultSelector: { 'first.$': '$[0].v', 'n.$': 'States.ArrayLength($)' },
    ResultPath: '$.out',
  });
  assert.deepEqual(await output(def, { in: true }), { in: true, out: { first: 1, n: 2 } });
});

test('the context object: $$.Execution.Input, $$.State.Name, $$.Execution.StartTime', async () => {
  const out = await output(single({ Type: 'Pass', Parameters: { 'input.$': '$$.Execution.Input', 'state.$': '$$.State.Name', 'start.$': '$$.Execution.StartTime', 'retries.$': '$$.State.RetryCount' } }), { v: 1 });
  assert.deepEqual(out, { input: { v: 1 }, state: 'S', start: '2026-01-01T00:00:00.000Z', retries: 0 });
});

test('a Choice, Wait or Succeed state outputs its filtered input', async () => {
  assert.deepEqual(await output({ StartAt: 'S', States: { S: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } } }, { a: { b: [1] } }), [1]);
  assert.deepEqual(await output(single({ Type: 'Wait', Seconds: 1, OutputPath: '$.a' }), { a: 7 }), 7);
});

test('a state output over 256 KiB is States.DataLimitExceeded, which Catch cannot handle', async () => {
  const big = 'x'.repeat(300_000);
  const r = await run({ StartAt: 'S', States: { S: { Type: 'Pass', Parameters: { 'v.$': '$.big' }, End: true } } }, { big });
  assert.equal(r.error, 'States.DataLimitExceeded');
});
