/** The States.* intrinsic functions, with AWS's quirks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../src/workflows/index.ts';
import { output, run, single } from './support.ts';

/** Evaluates one `.$` expression in a Pass state's Parameters. */
async function call(expression: string, input: Json = {}): Promise<Json | undefined> {
  const out = (await output(single({ Type: 'Pass', Parameters: { 'r.$': expression } }), input)) as { r: Json };
  return out.r;
}

async function failure(expression: string, input: Json = {}): Promise<string | null | undefined> {
  return (await run(single({ Type: 'Pass', Parameters: { 'r.$': expression } }), input)).error;
}

test('States.MathAdd rounds each operand like Java Math.round before adding', async () => {
  assert.equal(await call('States.MathAdd(1.49, 1.5)'), 3);
  assert.equal(await call('States.MathAdd(-1.5, 0)'), -1);
  assert.equal(await call('States.MathAdd(-0.5, 0)'), 0);
  assert.equal(await call('States.MathAdd(2.5, 0)'), 3);
  assert.equal(await call('States.MathAdd($.a, -1)', { a: 111 }), 110);
});

test('States.StringSplit splits on every delimiter character and drops empty tokens', async () => {
  assert.deepEqual(await call("States.StringSplit(',,,,', ',')"), []);
  assert.deepEqual(await call("States.StringSplit('This.is+a,test=string', '.+,=')"), ['This', 'is', 'a', 'test', 'string']);
  assert.deepEqual(await call("States.StringSplit(' , ', ',')"), [' ', ' ']);
});

test('States.StringToJson of a blank string is null', async () => {
  assert.equal(await call('States.StringToJson($.s)', { s: '' }), null);
  assert.equal(await call('States.StringToJson($.s)', { s: '   ' }), null);
  assert.deepEqual(await call('States.StringToJson($.s)', { s: '{"a":[1]}' }), { a: [1] });
});

test('States.Format renders objects and arrays Java-style and honours escaped braces', async () => {
  assert.equal(await call("States.Format('x={}', $.o)", { o: { Arg1: 1, Arg2: [] } }), 'x={Arg1=1, Arg2=[]}');
  assert.equal(await call("States.Format('{} {} {}', $.a, $.b, $.c)", { a: null, b: 1.1, c: [1, 'x'] }), 'null 1.1 [1, x]');
  assert.equal(await call("States.Format('\\{literal\\} {}', 'v')"), '{literal} v');
  assert.equal(await call("States.Format('it\\'s {}', 'ok')"), "it's ok");
  assert.equal(await failure("States.Format('{} {}', 'one')"), 'States.IntrinsicFailure');
});

test('States.JsonToString is compact and States.JsonMerge is shallow', async () => {
  assert.equal(await call('States.JsonToString($.o)', { o: { b: [1, 'x'], a: null } }), '{"b":[1,"x"],"a":null}');
  assert.deepEqual(await call('States.JsonMerge($.a, $.b, false)', { a: { x: { p: 1 }, y: 1 }, b: { x: { q: 2 } } }), { x: { q: 2 }, y: 1 });
  assert.equal(await failure('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }), 'States.IntrinsicFailure');
});

test('array functions', async () => {
  assert.deepEqual(await call("States.Array('a', 1, true, null, $.x)", { x: { y: 1 } }), ['a', 1, true, null, { y: 1 }]);
  assert.deepEqual(await call('States.ArrayPartition($.a, 4)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), [[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  assert.equal(await call('States.ArrayContains($.a, $.v)', { a: [{ k: [1] }], v: { k: [1] } }), true);
  assert.deepEqual(await call('States.ArrayRange(1, 9, 2)'), [1, 3, 5, 7, 9]);
  assert.deepEqual(await call('States.ArrayRange(5, 1, -2)'), [5, 3, 1]);
  assert.equal(await call('States.ArrayGetItem($.a, 1)', { a: ['x', 'y'] }), 'y');
  assert.equal(await call('States.ArrayLength($.a)', { a: [1, 2, 3] }), 3);
  assert.deepEqual(await call('States.ArrayUnique($.a)', { a: [1, 2, 2, { x: 1 }, { x: 1 }] }), [1, 2, { x: 1 }]);
});

test('array function argument errors are States.IntrinsicFailure', async () => {
  assert.equal(await failure('States.ArrayGetItem($.a, 5)', { a: [1] }), 'States.IntrinsicFailure');
  assert.equal(await failure('States.ArrayPartition($.a, 0)', { a: [1] }), 'States.IntrinsicFailure');
  assert.equal(await failure('States.ArrayRange(1, 2000, 1)'), 'States.IntrinsicFailure');
  assert.equal(await failure('States.ArrayRange(1, 5, 0)'), 'States.IntrinsicFailure');
  assert.equal(await failure('States.ArrayLength($.a)', { a: 'no' }), 'States.IntrinsicFailure');
  assert.equal(await failure('States.NoSuchFunction(1)'), 'States.IntrinsicFailure');
});

test('encoding and hashing', async () => {
  assert.equal(await call("States.Base64Encode('Data to encode')"), 'RGF0YSB0byBlbmNvZGU=');
  assert.equal(await call("States.Base64Decode('RGVjb2RlZCBkYXRh')"), 'Decoded data');
  assert.equal(await call("States.Hash('input data', 'SHA-1')"), 'aaff4a450a104cd177d28d18d74485e8cae074b7');
  assert.equal(await call("States.Hash('input data', 'MD5')"), '812f45842bc6d66ee14572ce20db8e86');
  assert.equal(await failure("States.Hash('x', 'SHA-3')"), 'States.IntrinsicFailure');
});

test('States.UUID and States.MathRandom use the injected randomness', async () => {
  // the injected uuid(): its first value named the execution, the second is the call's
  assert.equal(await call('States.UUID()'), '00000000-0000-4000-8000-000000000002');
  // random() is 0.5 in these tests: the middle of [1, 9]
  assert.equal(await call('States.MathRandom(1, 9)'), 5);
  // a seed gives the same value every time
  assert.equal(await call('States.MathRandom(1, 1000, 7)'), await call('States.MathRandom(1, 1000, 7)'));
});

test('intrinsic calls nest and read paths, context and variables', async () => {
  assert.equal(await call("States.Format('n={}', States.ArrayLength($.a))", { a: [1, 2, 3] }), 'n=3');
  assert.equal(await call("States.Format('{}', $$.State.Name)"), 'S');
});

test('a path argument that finds nothing is States.Runtime', async () => {
  assert.equal(await failure('States.ArrayLength($.missing)'), 'States.Runtime');
});
