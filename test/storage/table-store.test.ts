/** The `TableStore` port's guarantees, on the SQLite adapter over a real file. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSqliteTableStore, openDatabase, tablesMigrations, type ItemRef, type PartitionQuery, type SortKeyValue, type SqliteDb, type StoredItem, type TableStore } from '../../src/storage/index.ts';
import { partitionSelect } from '../../src/storage/sqlite/table-store.ts';

let dir: string;
let db: SqliteDb;
let store: TableStore;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
  db = openDatabase({ path: join(dir, 'data.db') }, [tablesMigrations]);
  store = createSqliteTableStore(db);
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const num = (n: number): SortKeyValue => ({ n, text: String(n) });
const txt = (text: string): SortKeyValue => ({ text });
const ref = (table: string, pk: string, sk: SortKeyValue | null): ItemRef => ({ table, pk, sk });

async function putAll(refs: readonly ItemRef[]): Promise<void> {
  await store.atomically(refs, () => ({ writes: refs.map((r) => JSON.stringify({ sk: r.sk?.text ?? null })), result: undefined }));
}

const sks = (rows: readonly StoredItem[]) => rows.map((r) => r.sk?.text);

describe('atomically', () => {
  it('writes nothing when decide throws, and rejects with its error', async () => {
    const refs = [ref('t', 'a', null), ref('t', 'b', null)];
    const boom = new Error('boom');
    await assert.rejects(store.atomically(refs, () => {
      throw boom;
    }), (e: unknown) => e === boom);
    assert.equal(await store.get(refs[0] as ItemRef), undefined);
    assert.equal(await store.get(refs[1] as ItemRef), undefined);
  });

  it('lets a throwing decide roll back alone when other writes share its commit', async () => {
    const ok = store.atomically([ref('t', 'ok1', null)], () => ({ writes: ['"one"'], result: 1 }));
    const bad = store.atomically([ref('t', 'bad', null)], () => {
      throw new Error('no');
    });
    const ok2 = store.atomically([ref('t', 'ok2', null)], () => ({ writes: ['"two"'], result: 2 }));
    const settled = await Promise.allSettled([ok, bad, ok2]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(await store.get(ref('t', 'ok1', null)), '"one"');
    assert.equal(await store.get(ref('t', 'bad', null)), undefined);
    assert.equal(await store.get(ref('t', 'ok2', null)), '"two"');
  });

  it('shows each decide the writes of the ones queued before it', async () => {
    const r = ref('t', 'counter', null);
    const bump = () => store.atomically([r], ([cur]) => {
      const n = cur === undefined ? 0 : (JSON.parse(cur) as number);
      return { writes: [JSON.stringify(n + 1)], result: n + 1 };
    });
    assert.deepEqual(await Promise.all([bump(), bump(), bump()]), [1, 2, 3]);
  });

  it('deletes on null and leaves the item on undefined', async () => {
    const a = ref('t', 'keep', null);
    const b = ref('t', 'drop', null);
    await putAll([a, b]);
    await store.atomically([a, b], () => ({ writes: [undefined, null], result: undefined }));
    assert.equal(await store.get(a), '{"sk":null}');
    assert.equal(await store.get(b), undefined);
  });
});

describe('sort-key order', () => {
  it('orders numbers numerically, including negatives and fractions', async () => {
    await putAll([10, 2, -5, 1.5, 100, 0, -0.5].map((n) => ref('nums', 'p', num(n))));
    const rows = await store.queryPartition('nums', { pk: 'p', forward: true, limit: 100 });
    assert.deepEqual(sks(rows), ['-5', '-0.5', '0', '1.5', '2', '10', '100']);
    assert.deepEqual(rows[0]?.sk, { n: -5, text: '-5' });
  });

  it('orders text by UTF-8 bytes', async () => {
    await putAll(['b', 'B', 'a', 'ä', '10', '2', 'a#1'].map((t) => ref('texts', 'p', txt(t))));
    const rows = await store.queryPartition('texts', { pk: 'p', forward: true, limit: 100 });
    assert.deepEqual(sks(rows), ['10', '2', 'B', 'a', 'a#1', 'b', 'ä']);
    assert.deepEqual(rows[0]?.sk, { text: '10' });
  });

  it('applies ranges by value for numbers and by bytes for text', async () => {
    const between = await store.queryPartition('nums', { pk: 'p', range: { op: 'BETWEEN', low: num(-1), high: num(10) }, forward: true, limit: 100 });
    assert.deepEqual(sks(between), ['-0.5', '0', '1.5', '2', '10']);
    const gt = await store.queryPartition('nums', { pk: 'p', range: { op: '>', value: num(2) }, forward: false, limit: 100 });
    assert.deepEqual(sks(gt), ['100', '10']);
    const prefix = await store.queryPartition('texts', { pk: 'p', range: { op: 'BEGINS_WITH', prefix: 'a' }, forward: true, limit: 100 });
    assert.deepEqual(sks(prefix), ['a', 'a#1']);
  });
});

describe('queryPartition pagination with after', () => {
  async function walk(table: string, forward: boolean, limit: number, numericSortKey?: boolean): Promise<string[]> {
    const seen: string[] = [];
    let after: SortKeyValue | null = null;
    for (let i = 0; i < 50; i++) {
      const rows: readonly StoredItem[] = await store.queryPartition(table, { pk: 'p', forward, limit, ...(after ? { after } : {}), ...(numericSortKey === undefined ? {} : { numericSortKey }) });
      seen.push(...sks(rows).map(String));
      if (rows.length < limit) return seen;
      after = rows[rows.length - 1]?.sk ?? null;
    }
    throw new Error('pagination does not terminate');
  }

  it('continues after the given key in both directions, numbers and text, with and without the key type', async () => {
    for (const limit of [1, 2, 3]) {
      for (const [nums, texts] of [[undefined, undefined], [true, false]] as const) {
        assert.deepEqual(await walk('nums', true, limit, nums), ['-5', '-0.5', '0', '1.5', '2', '10', '100']);
        assert.deepEqual(await walk('nums', false, limit, nums), ['100', '10', '2', '1.5', '0', '-0.5', '-5']);
        assert.deepEqual(await walk('texts', true, limit, texts), ['10', '2', 'B', 'a', 'a#1', 'b', 'ä']);
        assert.deepEqual(await walk('texts', false, limit, texts), ['ä', 'b', 'a#1', 'a', 'B', '2', '10']);
      }
    }
  });
});

describe('scan', () => {
  it('continues after a (pk, sk) cursor and stays within one table', async () => {
    const seen: string[] = [];
    let after: { pk: string; sk: SortKeyValue | null } | undefined;
    for (;;) {
      const rows: readonly StoredItem[] = await store.scan('nums', { limit: 3, ...(after ? { after } : {}) });
      seen.push(...sks(rows).map(String));
      const last = rows[rows.length - 1];
      if (last === undefined) break;
      after = { pk: last.pk, sk: last.sk };
    }
    assert.deepEqual(seen.sort(), ['-0.5', '-5', '0', '1.5', '10', '100', '2']);
  });
});

describe('the numeric sort-key index (partial, schema 2)', () => {
  const plan = (query: PartitionQuery): string => {
    const { sql, params } = partitionSelect('nums', query);
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
  };

  it('a query with a numeric sort key reads through it, one with a text key through the primary key: in order, with no sort', () => {
    for (const forward of [true, false]) {
      for (const extra of [{}, { range: { op: 'BETWEEN', low: num(1), high: num(5) } as const }, { after: num(3) }]) {
        const numeric = plan({ pk: 'p', forward, limit: 10, numericSortKey: true, ...extra });
        assert.match(numeric, /table_items_numeric/, numeric);
        assert.doesNotMatch(numeric, /TEMP B-TREE/, numeric);
      }
      for (const extra of [{}, { range: { op: 'BEGINS_WITH', prefix: 'a' } as const }, { after: txt('b') }]) {
        const text = plan({ pk: 'p', forward, limit: 10, numericSortKey: false, ...extra });
        assert.match(text, /PRIMARY KEY/, text);
        assert.doesNotMatch(text, /TEMP B-TREE|table_items_numeric/, text);
      }
    }
  });

  it('holds only items with a numeric sort key; a file of schema 1 is migrated and reads the same', async () => {
    const file = join(dir, 'v1.db');
    const v1 = { component: tablesMigrations.component, migrations: tablesMigrations.migrations.filter((m) => m.version === 1) };
    const old = openDatabase({ path: file }, [v1]);
    const oldStore = createSqliteTableStore(old);
    const items = [...[3, -1, 2].map((n) => ref('n1', 'p', num(n))), ...['b', 'a'].map((t) => ref('t1', 'p', txt(t)))];
    await oldStore.atomically(items, () => ({ writes: items.map((r) => JSON.stringify(r.sk?.text)), result: undefined }));
    old.close();
    const migrated = openDatabase({ path: file }, [tablesMigrations]);
    try {
      const index = migrated.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'table_items_numeric'").get();
      assert.match(index?.sql ?? '', /WHERE sk_n IS NOT NULL/);
      const again = createSqliteTableStore(migrated);
      assert.deepEqual(sks(await again.queryPartition('n1', { pk: 'p', forward: true, limit: 10, numericSortKey: true })), ['-1', '2', '3']);
      assert.deepEqual(sks(await again.queryPartition('t1', { pk: 'p', forward: false, limit: 10, numericSortKey: false })), ['b', 'a']);
    } finally {
      migrated.close();
    }
  });
});
