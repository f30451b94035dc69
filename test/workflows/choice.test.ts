/** Choice rules (JSONPath) and Conditions (JSONata). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../src/workflows/index.ts';
import { run } from './support.ts';

/** Runs a Choice with one rule; returns 'yes', 'no' or the error. */
async function decide(rule: Record<string, unknown>, input: Json): Promise<unknown> {
  const r = await run({
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  }, input);
  return r.status === 'SUCCEEDED' ? r.output : r.error;
}

test('a comparison against a value of another type is false, not an error', async () => {
  assert.equal(await decide({ Variable: '$.v', StringEquals: '1' }, { v: 1 }), 'no');
  assert.equal(await decide({ Variable: '$.v', NumericEquals: 0 }, { v: '0' }), 'no');
  assert.equal(await decide({ Variable: '$.v', BooleanEquals: false }, { v: 0 }), 'no');
  assert.equal(await decide({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: null }), 'no');
});

test('IsX false is the negation of IsX true', async () => {
  assert.equal(await decide({ Variable: '$.v', IsNull: false }, { v: 1 }), 'yes');
  assert.equal(await decide({ Variable: '$.v', IsNull: false }, { v: null }), 'no');
  assert.equal(await decide({ Variable: '$.v', IsString: false }, { v: 1 }), 'yes');
  assert.equal(await decide({ Variable: '$.v', IsNumeric: true }, { v: 1.5 }), 'yes');
  assert.equal(await decide({ Variable: '$.v', IsBoolean: true }, { v: 'true' }), 'no');
});

test('IsPresent is the only test that accepts a missing Variable', async () => {
  assert.equal(await decide({ Variable: '$.v', IsPresent: false }, {}), 'yes');
  assert.equal(await decide({ Variable: '$.v', IsPresent: true }, {}), 'no');
  assert.equal(await decide({ Variable: '$.v', NumericEquals: 1 }, {}), 'States.Runtime');
  assert.equal(await decide({ And: [{ Variable: '$.v', IsPresent: true }, { Variable: '$.v', NumericEquals: 1 }] }, {}), 'no');
});

test('IsTimestamp and Timestamp operators accept only RFC 3339 with an offset', async () => {
  assert.equal(await decide({ Variable: '$.v', IsTimestamp: true }, { v: '2012-10-09T19:00:55Z' }), 'yes');
  assert.equal(await decide({ Variable: '$.v', IsTimestamp: true }, { v: '2012-10-09T19:00:55.123+01:00' }), 'yes');
  assert.equal(await decide({ Variable: '$.v', IsTimestamp: true }, { v: '2012-10-09T19:00:55' }), 'no');
  assert.equal(await decide({ Variable: '$.v', IsTimestamp: true }, { v: '2023-02-24 12:15:56.832957' }), 'no');
  assert.equal(await decide({ Variable: '$.v', TimestampLessThan: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T20:00:54+01:00' }), 'yes');
  assert.equal(await decide({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55.000Z' }), 'yes');
});

test('string comparisons are by UTF-16 code unit order', async () => {
  assert.equal(await decide({ Variable: '$.v', StringLessThan: 'AB' }, { v: 'A' }), 'yes');
  assert.equal(await decide({ Variable: '$.v', StringGreaterThanEquals: '' }, { v: '' }), 'yes');
  assert.equal(await decide({ Variable: '$.v', StringLessThan: 'a' }, { v: 'Z' }), 'yes');
});

test('StringMatches: * is a wildcard, \\* a literal star', async () => {
  assert.equal(await decide({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2024-01.txt' }), 'yes');
  assert.equal(await decide({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'data.txt' }), 'no');
  assert.equal(await decide({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'a*b' }), 'yes');
  assert.equal(await decide({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'axxb' }), 'no');
});

test('...Path operators compare against another path, variables included', async () => {
  assert.equal(await decide({ Variable: '$.a', NumericGreaterThanPath: '$.b' }, { a: 3, b: 2 }), 'yes');
  assert.equal(await decide({ Variable: '$.a', StringEqualsPath: '$$.State.Name' }, { a: 'C' }), 'yes');
});

test('And, Or and Not combine rules', async () => {
  assert.equal(await decide({ Or: [{ Variable: '$.v', NumericLessThan: 1 }, { Variable: '$.v', NumericGreaterThan: 10 }] }, { v: 20 }), 'yes');
  assert.equal(await decide({ Not: { Variable: '$.t', StringEquals: 'Private' } }, { t: 'Public' }), 'yes');
});

test('no matching rule and no Default is States.NoChoiceMatched', async () => {
  const r = await run({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.v', StringEquals: 'x', Next: 'Y' }] }, Y: { Type: 'Pass', End: true } } }, { v: 'z' });
  assert.equal(r.error, 'States.NoChoiceMatched');
});

test('a JSONata Condition must be a boolean', async () => {
  const def = (condition: unknown): unknown => ({
    QueryLanguage: 'JSONata',
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: [{ Condition: condition, Next: 'Y' }], Default: 'N' }, Y: { Type: 'Pass', Output: 'y', End: true }, N: { Type: 'Pass', Output: 'n', End: true } },
  });
  assert.equal((await run(def('{% $states.input.v > 1 %}'), { v: 2 })).output, 'y');
  assert.equal((await run(def(true), {})).output, 'y');
  assert.equal((await run(def('{% $states.input.v %}'), { v: 'text' })).error, 'States.QueryEvaluationError');
});

test('a Choice rule Assign applies on top of the state-level Assign', async () => {
  const def = {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Assign: { status: 'default', seen: true }, Choices: [{ Variable: '$.v', NumericEquals: 1, Assign: { status: 'one' }, Next: 'F' }], Default: 'F' },
      F: { Type: 'Pass', Parameters: { 'status.$': '$status', 'seen.$': '$seen' }, End: true },
    },
  };
  assert.deepEqual((await run(def, { v: 1 })).output, { status: 'one', seen: true });
  assert.deepEqual((await run(def, { v: 2 })).output, { status: 'default', seen: true });
});
