import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openFixture, put, rejectsWith, type Fixture, type Page } from './operations-fixture.ts';

let f: Fixture;
const ALL: string[] = [];
before(async () => {
  f = openFixture();
  for (let p = 0; p < 12; p++) {
    for (let s = 0; s < 3; s++) {
      const pk = `p${p}`;
      const sk = `s${s}`;
      ALL.push(`${pk}/${sk}`);
      // Every third item is in the byStatus index.
      await f.run(put({ pk, sk }, { n: p * 3 + s, ...(s === 1 ? { status: 'open', createdAt: `t${p}` } : {}) }), 'items');
    }
  }
  await f.run(put({ player: 'ann', score: 1 }), 'scores');
  ALL.sort();
});
after(() => f.close());

const id = (i: Record<string, unknown>) => `${String(i['pk'])}/${String(i['sk'])}`;

async function walk(request: Record<string, unknown>): Promise<{ ids: string[]; pages: number; scanned: number }> {
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  let scanned = 0;
  do {
    const page: Page = await f.page({ operation: 'Scan', ...request, ...(token === null ? {} : { nextToken: token }) }, 'items');
    ids.push(...page.items.map(id));
    scanned += page.scannedCount;
    token = page.nextToken;
    pages += 1;
    assert.ok(pages < 100, 'pagination does not terminate');
  } while (token !== null);
  return { ids, pages, scanned };
}

describe('Scan', () => {
  it('returns every item of the table and only that table', async () => {
    const page = await f.page({ operation: 'Scan' }, 'items');
    assert.deepEqual(page.items.map(id).sort(), ALL);
    assert.equal(page.scannedCount, 36);
    assert.equal(page.nextToken, null);
  });

  it('walks every page with limit and nextToken, with no duplicates or gaps', async () => {
    for (const limit of [1, 5, 35, 36, 37]) {
      const walked = await walk({ limit });
      assert.deepEqual([...walked.ids].sort(), ALL, `limit ${limit}`);
      assert.equal(walked.ids.length, 36);
      assert.equal(walked.pages, Math.ceil(36 / limit), `pages for limit ${limit}`);
    }
  });

  it('applies the filter after the limit', async () => {
    const filter = { expression: 'n < :max', expressionValues: { ':max': { N: 6 } } };
    const first = await f.page({ operation: 'Scan', limit: 10, filter }, 'items');
    assert.equal(first.scannedCount, 10);
    const walked = await walk({ limit: 10, filter });
    assert.deepEqual([...walked.ids].sort(), ['p0/s0', 'p0/s1', 'p0/s2', 'p1/s0', 'p1/s1', 'p1/s2']);
    assert.equal(walked.scanned, 36);
  });

  it('applies a projection', async () => {
    const page = await f.page({ operation: 'Scan', limit: 1, projection: { expression: 'n' } }, 'items');
    assert.equal(page.items.length, 1);
    assert.deepEqual(Object.keys(page.items[0] ?? {}), ['n']);
  });

  it('splits the table into segments that cover every item exactly once', async () => {
    for (const totalSegments of [1, 2, 3, 7]) {
      const seen: string[] = [];
      for (let segment = 0; segment < totalSegments; segment++) {
        const walked = await walk({ totalSegments, segment, limit: 4 });
        seen.push(...walked.ids);
      }
      assert.deepEqual(seen.sort(), ALL, `totalSegments ${totalSegments}`);
    }
  });

  it('scans a secondary index: only items carrying its key attributes', async () => {
    const walked = await walk({ index: 'byStatus', limit: 5 });
    assert.deepEqual([...walked.ids].sort(), ALL.filter((x) => x.endsWith('/s1')));
    assert.equal(walked.pages, 3);
  });

  it('refuses bad segment parameters with DynamoDB\'s messages', async () => {
    await rejectsWith(
      f.run({ operation: 'Scan', totalSegments: 2, segment: 2 }, 'items'),
      'ValidationException',
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2',
    );
    await rejectsWith(
      f.run({ operation: 'Scan', segment: 0 }, 'items'),
      'ValidationException',
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  });

  it('refuses a filter with an undefined placeholder', async () => {
    await rejectsWith(
      f.run({ operation: 'Scan', filter: { expression: 'n = :x' } }, 'items'),
      'ValidationException',
      'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    );
  });
});
