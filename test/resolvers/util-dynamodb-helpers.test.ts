/**
 * `@aws-appsync/utils/dynamodb` request builders. Cases marked "recorded" compare with outputs
 * recorded on AWS by localstack/appsync-utils (`index.test.js.snap`, `docs/…appsync.md` §6.7);
 * the others pin Switchboard's own rendering (same transform as util.transform, same update naming).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dynamodbHelpers } from '../../src/resolvers/util/index.ts';

type Fn = (...args: unknown[]) => unknown;
const ddb = dynamodbHelpers as Record<string, Fn>;
const ops = dynamodbHelpers['operations'] as Record<string, Fn>;
const call = (name: string, arg?: unknown): unknown => ddb[name]!(arg);
const op = (name: string, ...args: unknown[]): unknown => ops[name]!(...args);

test('get (recorded)', () => {
  assert.deepEqual(call('get', { key: { id: 'id' } }), { operation: 'GetItem', key: { id: { S: 'id' } } });
});

test('put (recorded): key attributes are not copied into attributeValues', () => {
  assert.deepEqual(call('put', { key: { id: 'abc' }, item: { value: 10 } }), {
    operation: 'PutItem',
    key: { id: { S: 'abc' } },
    attributeValues: { value: { N: 10 } },
  });
});

test('remove (recorded)', () => {
  assert.deepEqual(call('remove', { key: { id: 'test' } }), { operation: 'DeleteItem', key: { id: { S: 'test' } } });
});

test('scan (recorded)', () => {
  assert.deepEqual(call('scan', { limit: 10, nextToken: 'abc' }), { operation: 'Scan', limit: 10, nextToken: 'abc' });
});

const updateOf = (update: unknown): unknown => (call('update', { key: { id: 'test' }, update }) as { update: unknown }).update;

test('update with operations.add (recorded) is a SET', () => {
  assert.deepEqual(call('update', { key: { id: 'test' }, update: { age: op('add', 10) } }), {
    operation: 'UpdateItem',
    key: { id: { S: 'test' } },
    update: { expression: 'SET #expName_1 = :expValue_1', expressionNames: { '#expName_1': 'age' }, expressionValues: { ':expValue_1': { N: 10 } } },
  });
});

test('update with operations.append (recorded) uses list_append', () => {
  assert.deepEqual(updateOf({ values: op('append', [1, 2, 3]) }), {
    expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1)',
    expressionNames: { '#expName_1': 'values' },
    expressionValues: { ':expValue_1': { L: [{ N: 1 }, { N: 2 }, { N: 3 }] } },
  });
});

test('update with operations.prepend puts the new items first', () => {
  assert.deepEqual(updateOf({ values: op('prepend', [1]) }), {
    expression: 'SET #expName_1 = list_append(:expValue_1, #expName_1)',
    expressionNames: { '#expName_1': 'values' },
    expressionValues: { ':expValue_1': { L: [{ N: 1 }] } },
  });
});

test('update with operations.increment and decrement', () => {
  assert.deepEqual(updateOf({ age: op('increment', 10) }), {
    expression: 'SET #expName_1 = #expName_1 + :expValue_1',
    expressionNames: { '#expName_1': 'age' },
    expressionValues: { ':expValue_1': { N: 10 } },
  });
  assert.deepEqual(updateOf({ age: op('decrement', 10) }), {
    expression: 'SET #expName_1 = #expName_1 - :expValue_1',
    expressionNames: { '#expName_1': 'age' },
    expressionValues: { ':expValue_1': { N: 10 } },
  });
});

test('update with operations.replace overwrites the whole value', () => {
  assert.deepEqual(updateOf({ values: op('replace', { a: 10 }) }), {
    expression: 'SET #expName_1 = :expValue_1',
    expressionNames: { '#expName_1': 'values' },
    expressionValues: { ':expValue_1': { M: { a: { N: 10 } } } },
  });
});

test('update mixes plain values, nested paths and operations.remove', () => {
  assert.deepEqual(updateOf({ status: 'X', address: { city: 'Paris' }, old: op('remove'), tags: [op('updateListItem', 'b', 1)] }), {
    expression: 'SET #expName_1 = :expValue_1, #expName_2.#expName_3 = :expValue_2, #expName_5[1] = :expValue_3 REMOVE #expName_4',
    expressionNames: { '#expName_1': 'status', '#expName_2': 'address', '#expName_3': 'city', '#expName_4': 'old', '#expName_5': 'tags' },
    expressionValues: { ':expValue_1': { S: 'X' }, ':expValue_2': { S: 'Paris' }, ':expValue_3': { S: 'b' } },
  });
});

test('operations produce the recorded operation objects', () => {
  assert.deepEqual(op('add', 10), { type: 'OPERATION_ADD', value: 10 });
  assert.deepEqual(op('append', [1, 2, 3]), { type: 'OPERATION_APPEND', items: [1, 2, 3] });
  assert.deepEqual(op('decrement', 10), { type: 'OPERATION_DECREMENT', by: 10 });
  assert.deepEqual(op('increment', 10), { type: 'OPERATION_INCREMENT', by: 10 });
  assert.deepEqual(op('prepend', [1, 2, 3]), { type: 'OPERATION_PREPEND', items: [1, 2, 3] });
  assert.deepEqual(op('replace', { a: 10 }), { type: 'OPERATION_REPLACE', value: { a: 10 } });
  assert.deepEqual(op('increment'), { type: 'OPERATION_INCREMENT', by: 1 });
});

test('put with a condition renders it like toDynamoDBConditionExpression', () => {
  assert.deepEqual(call('put', { key: { id: 'a' }, item: { status: 'NEW' }, condition: { id: { attributeExists: false } } }), {
    operation: 'PutItem',
    key: { id: { S: 'a' } },
    attributeValues: { status: { S: 'NEW' } },
    condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
  });
});

test('update and remove carry a condition built from a filter object', () => {
  const request = call('update', { key: { id: 'a' }, update: { n: 1 }, condition: { status: { eq: 'X' } } }) as Record<string, unknown>;
  assert.deepEqual(request['condition'], {
    expression: '(#status = :status_eq)',
    expressionNames: { '#status': 'status' },
    expressionValues: { ':status_eq': { S: 'X' } },
  });
  const removal = call('remove', { key: { id: 'a' }, condition: { version: { eq: 3 } }, _version: 3 }) as Record<string, unknown>;
  assert.deepEqual(removal, {
    operation: 'DeleteItem',
    key: { id: { S: 'a' } },
    condition: { expression: '(#version = :version_eq)', expressionNames: { '#version': 'version' }, expressionValues: { ':version_eq': { N: 3 } } },
    _version: 3,
  });
});

test('a condition that is already an expression passes through', () => {
  const condition = { expression: 'attribute_not_exists(id)' };
  assert.deepEqual((call('put', { key: { id: 'a' }, item: {}, condition }) as Record<string, unknown>)['condition'], condition);
});

test('query renders key conditions and passes the index through', () => {
  assert.deepEqual(call('query', { query: { gsi1pk: { eq: 'ORDER#1' }, gsi1sk: { beginsWith: 'ITEM' } }, index: 'Orders', limit: 5, nextToken: null }), {
    operation: 'Query',
    query: {
      expression: '(#gsi1pk = :gsi1pk_eq) AND (begins_with(#gsi1sk,:gsi1sk_beginsWith))',
      expressionNames: { '#gsi1pk': 'gsi1pk', '#gsi1sk': 'gsi1sk' },
      expressionValues: { ':gsi1pk_eq': { S: 'ORDER#1' }, ':gsi1sk_beginsWith': { S: 'ITEM' } },
    },
    index: 'Orders',
    limit: 5,
  });
});

test('query and scan filters, projection and scan segments', () => {
  assert.deepEqual(call('scan', { filter: { n: { gt: 2 } }, totalSegments: 4, segment: 1, projection: ['a', 'b'] }), {
    operation: 'Scan',
    totalSegments: 4,
    segment: 1,
    filter: { expression: '(#n > :n_gt)', expressionNames: { '#n': 'n' }, expressionValues: { ':n_gt': { N: 2 } } },
    projection: { expression: '#a, #b', expressionNames: { '#a': 'a', '#b': 'b' } },
  });
});

test('a filter object that cannot be rendered is an error, not a silent full scan', () => {
  assert.throws(() => call('scan', { filter: { n: 'x' } }), /not a valid filter object/);
  assert.throws(() => call('get', {}), /requires a 'key' object/);
});

test('batchGet, batchPut and batchDelete convert keys and items per table', () => {
  assert.deepEqual(call('batchGet', { tables: { Posts: { keys: [{ id: '1' }, { id: '2' }], consistentRead: true } } }), {
    operation: 'BatchGetItem',
    tables: { Posts: { keys: [{ id: { S: '1' } }, { id: { S: '2' } }], consistentRead: true } },
  });
  assert.deepEqual(call('batchPut', { tables: { Posts: [{ id: '1', n: 2 }] } }), {
    operation: 'BatchPutItem',
    tables: { Posts: [{ id: { S: '1' }, n: { N: 2 } }] },
  });
  assert.deepEqual(call('batchDelete', { tables: { Posts: [{ id: '1' }] } }), {
    operation: 'BatchDeleteItem',
    tables: { Posts: [{ id: { S: '1' } }] },
  });
});

test('transactGet and transactWrite build TransactGetItems / TransactWriteItems', () => {
  assert.deepEqual(call('transactGet', { items: [{ table: 'T', key: { id: '1' } }] }), {
    operation: 'TransactGetItems',
    transactItems: [{ table: 'T', key: { id: { S: '1' } } }],
  });
  assert.deepEqual(
    call('transactWrite', {
      items: [
        { table: 'T', operation: 'put', key: { id: '1' }, item: { n: 1 }, condition: { id: { attributeExists: false } } },
        { table: 'T', operation: 'update', key: { id: '2' }, update: { n: op('increment', 1) } },
        { table: 'T', operation: 'remove', key: { id: '3' } },
        { table: 'T', operation: 'conditionCheck', key: { id: '4' }, condition: { n: { gt: 0 } }, returnValuesOnConditionCheckFailure: true },
      ],
    }),
    {
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'T',
          operation: 'PutItem',
          key: { id: { S: '1' } },
          attributeValues: { n: { N: 1 } },
          condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
        },
        {
          table: 'T',
          operation: 'UpdateItem',
          key: { id: { S: '2' } },
          update: { expression: 'SET #expName_1 = #expName_1 + :expValue_1', expressionNames: { '#expName_1': 'n' }, expressionValues: { ':expValue_1': { N: 1 } } },
        },
        { table: 'T', operation: 'DeleteItem', key: { id: { S: '3' } } },
        {
          table: 'T',
          operation: 'ConditionCheck',
          key: { id: { S: '4' } },
          condition: {
            expression: '(#n > :n_gt)',
            expressionNames: { '#n': 'n' },
            expressionValues: { ':n_gt': { N: 0 } },
            returnValuesOnConditionCheckFailure: true,
          },
        },
      ],
    },
  );
});

test('sync builds a Sync request (not offered by AWS)', () => {
  assert.deepEqual(call('sync', { limit: 10, nextToken: 'abc', lastSync: 1 }), { operation: 'Sync', limit: 10, nextToken: 'abc', lastSync: 1 });
});
