/** JSONata query mode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskFailure } from '../../src/workflows/index.ts';
import { output, run } from './support.ts';

const jsonata = (states: Record<string, unknown>, startAt = 'S'): unknown => ({ QueryLanguage: 'JSONata', StartAt: startAt, States: states });

test('{% %} strings are evaluated anywhere in a value, other strings are literal', async () => {
  const out = await output(jsonata({ S: { Type: 'Pass', Output: { a: '{% $states.input.x * 2 %}', b: ['{% 1 + 1 %}', 'plain'], c: 'not {% an expression' }, End: true } }), { x: 21 });
  assert.deepEqual(out, { a: 42, b: [2, 'plain'], c: 'not {% an expression' });
});

test('$states.input is the raw input; Output defaults to the input for Pass', async () => {
  assert.deepEqual(await output(jsonata({ S: { Type: 'Pass', End: true } }), { a: 1 }), { a: 1 });
});

test('an expression that returns nothing is States.QueryEvaluationError naming the field', async () => {
  const r = await run(jsonata({ S: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true } }));
  assert.equal(r.error, 'States.QueryEvaluationError');
  assert.equal(r.cause, "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
});

test('an expression that throws reports the JSONata error code', async () => {
  const r = await run(jsonata({ S: { Type: 'Pass', Output: '{% $nope(1) %}', End: true } }));
  assert.equal(r.error, 'States.QueryEvaluationError');
  assert.match(r.cause ?? '', /threw an error during evaluation\. T1006: Attempted to invoke a non-function$/);
});

test("AWS's extension functions: $partition, $range, $hash, $parse, $uuid, $random", async () => {
  const out = await output(
    jsonata({
      S: {
        Type: 'Pass',
        Output: {
          p: '{% $partition([1,2,3], 2) %}',
          r: '{% $range(0, 10, 3) %}',
          single: '{% $range(1, 9, 9) %}',
          h: "{% $hash('input data', 'SHA-1') %}",
          j: '{% $parse(\'{"a":[1]}\') %}',
          u: '{% $uuid() %}',
          rand: '{% $random() %}',
        },
        End: true,
      },
    }),
  );
  assert.deepEqual(out, { p: [[1, 2], [3]], r: [0, 3, 6, 9], single: 1, h: 'aaff4a450a104cd177d28d18d74485e8cae074b7', j: { a: [1] }, u: '00000000-0000-4000-8000-000000000002', rand: 0.5 });
});

test('$now() and $millis() read the injected clock', async () => {
  const out = await output(jsonata({ S: { Type: 'Pass', Output: { now: '{% $now() %}', ms: '{% $millis() %}' }, End: true } }));
  assert.deepEqual(out, { now: '2026-01-01T00:00:00.000Z', ms: Date.parse('2026-01-01T00:00:00.000Z') });
});

test('$states.context is the context object', async () => {
  assert.equal(await output(jsonata({ S: { Type: 'Pass', Output: '{% $states.context.State.Name %}', End: true } })), 'S');
});

test('a state can switch query language; a JSONata machine cannot switch a state back', async () => {
  const mixed = { StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { v: '{% $states.input.x %}' }, Next: 'B' }, B: { Type: 'Pass', Parameters: { 'w.$': '$.v' }, End: true } } };
  assert.deepEqual(await output(mixed, { x: 5 }), { w: 5 });
  const bad = await run({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } }).catch((e: Error) => e.message);
  assert.match(String(bad), /'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine/);
});

test('Map Items must be an array (States.QueryEvaluationError)', async () => {
  const def = jsonata({ M: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } }, 'M');
  assert.equal((await run(def, { not: 'an array' })).error, 'States.QueryEvaluationError');
  assert.deepEqual(await output(def, [1, 'two']), [1, 'two']);
});

test('Map ItemSelector sees $states.context.Map.Item', async () => {
  const def = jsonata(
    { M: { Type: 'Map', Items: '{% $states.input.xs %}', ItemSelector: { i: '{% $states.context.Map.Item.Index %}', v: '{% $states.context.Map.Item.Value %}' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    'M',
  );
  assert.deepEqual(await output(def, { xs: ['a', 'b'] }), [{ i: 0, v: 'a' }, { i: 1, v: 'b' }]);
});

test('Fail Error and Cause may be expressions', async () => {
  const r = await run(jsonata({ F: { Type: 'Fail', Error: '{% $states.input.e %}', Cause: "{% 'because ' & $states.input.c %}" } }, 'F'), { e: 'Custom', c: 'x' });
  assert.equal(r.error, 'Custom');
  assert.equal(r.cause, 'because x');
});

test('a JSONata Task sends its Arguments and outputs $states.result by default', async () => {
  const def = jsonata({ T: { Type: 'Task', Resource: 'r', Arguments: { n: '{% $states.input.n + 1 %}' }, End: true } }, 'T');
  assert.deepEqual(await output(def, { n: 1 }, { taskHandler: (inv) => ({ got: inv.input }) }), { got: { n: 2 } });
  const shaped = jsonata({ T: { Type: 'Task', Resource: 'r', Output: { in: '{% $states.input %}', out: '{% $states.result.v %}' }, End: true } }, 'T');
  assert.deepEqual(await output(shaped, { a: 1 }, { taskHandler: () => ({ v: 'r' }) }), { in: { a: 1 }, out: 'r' });
});

test('a JSONata catcher shapes $states.errorOutput with Output and Assign', async () => {
  const def = jsonata(
    {
      T: { Type: 'Task', Resource: 'r', Catch: [{ ErrorEquals: ['States.ALL'], Assign: { err: '{% $states.errorOutput.Error %}' }, Output: { cause: '{% $states.errorOutput.Cause %}', input: '{% $states.input %}' }, Next: 'H' }], End: true },
      H: { Type: 'Pass', Output: { err: '{% $err %}', was: '{% $states.input %}' }, End: true },
    },
    'T',
  );
  assert.deepEqual(await output(def, { a: 1 }, {
    taskHandler: () => {
      throw new TaskFailure('Oops', 'why');
    },
  }), { err: 'Oops', was: { cause: 'why', input: { a: 1 } } });
});
