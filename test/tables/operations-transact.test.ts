import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFixture, put, rejectsWith, typed, type Fixture } from './operations-fixture.ts';

let f: Fixture;
before(async () => {
  f = openFixture();
  await f.run(put({ id: 'a' }, { v: 1 }), 'orders');
  await f.run(put({ id: 'b' }, { v: 2 }), 'orders');
  await f.run(put({ pk: 'p', sk: 's' }, { n: 5 }), 'items');
});
after(() => f.close());

const get = (table: string, key: Record<string, string | number>) => f.run({ operation: 'GetItem', key: typed(key) }, table);
const TX_FAILED = 'The conditional request failed';

describe('TransactGetItems', () => {
  it('returns items in request order with null for missing ones', async () => {
    const out = await f.run({
      operation: 'TransactGetItems',
      transactItems: [
        { table: 'orders', key: typed({ id: 'b' }) },
        { table: 'orders', key: typed({ id: 'none' }) },
        { table: 'items', key: typed({ pk: 'p', sk: 's' }), projection: { expression: 'n' } },
      ],
    });
    assert.deepEqual(out, { items: [{ id: 'b', v: 2 }, null, { n: 5 }], cancellationReasons: null });
  });

  it('refuses an unknown table', async () => {
    await rejectsWith(f.run({ operation: 'TransactGetItems', transactItems: [{ table: 'nope', key: typed({ id: 'a' }) }] }), 'ResourceNotFoundException', 'Requested resource not found: Table: nope not found');
  });
});

describe('TransactWriteItems', () => {
  it('applies Put, Update, Delete and ConditionCheck together and returns the keys', async () => {
    const out = await f.run({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'orders', operation: 'PutItem', key: typed({ id: 'c' }), attributeValues: typed({ v: 3 }), condition: { expression: 'attribute_not_exists(id)' } },
        { table: 'orders', operation: 'UpdateItem', key: typed({ id: 'a' }), update: { expression: 'SET v = v + :one', expressionValues: { ':one': { N: 1 } } } },
        { table: 'orders', operation: 'DeleteItem', key: typed({ id: 'b' }) },
        { table: 'items', operation: 'ConditionCheck', key: typed({ pk: 'p', sk: 's' }), condition: { expression: 'n = :n', expressionValues: { ':n': { N: 5 } } } },
      ],
    });
    assert.deepEqual(out, { keys: [{ id: 'c' }, { id: 'a' }, { id: 'b' }, { pk: 'p', sk: 's' }], cancellationReasons: null });
    assert.deepEqual(await get('orders', { id: 'c' }), { v: 3, id: 'c' });
    assert.deepEqual(await get('orders', { id: 'a' }), { id: 'a', v: 2 });
    assert.equal(await get('orders', { id: 'b' }), null);
  });

  it('writes nothing when a ConditionCheck fails, and lists cancellation reasons in request order', async () => {
    const error = await rejectsWith(
      f.run({
        operation: 'TransactWriteItems',
        transactItems: [
          { table: 'orders', operation: 'PutItem', key: typed({ id: 'new' }), attributeValues: typed({ v: 9 }) },
          { table: 'items', operation: 'ConditionCheck', key: typed({ pk: 'p', sk: 's' }), condition: { expression: 'n = :n', expressionValues: { ':n': { N: 6 } }, returnValuesOnConditionCheckFailure: true } },
          { table: 'orders', operation: 'DeleteItem', key: typed({ id: 'a' }) },
        ],
      }),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
    );
    assert.deepEqual(error.result, {
      keys: null,
      cancellationReasons: [
        { type: 'None', message: 'None' },
        { type: 'ConditionalCheckFailed', message: TX_FAILED, item: { pk: 'p', sk: 's', n: 5 } },
        { type: 'None', message: 'None' },
      ],
    });
    assert.equal(await get('orders', { id: 'new' }), null);
    assert.deepEqual(await get('orders', { id: 'a' }), { id: 'a', v: 2 });
  });

  it('reports every failed condition, without the item unless asked', async () => {
    const error = await rejectsWith(
      f.run({
        operation: 'TransactWriteItems',
        transactItems: [
          { table: 'orders', operation: 'PutItem', key: typed({ id: 'a' }), attributeValues: {}, condition: { expression: 'attribute_not_exists(id)' } },
          { table: 'orders', operation: 'UpdateItem', key: typed({ id: 'zz' }), update: { expression: 'SET v = :v', expressionValues: { ':v': { N: 1 } } }, condition: { expression: 'attribute_exists(id)' } },
        ],
      }),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    assert.deepEqual(error.result, {
      keys: null,
      cancellationReasons: [
        { type: 'ConditionalCheckFailed', message: TX_FAILED },
        { type: 'ConditionalCheckFailed', message: TX_FAILED },
      ],
    });
    assert.equal(await get('orders', { id: 'zz' }), null);
  });

  it('refuses two operations on one item', async () => {
    await rejectsWith(
      f.run({
        operation: 'TransactWriteItems',
        transactItems: [
          { table: 'scores', operation: 'PutItem', key: typed({ player: 'ann', score: 1 }), attributeValues: {} },
          { table: 'scores', operation: 'DeleteItem', key: { player: { S: 'ann' }, score: { N: '1.0' } } },
        ],
      }),
      'ValidationException',
      'Transaction request cannot include multiple operations on one item',
    );
    assert.equal(await get('scores', { player: 'ann', score: 1 }), null);
  });

  it('writes nothing when an update in the transaction fails to apply', async () => {
    await rejectsWith(
      f.run({
        operation: 'TransactWriteItems',
        transactItems: [
          { table: 'orders', operation: 'PutItem', key: typed({ id: 'tx1' }), attributeValues: {} },
          { table: 'orders', operation: 'UpdateItem', key: typed({ id: 'a' }), update: { expression: 'SET v = nothere + :one', expressionValues: { ':one': { N: 1 } } } },
        ],
      }),
      'ValidationException',
      'The provided expression refers to an attribute that does not exist in the item',
    );
    assert.equal(await get('orders', { id: 'tx1' }), null);
  });

  it('validates items like PutItem does: key types, index keys and size', async () => {
    const tx = (item: Record<string, unknown>) => f.run({ operation: 'TransactWriteItems', transactItems: [item] });
    await rejectsWith(tx({ table: 'items', operation: 'PutItem', key: typed({ pk: 'p', sk: 'x' }), attributeValues: typed({ status: 1 }) }), 'ValidationException', 'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus');
    await rejectsWith(tx({ table: 'orders', operation: 'PutItem', key: typed({ id: 'big' }), attributeValues: typed({ d: 'x'.repeat(400 * 1024) }) }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
    await rejectsWith(tx({ table: 'orders', operation: 'ConditionCheck', key: typed({ id: 'a' }) }), 'ValidationException', 'ConditionCheck requires a condition expression');
  });
});
