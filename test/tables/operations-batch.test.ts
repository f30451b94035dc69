import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFixture, put, rejectsWith, typed, type Fixture } from './operations-fixture.ts';

let f: Fixture;
before(() => {
  f = openFixture();
});
after(() => f.close());

const get = (table: string, key: Record<string, string | number>) => f.run({ operation: 'GetItem', key: typed(key) }, table);

describe('BatchPutItem', () => {
  it('writes items to several tables and returns them', async () => {
    const out = await f.run({
      operation: 'BatchPutItem',
      tables: {
        orders: [typed({ id: 'b1', v: 1 }), { id: { S: 'b2' }, v: { N: 2 } }],
        scores: [typed({ player: 'ann', score: 10 })],
      },
    });
    assert.deepEqual(out, {
      data: { orders: [{ id: 'b1', v: 1 }, { id: 'b2', v: 2 }], scores: [{ player: 'ann', score: 10 }] },
      unprocessedItems: { orders: [], scores: [] },
    });
    assert.deepEqual(await get('orders', { id: 'b2' }), { id: 'b2', v: 2 });
    assert.deepEqual(await get('scores', { player: 'ann', score: 10 }), { player: 'ann', score: 10 });
  });

  it('writes nothing when one item is invalid', async () => {
    await rejectsWith(
      f.run({ operation: 'BatchPutItem', tables: { orders: [typed({ id: 'b3' }), typed({ v: 1 })] } }),
      'ValidationException',
      'One or more parameter values were invalid: Missing the key id in the item',
    );
    assert.equal(await get('orders', { id: 'b3' }), null);
  });

  it('refuses two items with one key', async () => {
    await rejectsWith(
      f.run({ operation: 'BatchPutItem', tables: { orders: [typed({ id: 'dup', v: 1 }), typed({ id: 'dup', v: 2 })] } }),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
    assert.equal(await get('orders', { id: 'dup' }), null);
  });

  it('refuses more than 25 items', async () => {
    const items = Array.from({ length: 26 }, (_, i) => typed({ id: `many${i}` }));
    await rejectsWith(f.run({ operation: 'BatchPutItem', tables: { orders: items } }), 'ValidationException', 'Too many items requested for the BatchWriteItem call');
  });

  it('refuses an item over 400 KB', async () => {
    await rejectsWith(
      f.run({ operation: 'BatchPutItem', tables: { orders: [typed({ id: 'huge', data: 'x'.repeat(400 * 1024) })] } }),
      'ValidationException',
      'Item size has exceeded the maximum allowed size',
    );
  });
});

describe('BatchGetItem', () => {
  before(async () => {
    await f.run(put({ id: 'g1' }, { v: 1, w: 'a' }), 'orders');
    await f.run(put({ id: 'g2' }, { v: 2, w: 'b' }), 'orders');
    await f.run(put({ player: 'bob', score: 3 }), 'scores');
  });

  it('keeps request order with null for missing items, per table', async () => {
    const out = await f.run({
      operation: 'BatchGetItem',
      tables: {
        orders: { keys: [typed({ id: 'g2' }), typed({ id: 'missing' }), typed({ id: 'g1' })] },
        scores: { keys: [typed({ player: 'bob', score: 3 })] },
      },
    });
    assert.deepEqual(out, {
      data: { orders: [{ id: 'g2', v: 2, w: 'b' }, null, { id: 'g1', v: 1, w: 'a' }], scores: [{ player: 'bob', score: 3 }] },
      unprocessedKeys: { orders: [], scores: [] },
    });
  });

  it('applies a projection', async () => {
    const out = await f.run({ operation: 'BatchGetItem', tables: { orders: { keys: [typed({ id: 'g1' })], projection: { expression: '#w', expressionNames: { '#w': 'w' } } } } });
    assert.deepEqual(out, { data: { orders: [{ w: 'a' }] }, unprocessedKeys: { orders: [] } });
  });

  it('refuses a key that does not match the schema', async () => {
    await rejectsWith(
      f.run({ operation: 'BatchGetItem', tables: { orders: { keys: [typed({ id: 'g1', v: 1 })] } } }),
      'ValidationException',
      'The provided key element does not match the schema',
    );
  });

  it('refuses duplicate keys', async () => {
    await rejectsWith(
      f.run({ operation: 'BatchGetItem', tables: { orders: { keys: [typed({ id: 'g1' }), typed({ id: 'g1' })] } } }),
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
  });

  it('refuses more than 100 keys', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => typed({ id: `k${i}` }));
    await rejectsWith(f.run({ operation: 'BatchGetItem', tables: { orders: { keys } } }), 'ValidationException', 'Too many items requested for the BatchGetItem call');
  });
});

describe('BatchDeleteItem', () => {
  it('deletes the items and returns their keys', async () => {
    await f.run(put({ id: 'd1' }, { v: 1 }), 'orders');
    await f.run(put({ player: 'cy', score: 7 }), 'scores');
    const out = await f.run({ operation: 'BatchDeleteItem', tables: { orders: [typed({ id: 'd1' }), typed({ id: 'never' })], scores: [typed({ player: 'cy', score: 7 })] } });
    assert.deepEqual(out, { data: { orders: [{ id: 'd1' }, { id: 'never' }], scores: [{ player: 'cy', score: 7 }] }, unprocessedKeys: { orders: [], scores: [] } });
    assert.equal(await get('orders', { id: 'd1' }), null);
    assert.equal(await get('scores', { player: 'cy', score: 7 }), null);
  });

  it('refuses a key that does not match the schema', async () => {
    await rejectsWith(f.run({ operation: 'BatchDeleteItem', tables: { scores: [typed({ player: 'cy' })] } }), 'ValidationException', 'The provided key element does not match the schema');
  });
});
