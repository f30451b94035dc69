import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFixture, put, rejectsWith, type Fixture, type Page } from './operations-fixture.ts';

let f: Fixture;
before(async () => {
  f = openFixture();
  for (const sk of ['c', 'a#2', 'b#1', 'a#1', 'b#2', 'a#10']) await f.run(put({ pk: 'p', sk }, { kind: sk[0] as string }), 'items');
  await f.run(put({ pk: 'other', sk: 'a#1' }), 'items');
  for (const score of [10, 2, 100, -5, 1, 20, 2.5]) await f.run(put({ player: 'ann', score }, { odd: score % 2 === 1 ? 'yes' : 'no' }), 'scores');
  await f.run(put({ player: 'bob', score: 3 }), 'scores');
});
after(() => f.close());

function q(expression: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { operation: 'Query', query: { expression, expressionValues: values }, ...extra };
}

const sks = (page: Page) => page.items.map((i) => i['sk']);
const scores = (page: Page) => page.items.map((i) => i['score']);

async function walk(request: Record<string, unknown>, table: string): Promise<{ items: Record<string, unknown>[]; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const page: Page = await f.page({ ...request, ...(token === null ? {} : { nextToken: token }) }, table);
    items.push(...page.items);
    token = page.nextToken;
    pages += 1;
    assert.ok(pages < 50, 'pagination does not terminate');
  } while (token !== null);
  return { items, pages };
}

describe('Query on the table key', () => {
  const P = { ':p': { S: 'p' } };

  it('returns the whole partition in sort-key byte order', async () => {
    const page = await f.page(q('pk = :p', P), 'items');
    assert.deepEqual(sks(page), ['a#1', 'a#10', 'a#2', 'b#1', 'b#2', 'c']);
    assert.equal(page.nextToken, null);
    assert.equal(page.scannedCount, 6);
  });

  it('applies each sort-key operator', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['sk = :v', { ':v': { S: 'b#1' } }, ['b#1']],
      ['sk < :v', { ':v': { S: 'a#2' } }, ['a#1', 'a#10']],
      ['sk <= :v', { ':v': { S: 'a#2' } }, ['a#1', 'a#10', 'a#2']],
      ['sk > :v', { ':v': { S: 'b#1' } }, ['b#2', 'c']],
      ['sk >= :v', { ':v': { S: 'b#1' } }, ['b#1', 'b#2', 'c']],
      ['sk BETWEEN :v AND :w', { ':v': { S: 'a#10' }, ':w': { S: 'b#1' } }, ['a#10', 'a#2', 'b#1']],
      ['begins_with(sk, :v)', { ':v': { S: 'a#1' } }, ['a#1', 'a#10']],
      ['begins_with(sk, :v)', { ':v': { S: 'b' } }, ['b#1', 'b#2']],
      [':v <= sk', { ':v': { S: 'b#2' } }, ['b#2', 'c']],
    ];
    for (const [cond, values, expected] of cases) {
      const page = await f.page(q(`pk = :p AND ${cond}`, { ...P, ...values }), 'items');
      assert.deepEqual(sks(page), expected, cond);
    }
  });

  it('orders numeric sort keys numerically (2 < 10)', async () => {
    const page = await f.page(q('player = :p', { ':p': { S: 'ann' } }), 'scores');
    assert.deepEqual(scores(page), [-5, 1, 2, 2.5, 10, 20, 100]);
  });

  it('compares numeric sort keys by value in range conditions', async () => {
    const ann = { ':p': { S: 'ann' } };
    assert.deepEqual(scores(await f.page(q('player = :p AND score BETWEEN :a AND :b', { ...ann, ':a': { N: 2 }, ':b': { N: 20 } }), 'scores')), [2, 2.5, 10, 20]);
    assert.deepEqual(scores(await f.page(q('player = :p AND score > :a', { ...ann, ':a': { N: '2.0' } }), 'scores')), [2.5, 10, 20, 100]);
    assert.deepEqual(scores(await f.page(q('player = :p AND score < :a', { ...ann, ':a': { N: 2 } }), 'scores')), [-5, 1]);
    assert.deepEqual(scores(await f.page(q('player = :p AND score = :a', { ...ann, ':a': { N: '1e1' } }), 'scores')), [10]);
  });

  it('returns descending order with scanIndexForward: false', async () => {
    assert.deepEqual(scores(await f.page(q('player = :p', { ':p': { S: 'ann' } }, { scanIndexForward: false }), 'scores')), [100, 20, 10, 2.5, 2, 1, -5]);
    assert.deepEqual(sks(await f.page(q('pk = :p AND begins_with(sk, :a)', { ...P, ':a': { S: 'a' } }, { scanIndexForward: false }), 'items')), ['a#2', 'a#10', 'a#1']);
  });

  it('walks every page with limit and nextToken, with no duplicates or gaps, in both directions', async () => {
    for (const limit of [1, 2, 3, 7, 8]) {
      const forward = await walk(q('player = :p', { ':p': { S: 'ann' } }, { limit }), 'scores');
      assert.deepEqual(forward.items.map((i) => i['score']), [-5, 1, 2, 2.5, 10, 20, 100], `limit ${limit}`);
      const backward = await walk(q('player = :p', { ':p': { S: 'ann' } }, { limit, scanIndexForward: false }), 'scores');
      assert.deepEqual(backward.items.map((i) => i['score']), [100, 20, 10, 2.5, 2, 1, -5], `limit ${limit} backward`);
    }
    const ranged = await walk(q('pk = :p AND sk > :v', { ...P, ':v': { S: 'a#1' } }, { limit: 2 }), 'items');
    assert.deepEqual(ranged.items.map((i) => i['sk']), ['a#10', 'a#2', 'b#1', 'b#2', 'c']);
    assert.equal(ranged.pages, 3);
  });

  it('applies the filter after the limit: scannedCount counts items read, items those kept', async () => {
    const page = await f.page(q('player = :p', { ':p': { S: 'ann' } }, { limit: 3, filter: { expression: 'odd = :y', expressionValues: { ':y': { S: 'yes' } } } }), 'scores');
    assert.deepEqual(scores(page), [1]);
    assert.equal(page.scannedCount, 3);
    assert.notEqual(page.nextToken, null);
    const all = await walk(q('player = :p', { ':p': { S: 'ann' } }, { limit: 3, filter: { expression: 'odd = :y', expressionValues: { ':y': { S: 'yes' } } } }), 'scores');
    assert.deepEqual(all.items.map((i) => i['score']), [1]);
    assert.equal(all.pages, 3);
  });

  it('applies a projection', async () => {
    const page = await f.page(q('pk = :p AND sk = :s', { ...P, ':s': { S: 'c' } }, { projection: { expression: '#k', expressionNames: { '#k': 'kind' } } }), 'items');
    assert.deepEqual(page.items, [{ kind: 'c' }]);
  });

  it('refuses a key value whose type does not match the schema', async () => {
    const message = 'One or more parameter values were invalid: Condition parameter type does not match schema type';
    await rejectsWith(f.run(q('pk = :p', { ':p': { N: 1 } }), 'items'), 'ValidationException', message);
    await rejectsWith(f.run(q('player = :p AND score > :s', { ':p': { S: 'ann' }, ':s': { S: '1' } }), 'scores'), 'ValidationException', message);
  });

  it('refuses a query without a key condition on the partition key', async () => {
    await rejectsWith(f.run(q('sk = :s', { ':s': { S: 'c' } }), 'items'), 'ValidationException', 'Query condition missed key schema element: pk');
  });

  it('refuses an unknown index', async () => {
    await rejectsWith(f.run(q('pk = :p', P, { index: 'nope' }), 'items'), 'ValidationException', 'The table does not have the specified index: nope');
  });

  it('refuses a nextToken that is not its own', async () => {
    await rejectsWith(f.run(q('pk = :p', P, { nextToken: 'garbage' }), 'items'), 'ValidationException', 'Invalid pagination token');
  });

  it('surfaces an undefined placeholder as ValidationException', async () => {
    await rejectsWith(
      f.run({ operation: 'Query', query: { expression: 'pk = :nope' } }, 'items'),
      'ValidationException',
      'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope',
    );
  });
});

describe('Query on a global secondary index', () => {
  let g: Fixture;
  before(async () => {
    g = openFixture();
    const rows: [string, string, string | undefined, string | undefined][] = [
      ['o1', 'x', 'open', '2024-03'],
      ['o2', 'x', 'open', '2024-01'],
      ['o3', 'x', 'done', '2024-02'],
      ['o4', 'y', 'open', '2024-02'],
      ['o5', 'x', 'open', '2024-02'],
      ['o6', 'x', 'open', undefined], // no index sort key: not in the index
      ['o7', 'x', undefined, '2024-01'], // no index partition key: not in the index
      ['o8', 'x', 'OPEN', '2024-01'],
    ];
    for (const [pk, sk, status, createdAt] of rows) {
      await g.run(put({ pk, sk }, { ...(status ? { status } : {}), ...(createdAt ? { createdAt } : {}) }), 'items');
    }
  });
  after(() => g.close());

  const open = (extra: Record<string, unknown> = {}, cond = '', values: Record<string, unknown> = {}) => ({
    operation: 'Query',
    index: 'byStatus',
    query: { expression: `#s = :s${cond}`, expressionNames: { '#s': 'status' }, expressionValues: { ':s': { S: 'open' }, ...values } },
    ...extra,
  });

  it('returns the index partition ordered by the index sort key, leaving out items without the index keys', async () => {
    const page: Page = await g.page(open(), 'items');
    assert.deepEqual(page.items.map((i) => i['pk']), ['o2', 'o4', 'o5', 'o1']);
    assert.deepEqual(page.items.map((i) => i['createdAt']), ['2024-01', '2024-02', '2024-02', '2024-03']);
  });

  it('applies a sort-key condition and descending order on the index', async () => {
    const page: Page = await g.page(open({ scanIndexForward: false }, ' AND createdAt >= :c', { ':c': { S: '2024-02' } }), 'items');
    assert.deepEqual(page.items.map((i) => i['pk']), ['o1', 'o5', 'o4']);
  });

  it('walks the index with limit and nextToken with no duplicates or gaps', async () => {
    for (const limit of [1, 2, 3]) {
      for (const forward of [true, false]) {
        const walked: string[] = [];
        let token: string | null = null;
        do {
          const page: Page = await g.page({ ...open({ limit, scanIndexForward: forward }), ...(token ? { nextToken: token } : {}) }, 'items');
          walked.push(...page.items.map((i) => i['pk'] as string));
          token = page.nextToken;
        } while (token !== null);
        const expected = ['o2', 'o4', 'o5', 'o1'];
        assert.deepEqual(walked, forward ? expected : expected.reverse(), `limit ${limit} forward ${forward}`);
      }
    }
  });

  it('continues after the last key even when that item left the index between pages', async () => {
    const first: Page = await g.page(open({ limit: 2 }), 'items');
    assert.deepEqual(first.items.map((i) => i['pk']), ['o2', 'o4']);
    await g.run({ operation: 'DeleteItem', key: { pk: { S: 'o4' }, sk: { S: 'y' } } }, 'items');
    const second: Page = await g.page({ ...open({ limit: 2 }), nextToken: first.nextToken }, 'items');
    assert.deepEqual(second.items.map((i) => i['pk']), ['o5', 'o1']);
    assert.equal(second.nextToken, null);
  });

  it('refuses a token from the base table on the index', async () => {
    const base: Page = await g.page({ operation: 'Scan', limit: 1 }, 'items');
    assert.notEqual(base.nextToken, null);
    await rejectsWith(g.run({ ...open(), nextToken: base.nextToken }, 'items'), 'ValidationException', 'Invalid pagination token');
  });
});
