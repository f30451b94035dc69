import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../src/tables/attribute-value.ts';
import { compileKeyCondition, ExpressionError } from '../../src/tables/expressions/index.ts';

const schema = { partitionKey: 'pk', sortKey: 'sk' };
const values: Record<string, AttributeValue> = { ':p': { S: 'user#1' }, ':a': { S: 'a' }, ':b': { S: 'b' }, ':n': { N: '1' } };

function key(expression: string, names?: Record<string, string>) {
  return compileKeyCondition({ expression, values, ...(names ? { names } : {}) }, schema);
}

function fails(expression: string, message: string, keySchema: { partitionKey: string; sortKey?: string } = schema): void {
  assert.throws(
    () => compileKeyCondition({ expression, values }, keySchema),
    (err: unknown) => err instanceof ExpressionError && err.message === message,
  );
}

describe('key conditions', () => {
  it('takes the partition value from an equality', () => {
    const k = key('pk = :p');
    assert.deepEqual(k.partitionValue, { S: 'user#1' });
    assert.equal(k.sort, undefined);
  });

  it('accepts every sort key comparator', () => {
    for (const op of ['=', '<', '<=', '>', '>='] as const) {
      assert.deepEqual(key(`pk = :p AND sk ${op} :a`).sort, { op, values: [{ S: 'a' }] });
    }
  });

  it('accepts BETWEEN and begins_with on the sort key, in either order of conditions', () => {
    assert.deepEqual(key('pk = :p AND sk BETWEEN :a AND :b').sort, { op: 'BETWEEN', values: [{ S: 'a' }, { S: 'b' }] });
    assert.deepEqual(key('begins_with(sk, :a) AND pk = :p').sort, { op: 'BEGINS_WITH', values: [{ S: 'a' }] });
  });

  it('mirrors a comparison written value-first', () => {
    assert.deepEqual(key('pk = :p AND :a < sk').sort, { op: '>', values: [{ S: 'a' }] });
  });

  it('resolves #name placeholders and reports them as used', () => {
    const k = key('#k = :p AND #s >= :a', { '#k': 'pk', '#s': 'sk' });
    assert.deepEqual(k.sort?.op, '>=');
    assert.deepEqual([...k.usedNames].sort(), ['#k', '#s']);
    assert.deepEqual([...k.usedValues].sort(), [':a', ':p']);
  });

  it('evaluates items against the whole condition', () => {
    const k = key('pk = :p AND begins_with(sk, :a)');
    assert.equal(k.evaluate({ pk: { S: 'user#1' }, sk: { S: 'abc' } }), true);
    assert.equal(k.evaluate({ pk: { S: 'user#1' }, sk: { S: 'bcd' } }), false);
  });
});

describe('key condition errors', () => {
  it('requires the partition key', () => {
    fails('sk = :a', 'Query condition missed key schema element: pk');
  });

  it('requires equality on the partition key', () => {
    fails('pk > :p', 'Query key condition not supported');
    fails('begins_with(pk, :a)', 'Query key condition not supported');
  });

  it('refuses non-key attributes', () => {
    fails('pk = :p AND color = :a', 'Query key condition not supported');
    fails('pk = :p AND sk = :a', 'Query key condition not supported', { partitionKey: 'pk' });
  });

  it('allows one condition per key', () => {
    fails('pk = :p AND sk > :a AND sk < :b', 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key');
  });

  it('refuses operators a key condition cannot use', () => {
    fails('pk = :p OR sk = :a', 'Invalid operator used in KeyConditionExpression: OR');
    fails('NOT pk = :p', 'Invalid operator used in KeyConditionExpression: NOT');
    fails('pk = :p AND sk <> :a', 'Invalid operator used in KeyConditionExpression: <>');
    fails('pk IN (:p)', 'Invalid operator used in KeyConditionExpression: IN');
    fails('pk = :p AND attribute_exists(sk)', 'Invalid operator used in KeyConditionExpression: attribute_exists');
    fails('pk = :p AND contains(sk, :a)', 'Invalid operator used in KeyConditionExpression: contains');
  });

  it('refuses begins_with on a number', () => {
    fails('pk = :p AND begins_with(sk, :n)', 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  });

  it('refuses BETWEEN with inverted bounds', () => {
    fails('pk = :p AND sk BETWEEN :b AND :a', 'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}');
  });

  it('reports syntax errors with the KeyConditionExpression prefix', () => {
    fails('pk = ', 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "="');
  });
});
