/**
 * `util.dynamodb.*` against the outputs recorded on AWS by localstack/appsync-utils
 * (`__tests__/__snapshots__/index.test.js.snap`): numbers stay JSON numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { createUtil, dynamodbHelpers } from '../../src/resolvers/util/index.ts';

const util = createUtil({
  clock: new VirtualClock(),
  authType: () => 'API Key Authorization',
  appendError: () => undefined,
  currentField: () => ({ typeName: 'Query', fieldName: 'x' }),
});
const ddb = util['dynamodb'] as Record<string, (...args: unknown[]) => unknown>;
const call = (name: string, ...args: unknown[]): unknown => ddb[name]!(...args);

const CASES: [string, string, unknown[], unknown][] = [
  ['toDynamoDB string', 'toDynamoDB', ['test'], { S: 'test' }],
  ['toDynamoDB number', 'toDynamoDB', [12345], { N: 12345 }],
  ['toDynamoDB boolean', 'toDynamoDB', [true], { BOOL: true }],
  ['toString', 'toString', ['test'], { S: 'test' }],
  ['toStringSet', 'toStringSet', [['foo', 'bar', 'baz']], { SS: ['foo', 'bar', 'baz'] }],
  ['toNumber', 'toNumber', [12345], { N: 12345 }],
  ['toNumberSet', 'toNumberSet', [[1, 23, 4.56]], { NS: [1, 23, 4.56] }],
  ['toBinary', 'toBinary', ['foo'], { B: 'foo' }],
  ['toBinarySet', 'toBinarySet', [['foo', 'bar', 'baz']], { BS: ['foo', 'bar', 'baz'] }],
  ['toBoolean', 'toBoolean', [true], { BOOL: true }],
  ['toNull', 'toNull', [], { NULL: null }],
  ['toList', 'toList', [['foo', 123, { bar: 'baz' }]], { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] }],
  [
    'toMap',
    'toMap',
    [{ foo: 'bar', baz: 1234, beep: ['boop'] }],
    { M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } },
  ],
  ['toMapValues', 'toMapValues', [{ foo: 'bar', baz: 1234, beep: ['boop'] }], { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } }],
  ['toS3Object with three parameters', 'toS3Object', ['foo', 'bar', 'baz'], { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' }],
  [
    'toS3Object with four parameters',
    'toS3Object',
    ['foo', 'bar', 'baz', 'beep'],
    { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' },
  ],
];

for (const [name, fn, args, expected] of CASES) {
  test(`util.dynamodb.${name}`, () => {
    assert.deepEqual(call(fn, ...args), expected);
  });
}

test('util.dynamodb.toDynamoDB null and nested values', () => {
  assert.deepEqual(call('toDynamoDB', null), { NULL: null });
  assert.deepEqual(call('toDynamoDB', { a: [1, { b: false }], c: null }), {
    M: { a: { L: [{ N: 1 }, { M: { b: { BOOL: false } } }] }, c: { NULL: null } },
  });
});

test('util.dynamodb.toMapValues drops undefined properties like JSON does', () => {
  assert.deepEqual(call('toMapValues', { a: 1, b: undefined }), { a: { N: 1 } });
});

test('util.dynamodb.fromS3ObjectJson reads back what toS3Object wrote', () => {
  const stored = call('toS3Object', 'foo', 'bar', 'baz', 'beep') as { S: string };
  assert.deepEqual(call('fromS3ObjectJson', stored.S), { key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' });
  assert.deepEqual(call('fromS3ObjectJson', stored), { key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' });
  assert.equal(call('fromS3ObjectJson', 'not json'), null);
});

test('the dynamodb module set helpers store sets, not maps, inside items', () => {
  const toStringSet = dynamodbHelpers['toStringSet'] as (v: unknown) => unknown;
  const toNumberSet = dynamodbHelpers['toNumberSet'] as (v: unknown) => unknown;
  const tags = toStringSet(['a', 'b']);
  assert.deepEqual(JSON.parse(JSON.stringify(tags)), { SS: ['a', 'b'] });
  assert.deepEqual(call('toMapValues', { tags, scores: toNumberSet([1, 2]) }), { tags: { SS: ['a', 'b'] }, scores: { NS: [1, 2] } });
});
