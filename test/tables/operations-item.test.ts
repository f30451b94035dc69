import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFixture, put, rejectsWith, type Fixture } from './operations-fixture.ts';

let f: Fixture;
before(() => {
  f = openFixture();
});
after(() => f.close());

const notExists = { expression: 'attribute_not_exists(id)' };

describe('PutItem', () => {
  it('stores the key merged into attributeValues and returns the item', async () => {
    const out = await f.run({ operation: 'PutItem', key: { id: { S: 'p1' } }, attributeValues: { total: { N: 10 }, note: { S: 'x' } } }, 'orders');
    assert.deepEqual(out, { total: 10, note: 'x', id: 'p1' });
    assert.deepEqual(await f.run({ operation: 'GetItem', key: { id: { S: 'p1' } } }, 'orders'), { id: 'p1', total: 10, note: 'x' });
  });

  it('accepts a JSON number in N and stores it as number text', async () => {
    await f.run({ operation: 'PutItem', key: { id: { S: 'p2' } }, attributeValues: { n: { N: 2.5 } } }, 'orders');
    const raw = await f.store.get({ table: 'orders', pk: 'p2', sk: null });
    assert.equal(raw, JSON.stringify({ n: { N: '2.5' }, id: { S: 'p2' } }));
  });

  it('passes attribute_not_exists on a new key, then fails with ConditionalCheckFailedException', async () => {
    await f.run(put({ id: 'c1' }, { v: 1 }, notExists), 'orders');
    await rejectsWith(f.run(put({ id: 'c1' }, { v: 2 }, notExists), 'orders'), 'ConditionalCheckFailedException', 'The conditional request failed');
    assert.deepEqual(await f.run({ operation: 'GetItem', key: { id: { S: 'c1' } } }, 'orders'), { id: 'c1', v: 1 });
  });

  it('treats a failed condition as success when the stored item equals the new item (AppSync rule)', async () => {
    await f.run(put({ id: 'c2' }, { v: 1, s: 'a' }, notExists), 'orders');
    // Same content, attribute order and number spelling aside.
    const again = await f.run({ operation: 'PutItem', key: { id: { S: 'c2' } }, attributeValues: { s: { S: 'a' }, v: { N: '1.0' } }, condition: notExists }, 'orders');
    assert.deepEqual(again, { s: 'a', v: 1, id: 'c2' });
  });

  it('ignores equalsIgnore attributes when comparing a failed condition to the stored item', async () => {
    await f.run(put({ id: 'c3' }, { v: 1, version: 1 }), 'orders');
    const condition = { expression: 'attribute_not_exists(id)', equalsIgnore: ['version'] };
    assert.deepEqual(await f.run(put({ id: 'c3' }, { v: 1, version: 2 }, condition), 'orders'), { v: 1, version: 2, id: 'c3' });
    await rejectsWith(f.run(put({ id: 'c3' }, { v: 9, version: 3 }, condition), 'orders'), 'ConditionalCheckFailedException', 'The conditional request failed');
  });

  it('refuses a key attribute of the wrong type with DynamoDB\'s message', async () => {
    await rejectsWith(
      f.run({ operation: 'PutItem', key: { id: { N: 1 } }, attributeValues: {} }, 'orders'),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N',
    );
  });

  it('refuses an item without its sort key with DynamoDB\'s message', async () => {
    await rejectsWith(
      f.run({ operation: 'PutItem', key: { pk: { S: 'a' } }, attributeValues: { x: { S: '1' } } }, 'items'),
      'ValidationException',
      'One or more parameter values were invalid: Missing the key sk in the item',
    );
  });

  it('refuses an empty string key', async () => {
    await rejectsWith(
      f.run(put({ id: '' }), 'orders'),
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
    );
  });

  it('refuses a secondary index key of the wrong type', async () => {
    await rejectsWith(
      f.run(put({ pk: 'a', sk: 'b' }, { status: 5 }), 'items'),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus',
    );
  });

  it('refuses an item over 400 KB and accepts one just under', async () => {
    // 400 KB counts attribute names and values: "data" (4) + "id" (2) + "big" (3) + the value.
    const big = 'x'.repeat(400 * 1024 - 8);
    await rejectsWith(f.run(put({ id: 'big' }, { data: big }), 'orders'), 'ValidationException', 'Item size has exceeded the maximum allowed size');
    await f.run(put({ id: 'big' }, { data: 'x'.repeat(400 * 1024 - 9) }), 'orders');
    assert.equal(await f.run({ operation: 'GetItem', key: { id: { S: 'big' } }, projection: { expression: 'id' } }, 'orders').then((r) => JSON.stringify(r)), '{"id":"big"}');
  });
});

describe('number keys', () => {
  it('keeps numbers that differ beyond double precision as distinct keys', async () => {
    await f.run({ operation: 'PutItem', key: { player: { S: 'big' }, score: { N: '12345678901234567891' } }, attributeValues: { v: { S: 'a' } } }, 'scores');
    await f.run({ operation: 'PutItem', key: { player: { S: 'big' }, score: { N: '12345678901234567889' } }, attributeValues: { v: { S: 'b' } } }, 'scores');
    const page = (await f.run({ operation: 'Query', query: { expression: 'player = :p', expressionValues: { ':p': { S: 'big' } } } }, 'scores')) as { items: unknown[] };
    assert.deepEqual(page.items.map((i) => (i as { v: string }).v), ['b', 'a']);
  });

  it('finds a number key whatever its spelling (1, 1.0, 1e0)', async () => {
    await f.run({ operation: 'PutItem', key: { player: { S: 'sp' }, score: { N: '1.0' } }, attributeValues: {} }, 'scores');
    assert.deepEqual(await f.run({ operation: 'GetItem', key: { player: { S: 'sp' }, score: { N: '1e0' } } }, 'scores'), { player: 'sp', score: 1 });
  });

  it('refuses numbers outside DynamoDB\'s range', async () => {
    const attempt = (n: string) => f.run({ operation: 'PutItem', key: { id: { S: 'n' } }, attributeValues: { n: { N: n } } }, 'orders');
    await rejectsWith(attempt('1e126'), 'ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range (in attributeValues)');
    await rejectsWith(attempt('1e-131'), 'ValidationException', 'Number underflow. Attempting to store a number with magnitude smaller than supported range (in attributeValues)');
    await rejectsWith(attempt('1'.repeat(39)), 'ValidationException', 'Attempting to store more than 38 significant digits in a Number (in attributeValues)');
    await attempt('9.9999999999999999999999999999999999999E+125');
    await attempt('1e-130');
  });
});

describe('GetItem', () => {
  it('returns null for a missing item', async () => {
    assert.equal(await f.run({ operation: 'GetItem', key: { id: { S: 'nope' } } }, 'orders'), null);
  });

  it('applies a projection with expression names', async () => {
    await f.run(put({ id: 'g1' }, { a: 1, b: 2, c: 3 }), 'orders');
    const out = await f.run({ operation: 'GetItem', key: { id: { S: 'g1' } }, projection: { expression: '#a, c', expressionNames: { '#a': 'a' } } }, 'orders');
    assert.deepEqual(out, { a: 1, c: 3 });
  });

  it('validates the projection even when the item is missing', async () => {
    await rejectsWith(
      f.run({ operation: 'GetItem', key: { id: { S: 'nope' } }, projection: { expression: 'a', expressionNames: { '#x': 'x' } } }, 'orders'),
      'ValidationException',
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}',
    );
  });

  it('refuses a key that does not match the schema', async () => {
    const message = 'The provided key element does not match the schema';
    await rejectsWith(f.run({ operation: 'GetItem', key: { id: { N: 1 } } }, 'orders'), 'ValidationException', message);
    await rejectsWith(f.run({ operation: 'GetItem', key: { pk: { S: 'a' } } }, 'items'), 'ValidationException', message);
    await rejectsWith(f.run({ operation: 'GetItem', key: { id: { S: 'a' }, x: { S: 'b' } } }, 'orders'), 'ValidationException', message);
  });
});

describe('UpdateItem', () => {
  const key = { pk: { S: 'u' }, sk: { S: '1' } };

  it('creates the item when missing and returns the new item', async () => {
    const out = await f.run({ operation: 'UpdateItem', key, update: { expression: 'SET title = :t, n = :n', expressionValues: { ':t': { S: 'hello' }, ':n': { N: 1 } } } }, 'items');
    assert.deepEqual(out, { pk: 'u', sk: '1', title: 'hello', n: 1 });
  });

  it('applies SET, ADD and REMOVE to the stored item', async () => {
    const out = await f.run(
      {
        operation: 'UpdateItem',
        key,
        update: { expression: 'SET n = n + :one ADD tags :tags, visits :two REMOVE title', expressionValues: { ':one': { N: 1 }, ':tags': { SS: ['a', 'b'] }, ':two': { N: 2 } } },
      },
      'items',
    );
    assert.deepEqual(out, { pk: 'u', sk: '1', n: 2, tags: ['a', 'b'], visits: 2 });
  });

  it('checks its condition and leaves the item unchanged when it fails', async () => {
    const request = { operation: 'UpdateItem', key, update: { expression: 'SET n = :v', expressionValues: { ':v': { N: 100 } } }, condition: { expression: 'n = :old', expressionValues: { ':old': { N: 2 } } } };
    assert.deepEqual(await f.run(request, 'items'), { pk: 'u', sk: '1', n: 100, tags: ['a', 'b'], visits: 2 });
    const next = { ...request, update: { expression: 'SET n = :v', expressionValues: { ':v': { N: 200 } } } };
    await rejectsWith(f.run(next, 'items'), 'ConditionalCheckFailedException', 'The conditional request failed');
    assert.deepEqual(await f.run({ operation: 'GetItem', key }, 'items'), { pk: 'u', sk: '1', n: 100, tags: ['a', 'b'], visits: 2 });
  });

  it('fails attribute_exists on a missing item and creates nothing', async () => {
    const missing = { pk: { S: 'u' }, sk: { S: 'missing' } };
    await rejectsWith(
      f.run({ operation: 'UpdateItem', key: missing, update: { expression: 'SET a = :a', expressionValues: { ':a': { S: 'x' } } }, condition: { expression: 'attribute_exists(pk)' } }, 'items'),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    assert.equal(await f.run({ operation: 'GetItem', key: missing }, 'items'), null);
  });

  it('cannot change a key attribute', async () => {
    await rejectsWith(
      f.run({ operation: 'UpdateItem', key, update: { expression: 'SET sk = :v', expressionValues: { ':v': { S: '2' } } } }, 'items'),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
    );
  });

  it('refuses an empty string in the key', async () => {
    await rejectsWith(
      f.run({ operation: 'UpdateItem', key: { pk: { S: 'u' }, sk: { S: '' } }, update: { expression: 'SET a = :a', expressionValues: { ':a': { S: 'x' } } } }, 'items'),
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk',
    );
  });

  it('refuses to set a secondary index key to the wrong type', async () => {
    await rejectsWith(
      f.run({ operation: 'UpdateItem', key, update: { expression: 'SET createdAt = :v', expressionValues: { ':v': { N: 1 } } } }, 'items'),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key createdAt Expected: S Actual: N IndexName: byStatus',
    );
  });

  it('surfaces an undefined placeholder as ValidationException with DynamoDB\'s message', async () => {
    await rejectsWith(
      f.run({ operation: 'UpdateItem', key, update: { expression: 'SET a = :v' } }, 'items'),
      'ValidationException',
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });

  it('refuses placeholders that no expression uses', async () => {
    await rejectsWith(
      f.run({ operation: 'UpdateItem', key, update: { expression: 'SET a = :a', expressionValues: { ':a': { S: 'x' }, ':b': { S: 'y' } } } }, 'items'),
      'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}',
    );
  });
});

describe('DeleteItem', () => {
  it('returns the deleted item, then null once it is gone', async () => {
    await f.run(put({ id: 'd1' }, { v: 1 }), 'orders');
    assert.deepEqual(await f.run({ operation: 'DeleteItem', key: { id: { S: 'd1' } } }, 'orders'), { id: 'd1', v: 1 });
    assert.equal(await f.run({ operation: 'GetItem', key: { id: { S: 'd1' } } }, 'orders'), null);
    assert.equal(await f.run({ operation: 'DeleteItem', key: { id: { S: 'd1' } } }, 'orders'), null);
  });

  it('checks its condition and keeps the item when it fails', async () => {
    await f.run(put({ id: 'd2' }, { v: 1 }), 'orders');
    const request = (v: number) => ({ operation: 'DeleteItem', key: { id: { S: 'd2' } }, condition: { expression: 'v = :v', expressionValues: { ':v': { N: v } } } });
    await rejectsWith(f.run(request(2), 'orders'), 'ConditionalCheckFailedException', 'The conditional request failed');
    assert.deepEqual(await f.run({ operation: 'GetItem', key: { id: { S: 'd2' } } }, 'orders'), { id: 'd2', v: 1 });
    assert.deepEqual(await f.run(request(1), 'orders'), { id: 'd2', v: 1 });
  });

  it('treats a failed condition on an already deleted item as success (AppSync rule)', async () => {
    assert.equal(await f.run({ operation: 'DeleteItem', key: { id: { S: 'never' } }, condition: { expression: 'attribute_exists(id)' } }, 'orders'), null);
  });
});

describe('concurrent conditional writes', () => {
  it('lets exactly one of several same-tick attribute_not_exists puts win', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4].map((v) => f.run(put({ id: 'race' }, { v }, notExists), 'orders')));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'rejected']);
    assert.deepEqual(await f.run({ operation: 'GetItem', key: { id: { S: 'race' } } }, 'orders'), { id: 'race', v: 1 });
  });
});

describe('service errors', () => {
  it('refuses an unknown operation', async () => {
    await rejectsWith(
      f.run({ operation: 'Frobnicate' }, 'orders'),
      'ValidationException',
      "Unsupported operation 'Frobnicate'. Supported: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem, BatchPutItem, BatchDeleteItem, TransactGetItems, TransactWriteItems",
    );
  });

  it('refuses an unknown table with ResourceNotFoundException', async () => {
    await rejectsWith(f.run(put({ id: 'x' }), 'nope'), 'ResourceNotFoundException', 'Requested resource not found: Table: nope not found');
    await rejectsWith(
      f.run({ operation: 'BatchGetItem', tables: { nope: { keys: [{ id: { S: 'x' } }] } } }),
      'ResourceNotFoundException',
      'Requested resource not found: Table: nope not found',
    );
  });

  it('surfaces a condition syntax error as ValidationException', async () => {
    await rejectsWith(
      f.run(put({ id: 'x' }, {}, { expression: 'v = :v' }), 'orders'),
      'ValidationException',
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });
});
