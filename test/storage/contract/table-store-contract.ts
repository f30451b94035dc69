/**
 * The `TableStore` contract (`src/storage/table-store.ts`), one test per guarantee, registered by
 * `describeTableStoreContract` for any adapter: atomic read-decide-write, durability, DynamoDB's
 * sort-key order, pagination, scans, attribute lookups and the change records of `withChanges`.
 * `test/storage/contract-sqlite.test.ts` and `contract-postgres.test.ts` run it.
 */
import assert from 'node:assert/strict';
import { describe, test as nodeTest } from 'node:test';
import type { ChangeSink, ItemChange, ItemRef, LogRecord, SortKeyValue, StoredItem, TableStore } from '../../../src/storage/index.ts';

/** A store under test; each test opens its own and closes it. */
export interface StoreFixture<S> {
  readonly store: S;
  /** Closes the current connection and answers a store on the same data (a restart). */
  reopen(): Promise<S>;
  close(): Promise<void>;
}

export interface TableStoreFixture extends StoreFixture<TableStore> {
  /** The change records appended for `stream` by this store's `withChanges` views, in offset order. */
  readChanges(stream: string): Promise<readonly LogRecord[]>;
}

/** Registers a skipped suite when `skip` is a reason, the real one otherwise. */
export type SkipReason = string | false;

/**
 * `test` for one contract run: with a skip reason every test is still registered, and reported
 * skipped with that reason (a skipped `describe` would hide how many there are).
 */
export function contractTest(skip: SkipReason): (name: string, run: () => Promise<void>) => void {
  return (name, run) => {
    if (skip === false) nodeTest(name, run);
    else nodeTest(name, { skip }, run);
  };
}

export async function using<F extends { close(): Promise<void> }>(open: () => Promise<F>, run: (fixture: F) => Promise<void>): Promise<void> {
  const fixture = await open();
  try {
    await run(fixture);
  } finally {
    await fixture.close();
  }
}

const num = (n: number): SortKeyValue => ({ n, text: String(n) });
const txt = (text: string): SortKeyValue => ({ text });
const ref = (table: string, pk: string, sk: SortKeyValue | null = null): ItemRef => ({ table, pk, sk });
const sks = (rows: readonly StoredItem[]): (string | undefined)[] => rows.map((r) => r.sk?.text);

async function put(store: TableStore, refs: readonly ItemRef[], text = (r: ItemRef) => JSON.stringify({ pk: r.pk, sk: r.sk?.text ?? null })): Promise<void> {
  await store.atomically(refs, () => ({ writes: refs.map(text), result: undefined }));
}

/** Every page of a partition query, walking `after` keys, at a page size. */
async function walk(store: TableStore, table: string, pk: string, forward: boolean, limit: number, numericSortKey?: boolean): Promise<string[]> {
  const seen: string[] = [];
  let after: SortKeyValue | null = null;
  for (let i = 0; i < 100; i++) {
    const rows: readonly StoredItem[] = await store.queryPartition(table, { pk, forward, limit, ...(after !== null ? { after } : {}), ...(numericSortKey === undefined ? {} : { numericSortKey }) });
    assert.ok(rows.length <= limit, 'a page holds at most limit items');
    seen.push(...rows.map((r) => String(r.sk?.text)));
    if (rows.length < limit) return seen;
    after = rows[rows.length - 1]?.sk ?? null;
  }
  throw new Error('pagination does not terminate');
}

const NUMBERS = [10, 2, -5, 1.5, 100, 0, -0.5, 1e15, -1e15, 3.25];
const NUMBERS_SORTED = ['-1000000000000000', '-5', '-0.5', '0', '1.5', '2', '3.25', '10', '100', '1000000000000000'];
// UTF-8 byte order: digits < upper < lower < U+00E4 < U+FF61 < U+1F600 (UTF-16 order would put the emoji before U+FF61).
const TEXTS = ['b', 'B', 'a', 'ä', '10', '2', 'a#1', '\u{1F600}', '\uFF61', 'a_', 'a%'];
const TEXTS_SORTED = ['10', '2', 'B', 'a', 'a#1', 'a%', 'a_', 'b', 'ä', '\uFF61', '\u{1F600}'];

let streamNo = 0;
function sink(stream = `changes-${process.pid}-${++streamNo}`): ChangeSink & { seen: (ItemChange & { offset: number })[]; commits: number } {
  const s = {
    stream,
    seen: [] as (ItemChange & { offset: number })[],
    commits: 0,
    record(change: ItemChange, offset: number) {
      s.seen.push({ ...change, offset });
      return { id: `${stream}-${offset}-${s.seen.length}`, time: 1, payload: JSON.stringify({ before: change.before ?? null, after: change.after ?? null }) };
    },
    onCommit() {
      s.commits += 1;
    },
  };
  return s;
}

export function describeTableStoreContract(adapterName: string, open: () => Promise<TableStoreFixture>, options: { readonly skip?: SkipReason } = {}): void {
  const skip = options.skip ?? false;
  const test = contractTest(skip);
  describe(`TableStore contract: ${adapterName}`, () => {
    describe('reads and writes', () => {
      test('an absent item reads as undefined', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.get(ref('t', 'nobody')), undefined);
          assert.equal(await store.get(ref('t', 'nobody', txt('x'))), undefined);
        }));

      test('an item put twice keeps the last write', () =>
        using(open, async ({ store }) => {
          const r = ref('t', 'a', txt('1'));
          await store.atomically([r], () => ({ writes: ['{"v":1}'], result: undefined }));
          await store.atomically([r], () => ({ writes: ['{"v":2}'], result: undefined }));
          assert.equal(await store.get(r), '{"v":2}');
          assert.equal((await store.queryPartition('t', { pk: 'a', forward: true, limit: 10 })).length, 1);
        }));

      test('the item text is stored exactly as written', () =>
        using(open, async ({ store }) => {
          const text = '{"s":{"S":"ä \\u0000 \\"q\\" 😀"},  "n" : {"N":"1.50"}}';
          await store.atomically([ref('t', 'exact')], () => ({ writes: [text], result: undefined }));
          assert.equal(await store.get(ref('t', 'exact')), text);
        }));

      test('items are keyed by table, partition key and sort key', () =>
        using(open, async ({ store }) => {
          await put(store, [ref('t1', 'p', txt('s')), ref('t2', 'p', txt('s')), ref('t1', 'q', txt('s')), ref('t1', 'p', txt('s2')), ref('t1', 'p')], (r) => JSON.stringify([r.table, r.pk, r.sk?.text ?? null]));
          assert.equal(await store.get(ref('t1', 'p', txt('s'))), '["t1","p","s"]');
          assert.equal(await store.get(ref('t2', 'p', txt('s'))), '["t2","p","s"]');
          assert.equal(await store.get(ref('t1', 'q', txt('s'))), '["t1","q","s"]');
          assert.equal(await store.get(ref('t1', 'p', txt('s2'))), '["t1","p","s2"]');
          assert.equal(await store.get(ref('t1', 'p')), '["t1","p",null]');
        }));

      test('a write of null deletes the item and undefined leaves it as is', () =>
        using(open, async ({ store }) => {
          const keep = ref('t', 'keep');
          const drop = ref('t', 'drop');
          await put(store, [keep, drop]);
          await store.atomically([keep, drop], () => ({ writes: [undefined, null], result: undefined }));
          assert.equal(await store.get(keep), '{"pk":"keep","sk":null}');
          assert.equal(await store.get(drop), undefined);
        }));

      test('deleting an absent item is a no-op', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.atomically([ref('t', 'ghost')], () => ({ writes: [null], result: 'ok' })), 'ok');
          assert.equal(await store.get(ref('t', 'ghost')), undefined);
        }));

      test('decide sees the current items in refs order, absent ones as undefined, and its result is the answer', () =>
        using(open, async ({ store }) => {
          await put(store, [ref('t', 'x'), ref('t', 'z')]);
          const seen = await store.atomically([ref('t', 'z'), ref('t', 'y'), ref('t', 'x')], (current) => ({ writes: [undefined, undefined, undefined], result: [...current] }));
          assert.deepEqual(seen, ['{"pk":"z","sk":null}', undefined, '{"pk":"x","sk":null}']);
        }));

      test('writes are durable: a reopened store reads them', async () => {
        const f = await open();
        try {
          await put(f.store, [ref('t', 'durable', num(1))]);
          await f.store.atomically([ref('t', 'gone')], () => ({ writes: ['"x"'], result: undefined }));
          await f.store.atomically([ref('t', 'gone')], () => ({ writes: [null], result: undefined }));
          const again = await f.reopen();
          assert.equal(await again.get(ref('t', 'durable', num(1))), '{"pk":"durable","sk":"1"}');
          assert.equal(await again.get(ref('t', 'gone')), undefined);
          assert.deepEqual((await again.queryPartition('t', { pk: 'durable', forward: true, limit: 5 }))[0]?.sk, { n: 1, text: '1' });
        } finally {
          await f.close();
        }
      });
    });

    describe('atomically', () => {
      test('a decide that throws writes nothing and the error is the rejection', () =>
        using(open, async ({ store }) => {
          await put(store, [ref('t', 'a')]);
          const boom = new Error('ConditionalCheckFailed');
          await assert.rejects(
            store.atomically([ref('t', 'a'), ref('t', 'b')], () => {
              throw boom;
            }),
            (e: unknown) => e === boom,
          );
          assert.equal(await store.get(ref('t', 'a')), '{"pk":"a","sk":null}');
          assert.equal(await store.get(ref('t', 'b')), undefined);
        }));

      test('a multi-item write lands on every item', () =>
        using(open, async ({ store }) => {
          const refs = [ref('t', 'm1'), ref('u', 'm2', txt('s')), ref('t', 'm3', num(3))];
          await store.atomically(refs, () => ({ writes: ['1', '2', '3'], result: undefined }));
          assert.deepEqual(await Promise.all(refs.map((r) => store.get(r))), ['1', '2', '3']);
        }));

      test('a failing write does not take concurrent writes down', () =>
        using(open, async ({ store }) => {
          const ok = store.atomically([ref('t', 'ok1')], () => ({ writes: ['"one"'], result: 1 }));
          const bad = store.atomically([ref('t', 'bad')], () => {
            throw new Error('no');
          });
          const ok2 = store.atomically([ref('t', 'ok2')], () => ({ writes: ['"two"'], result: 2 }));
          const settled = await Promise.allSettled([ok, bad, ok2]);
          assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
          assert.equal(await store.get(ref('t', 'ok1')), '"one"');
          assert.equal(await store.get(ref('t', 'bad')), undefined);
          assert.equal(await store.get(ref('t', 'ok2')), '"two"');
        }));

      test('concurrent read-modify-writes of one item never lose an update', () =>
        using(open, async ({ store }) => {
          const r = ref('t', 'counter');
          const bump = () =>
            store.atomically([r], ([cur]) => {
              const n = cur === undefined ? 0 : (JSON.parse(cur) as number);
              return { writes: [JSON.stringify(n + 1)], result: n + 1 };
            });
          const results = await Promise.all(Array.from({ length: 20 }, bump));
          assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
          assert.equal(await store.get(r), '20');
        }));

      test('of concurrent conditional puts of an absent item exactly one sees it absent', () =>
        using(open, async ({ store }) => {
          const r = ref('t', 'claimed', txt('once'));
          const attempts = Array.from({ length: 10 }, (_, i) =>
            store.atomically([r], ([cur]) => (cur === undefined ? { writes: [JSON.stringify(i)], result: true } : { writes: [undefined], result: false })),
          );
          const won = (await Promise.all(attempts)).filter(Boolean).length;
          assert.equal(won, 1);
        }));

      test('concurrent multi-item writes over the same items in opposite orders stay atomic', () =>
        using(open, async ({ store }) => {
          const a = ref('acct', 'a');
          const b = ref('acct', 'b');
          await store.atomically([a, b], () => ({ writes: ['100', '100'], result: undefined }));
          const move = (from: ItemRef, to: ItemRef) =>
            store.atomically([from, to], ([f, t]) => ({ writes: [String(Number(f) - 1), String(Number(t) + 1)], result: undefined }));
          await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? move(a, b) : move(b, a))));
          const total = Number(await store.get(a)) + Number(await store.get(b));
          assert.equal(total, 200);
          assert.equal(await store.get(a), '100');
        }));
    });

    describe('sort-key order and conditions', () => {
      test('number sort keys are ordered numerically, negatives and fractions included', () =>
        using(open, async ({ store }) => {
          await put(store, NUMBERS.map((n) => ref('nums', 'p', num(n))));
          const rows = await store.queryPartition('nums', { pk: 'p', forward: true, limit: 100 });
          assert.deepEqual(sks(rows), NUMBERS_SORTED);
          assert.deepEqual(rows[0]?.sk, { n: -1e15, text: '-1000000000000000' });
          assert.equal(rows[0]?.pk, 'p');
        }));

      test('text sort keys are ordered by UTF-8 bytes', () =>
        using(open, async ({ store }) => {
          await put(store, TEXTS.map((t) => ref('texts', 'p', txt(t))));
          const rows = await store.queryPartition('texts', { pk: 'p', forward: true, limit: 100 });
          assert.deepEqual(sks(rows), TEXTS_SORTED);
          assert.deepEqual(rows[0]?.sk, { text: '10' });
        }));

      test('a backward query returns the reverse order', () =>
        using(open, async ({ store }) => {
          await put(store, NUMBERS.map((n) => ref('nums', 'p', num(n))));
          await put(store, TEXTS.map((t) => ref('texts', 'p', txt(t))));
          assert.deepEqual(sks(await store.queryPartition('nums', { pk: 'p', forward: false, limit: 100 })), [...NUMBERS_SORTED].reverse());
          assert.deepEqual(sks(await store.queryPartition('texts', { pk: 'p', forward: false, limit: 100 })), [...TEXTS_SORTED].reverse());
        }));

      test('number conditions (=, <, <=, >, >=, BETWEEN) compare by value', () =>
        using(open, async ({ store }) => {
          await put(store, NUMBERS.map((n) => ref('nums', 'p', num(n))));
          const q = async (range: Parameters<TableStore['queryPartition']>[1]['range'], forward = true) => sks(await store.queryPartition('nums', { pk: 'p', ...(range !== undefined ? { range } : {}), forward, limit: 100 }));
          assert.deepEqual(await q({ op: '=', value: num(1.5) }), ['1.5']);
          assert.deepEqual(await q({ op: '<', value: num(0) }), ['-1000000000000000', '-5', '-0.5']);
          assert.deepEqual(await q({ op: '<=', value: num(0) }), ['-1000000000000000', '-5', '-0.5', '0']);
          assert.deepEqual(await q({ op: '>', value: num(10) }), ['100', '1000000000000000']);
          assert.deepEqual(await q({ op: '>=', value: num(10) }, false), ['1000000000000000', '100', '10']);
          assert.deepEqual(await q({ op: 'BETWEEN', low: num(-1), high: num(10) }), ['-0.5', '0', '1.5', '2', '3.25', '10']);
          assert.deepEqual(await q({ op: 'BETWEEN', low: num(4), high: num(5) }), []);
        }));

      test('text conditions compare by bytes and BEGINS_WITH matches literal prefixes only', () =>
        using(open, async ({ store }) => {
          await put(store, TEXTS.map((t) => ref('texts', 'p', txt(t))));
          const q = async (range: Parameters<TableStore['queryPartition']>[1]['range']) => sks(await store.queryPartition('texts', { pk: 'p', ...(range !== undefined ? { range } : {}), forward: true, limit: 100 }));
          assert.deepEqual(await q({ op: '<', value: txt('a') }), ['10', '2', 'B']);
          assert.deepEqual(await q({ op: '>=', value: txt('b') }), ['b', 'ä', '\uFF61', '\u{1F600}']);
          assert.deepEqual(await q({ op: '>', value: txt('\uFF61') }), ['\u{1F600}']);
          assert.deepEqual(await q({ op: 'BETWEEN', low: txt('a'), high: txt('a_') }), ['a', 'a#1', 'a%', 'a_']);
          assert.deepEqual(await q({ op: 'BEGINS_WITH', prefix: 'a' }), ['a', 'a#1', 'a%', 'a_']);
          assert.deepEqual(await q({ op: 'BEGINS_WITH', prefix: 'a_' }), ['a_'], '_ is no wildcard');
          assert.deepEqual(await q({ op: 'BEGINS_WITH', prefix: 'a%' }), ['a%'], '% is no wildcard');
          assert.deepEqual(await q({ op: 'BEGINS_WITH', prefix: 'A' }), [], 'case matters');
          assert.deepEqual(await q({ op: 'BEGINS_WITH', prefix: 'ä' }), ['ä']);
          assert.deepEqual(await q({ op: '=', value: txt('\u{1F600}') }), ['\u{1F600}']);
        }));

      test('a query reads one partition of one table only', () =>
        using(open, async ({ store }) => {
          await put(store, [ref('t', 'p', txt('1')), ref('t', 'p', txt('2')), ref('t', 'p2', txt('1')), ref('t', 'p ', txt('1')), ref('other', 'p', txt('3'))]);
          const rows = await store.queryPartition('t', { pk: 'p', forward: true, limit: 100 });
          assert.deepEqual(rows.map((r) => [r.pk, r.sk?.text, r.item]), [['p', '1', '{"pk":"p","sk":"1"}'], ['p', '2', '{"pk":"p","sk":"2"}']]);
          assert.deepEqual(await store.queryPartition('t', { pk: 'absent', forward: true, limit: 100 }), []);
          assert.deepEqual(await store.queryPartition('no-such-table', { pk: 'p', forward: true, limit: 100 }), []);
        }));

      test('an item of a table without a sort key comes back with sk null', () =>
        using(open, async ({ store }) => {
          await put(store, [ref('hashonly', 'k')]);
          const rows = await store.queryPartition('hashonly', { pk: 'k', forward: true, limit: 10 });
          assert.deepEqual(rows, [{ pk: 'k', sk: null, item: '{"pk":"k","sk":null}' }]);
        }));
    });

    describe('pagination', () => {
      test('a query paginates after the given key in both directions, numbers and text, at every page size, told the key type or not', () =>
        using(open, async ({ store }) => {
          await put(store, NUMBERS.map((n) => ref('nums', 'p', num(n))));
          await put(store, TEXTS.map((t) => ref('texts', 'p', txt(t))));
          for (const [nums, texts] of [[undefined, undefined], [true, false]] as const) {
            for (const limit of [1, 2, 3, 5, 10, 11]) {
              const told = nums === undefined ? '' : ', key type given';
              assert.deepEqual(await walk(store, 'nums', 'p', true, limit, nums), NUMBERS_SORTED, `nums forward by ${limit}${told}`);
              assert.deepEqual(await walk(store, 'nums', 'p', false, limit, nums), [...NUMBERS_SORTED].reverse(), `nums backward by ${limit}${told}`);
              assert.deepEqual(await walk(store, 'texts', 'p', true, limit, texts), TEXTS_SORTED, `texts forward by ${limit}${told}`);
              assert.deepEqual(await walk(store, 'texts', 'p', false, limit, texts), [...TEXTS_SORTED].reverse(), `texts backward by ${limit}${told}`);
            }
          }
        }));

      test('a page ending exactly at the last item is followed by an empty page', () =>
        using(open, async ({ store }) => {
          await put(store, [1, 2, 3, 4].map((n) => ref('t', 'p', num(n))));
          const first = await store.queryPartition('t', { pk: 'p', forward: true, limit: 4 });
          assert.equal(first.length, 4);
          assert.deepEqual(await store.queryPartition('t', { pk: 'p', forward: true, limit: 4, after: first[3]?.sk ?? null }), []);
        }));

      test('pagination combines with a range condition', () =>
        using(open, async ({ store }) => {
          await put(store, [1, 2, 3, 4, 5, 6].map((n) => ref('t', 'p', num(n))));
          const range = { op: 'BETWEEN', low: num(2), high: num(5) } as const;
          const page1 = await store.queryPartition('t', { pk: 'p', range, forward: true, limit: 2 });
          const page2 = await store.queryPartition('t', { pk: 'p', range, forward: true, limit: 2, after: page1[1]?.sk ?? null });
          const page3 = await store.queryPartition('t', { pk: 'p', range, forward: true, limit: 2, after: page2[1]?.sk ?? null });
          assert.deepEqual([sks(page1), sks(page2), sks(page3)], [['2', '3'], ['4', '5'], []]);
        }));

      test('an after key that is not stored continues from where it would sort', () =>
        using(open, async ({ store }) => {
          await put(store, [1, 3, 5].map((n) => ref('t', 'p', num(n))));
          assert.deepEqual(sks(await store.queryPartition('t', { pk: 'p', forward: true, limit: 10, after: num(2) })), ['3', '5']);
          assert.deepEqual(sks(await store.queryPartition('t', { pk: 'p', forward: false, limit: 10, after: num(4) })), ['3', '1']);
        }));
    });

    describe('scan', () => {
      test('a scan returns every item of the table once, in (pk, sk) byte order, and paginates by (pk, sk)', () =>
        using(open, async ({ store }) => {
          const refs = ['b', 'a', 'ä', 'B'].flatMap((pk) => ['2', '10', 'x'].map((s) => ref('scan', pk, txt(s))));
          await put(store, refs);
          await put(store, [ref('scan-other', 'a', txt('1'))]);
          const expected = ['B', 'a', 'b', 'ä'].flatMap((pk) => ['10', '2', 'x'].map((s) => `${pk}/${s}`));
          for (const limit of [1, 4, 12, 13]) {
            const seen: string[] = [];
            let after: { pk: string; sk: SortKeyValue | null } | undefined;
            for (let i = 0; i < 100; i++) {
              const rows: readonly StoredItem[] = await store.scan('scan', { limit, ...(after !== undefined ? { after } : {}) });
              assert.ok(rows.length <= limit);
              seen.push(...rows.map((r) => `${r.pk}/${r.sk?.text ?? ''}`));
              const last = rows[rows.length - 1];
              if (last === undefined || rows.length < limit) break;
              after = { pk: last.pk, sk: last.sk };
            }
            assert.deepEqual(seen, expected, `scan by ${limit}`);
          }
        }));

      test('a scan of a table without sort keys paginates by partition key', () =>
        using(open, async ({ store }) => {
          await put(store, ['c', 'a', 'b'].map((pk) => ref('flat', pk)));
          const first = await store.scan('flat', { limit: 2 });
          assert.deepEqual(first.map((r) => r.pk), ['a', 'b']);
          assert.equal(first[0]?.sk, null);
          const last = first[1] as StoredItem;
          assert.deepEqual((await store.scan('flat', { limit: 2, after: { pk: last.pk, sk: last.sk } })).map((r) => r.pk), ['c']);
        }));

      test('a scan of an empty or unknown table is empty', () =>
        using(open, async ({ store }) => {
          assert.deepEqual(await store.scan('nothing-here', { limit: 10 }), []);
        }));
    });

    describe('findByAttribute', () => {
      test('finds the items whose JSON string at the path equals the value, within one table', () =>
        using(open, async ({ store }) => {
          const item = (id: string, gsi: unknown) => JSON.stringify({ id: { S: id }, gsi1pk: gsi });
          await store.atomically([ref('idx', 'a'), ref('idx', 'b'), ref('idx', 'c'), ref('idx', 'd'), ref('idx2', 'e')], () => ({
            writes: [item('a', { S: 'g1' }), item('b', { S: 'g2' }), item('c', { S: 'g1' }), item('d', { N: 'g1' }), item('e', { S: 'g1' })],
            result: undefined,
          }));
          const found = await store.findByAttribute('idx', '$."gsi1pk"."S"', 'g1');
          assert.deepEqual(found.map((r) => r.pk).sort(), ['a', 'c']);
          assert.equal(found.find((r) => r.pk === 'a')?.item, item('a', { S: 'g1' }));
          assert.deepEqual(await store.findByAttribute('idx', '$."gsi1pk"."S"', 'nope'), []);
          assert.deepEqual(await store.findByAttribute('idx', '$."missing"."S"', 'g1'), []);
        }));

      test('a number at the path does not equal its text', () =>
        using(open, async ({ store }) => {
          await store.atomically([ref('idx', 'n')], () => ({ writes: ['{"k":{"S":5}}'], result: undefined }));
          assert.deepEqual(await store.findByAttribute('idx', '$."k"."S"', '5'), []);
        }));
    });

    describe('withChanges', () => {
      test('each changed item gets one record in its write transaction, with the offset handed to record', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          const store = base.withChanges({ orders: s });
          await store.atomically([ref('orders', 'a')], () => ({ writes: ['{"v":1}'], result: undefined }));
          await store.atomically([ref('orders', 'a')], () => ({ writes: ['{"v":2}'], result: undefined }));
          await store.atomically([ref('orders', 'a')], () => ({ writes: [null], result: undefined }));
          const records = await readChanges(s.stream);
          assert.deepEqual(records.map((r) => JSON.parse(r.payload) as unknown), [
            { before: null, after: '{"v":1}' },
            { before: '{"v":1}', after: '{"v":2}' },
            { before: '{"v":2}', after: null },
          ]);
          assert.deepEqual(s.seen.map((c) => c.offset), [1, 2, 3]);
          assert.deepEqual(records.map((r) => r.offset), [1, 2, 3]);
          assert.deepEqual(s.seen.map((c) => c.ref), [ref('orders', 'a'), ref('orders', 'a'), ref('orders', 'a')]);
          assert.equal(s.commits, 3);
        }));

      test('a write that changes nothing records nothing (absent delete, same text, no write)', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          const store = base.withChanges({ orders: s });
          await store.atomically([ref('orders', 'same')], () => ({ writes: ['"x"'], result: undefined }));
          await store.atomically([ref('orders', 'same'), ref('orders', 'absent')], () => ({ writes: ['"x"', null], result: undefined }));
          await store.atomically([ref('orders', 'same')], () => ({ writes: [undefined], result: undefined }));
          assert.equal((await readChanges(s.stream)).length, 1);
          assert.equal(s.seen.length, 1, 'record is not even asked');
          assert.equal(s.commits, 1);
        }));

      test('a record answered undefined is not appended, and the item is written', () =>
        using(open, async ({ store: base, readChanges }) => {
          const stream = sink().stream;
          const store = base.withChanges({ orders: { stream, record: () => undefined } });
          await store.atomically([ref('orders', 'quiet')], () => ({ writes: ['"q"'], result: undefined }));
          assert.equal(await store.get(ref('orders', 'quiet')), '"q"');
          assert.deepEqual(await readChanges(stream), []);
        }));

      test('a declined record does not use up an offset', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          let decline = true;
          const store = base.withChanges({
            orders: {
              stream: s.stream,
              record(change, offset) {
                if (decline) return undefined;
                return s.record(change, offset);
              },
            },
          });
          await store.atomically([ref('orders', 'k')], () => ({ writes: ['"1"'], result: undefined }));
          decline = false;
          await store.atomically([ref('orders', 'k')], () => ({ writes: ['"2"'], result: undefined }));
          assert.deepEqual((await readChanges(s.stream)).map((r) => r.offset), [1]);
          assert.deepEqual(s.seen.map((c) => c.offset), [1]);
        }));

      test('a decide that throws appends neither item nor record', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          const store = base.withChanges({ orders: s });
          await assert.rejects(
            store.atomically([ref('orders', 'never')], () => {
              throw new Error('ConditionalCheckFailedException');
            }),
            /ConditionalCheckFailed/,
          );
          assert.equal(await store.get(ref('orders', 'never')), undefined);
          assert.deepEqual(await readChanges(s.stream), []);
          assert.equal(s.commits, 0);
        }));

      test('a record that cannot be built rolls the item write back', () =>
        using(open, async ({ store: base, readChanges }) => {
          const stream = sink().stream;
          const store = base.withChanges({
            orders: {
              stream,
              record: () => {
                throw new Error('no record');
              },
            },
          });
          await assert.rejects(store.atomically([ref('orders', 'unrecorded')], () => ({ writes: ['"u"'], result: undefined })), /no record/);
          assert.equal(await store.get(ref('orders', 'unrecorded')), undefined);
          assert.deepEqual(await readChanges(stream), []);
        }));

      test('a failing write does not take the change records of concurrent writes down', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          const store = base.withChanges({ orders: s });
          const ok = store.atomically([ref('orders', 'n1')], () => ({ writes: ['"one"'], result: 1 }));
          const bad = store.atomically([ref('orders', 'n2')], () => {
            throw new Error('no');
          });
          const ok2 = store.atomically([ref('orders', 'n3')], () => ({ writes: ['"three"'], result: 3 }));
          const settled = await Promise.allSettled([ok, bad, ok2]);
          assert.deepEqual(settled.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
          const records = await readChanges(s.stream);
          assert.deepEqual(records.map((r) => JSON.parse(r.payload) as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
            { before: null, after: '"one"' },
            { before: null, after: '"three"' },
          ]);
          assert.deepEqual(records.map((r) => r.offset), [1, 2]);
        }));

      test('a multi-item write records its items in refs order, per table sink, and only tables with a sink', () =>
        using(open, async ({ store: base, readChanges }) => {
          const a = sink();
          const b = sink();
          const store = base.withChanges({ orders: a, items: b });
          await store.atomically([ref('items', 'i1'), ref('orders', 'm2'), ref('plain', 'p1'), ref('orders', 'm1')], () => ({ writes: ['"i"', '"m2"', '"p"', '"m1"'], result: undefined }));
          assert.deepEqual((await readChanges(a.stream)).map((r) => JSON.parse(r.payload) as unknown), [{ before: null, after: '"m2"' }, { before: null, after: '"m1"' }]);
          assert.deepEqual((await readChanges(b.stream)).map((r) => JSON.parse(r.payload) as unknown), [{ before: null, after: '"i"' }]);
          assert.equal(await base.get(ref('plain', 'p1')), '"p"');
          assert.deepEqual([a.commits, b.commits], [1, 1], 'onCommit once per transaction and sink');
        }));

      test('two tables may share one stream: offsets keep increasing across both', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          const store = base.withChanges({ orders: s, items: s });
          await store.atomically([ref('orders', 'o'), ref('items', 'i')], () => ({ writes: ['"o"', '"i"'], result: undefined }));
          await store.atomically([ref('items', 'i')], () => ({ writes: ['"i2"'], result: undefined }));
          assert.deepEqual((await readChanges(s.stream)).map((r) => r.offset), [1, 2, 3]);
          assert.deepEqual(s.seen.map((c) => c.offset), [1, 2, 3]);
        }));

      test('concurrent writes to one stream get distinct, gapless offsets in commit order', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          const store = base.withChanges({ orders: s });
          await Promise.all(Array.from({ length: 15 }, (_, i) => store.atomically([ref('orders', `c${i}`)], () => ({ writes: [`"${i}"`], result: undefined }))));
          const records = await readChanges(s.stream);
          assert.deepEqual(records.map((r) => r.offset), Array.from({ length: 15 }, (_, i) => i + 1));
          assert.equal(new Set(records.map((r) => r.id)).size, 15);
        }));

      test('the store a view was made from records nothing', () =>
        using(open, async ({ store: base, readChanges }) => {
          const s = sink();
          base.withChanges({ orders: s });
          await base.atomically([ref('orders', 'base')], () => ({ writes: ['"b"'], result: undefined }));
          assert.deepEqual(await readChanges(s.stream), []);
        }));

      test('a view taken from a view replaces its sinks', () =>
        using(open, async ({ store: base, readChanges }) => {
          const first = sink();
          const second = sink();
          const view = base.withChanges({ orders: first }).withChanges({ items: second });
          await view.atomically([ref('orders', 'o'), ref('items', 'i')], () => ({ writes: ['"o"', '"i"'], result: undefined }));
          assert.deepEqual(await readChanges(first.stream), []);
          assert.equal((await readChanges(second.stream)).length, 1);
          assert.equal(await view.get(ref('orders', 'o')), '"o"', 'a view reads the same items');
        }));
    });
  });
}
