/**
 * `lambdaResult`: an app function's value as Lambda's Node.js runtime returns it, its JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lambdaResult } from '../../src/core/index.ts';

test('a value is returned as its JSON: a Date as its text, undefined members left out, NaN as null', () => {
  assert.deepEqual(lambdaResult({ at: new Date(0), gone: undefined, n: Number.NaN, list: [1, undefined] }), { at: '1970-01-01T00:00:00.000Z', n: null, list: [1, null] });
});

test('nothing (undefined, null, a function) is null', () => {
  assert.equal(lambdaResult(undefined), null);
  assert.equal(lambdaResult(null), null);
  assert.equal(lambdaResult(() => 1), null);
});

test('a value JSON cannot hold throws the serializer\'s TypeError, as it fails a Lambda invocation', () => {
  assert.throws(() => lambdaResult({ n: 1n }), TypeError);
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  assert.throws(() => lambdaResult(cycle), TypeError);
});
