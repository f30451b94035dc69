/**
 * The `TableStore` change-sink guarantee, on the SQLite adapter over a real file: an item write and
 * its change record commit together or not at all, in the same transaction and the same file as
 * the event log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createSqliteEventLog,
  createSqliteTableStore,
  eventLogMigrations,
  openDatabase,
  tablesMigrations,
  type ChangeSink,
  type EventLog,
  type ItemChange,
  type ItemRef,
  type SqliteDb,
  type TableStore,
} from '../../src/storage/index.ts';

let dir: string;
let db: SqliteDb;
let base: TableStore;
let log: EventLog;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-changes-'));
  db = openDatabase({ path: join(dir, 'data.db') }, [eventLogMigrations, tablesMigrations]);
  base = createSqliteTableStore(db);
  log = createSqliteEventLog(db);
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

let streamNo = 0;
/** A sink on a fresh stream that records `{before, after, offset}` and counts commits. */
function sink(stream = `s${++streamNo}`): ChangeSink & { seen: (ItemChange & { offset: number })[]; commits: number } {
  const s = {
    stream,
    seen: [] as (ItemChange & { offset: number })[],
    commits: 0,
    record(change: ItemChange, offset: number) {
      s.seen.push({ ...change, offset });
      return { id: `${stream}-${offset}`, time: 1, payload: JSON.stringify({ before: change.before ?? null, after: change.after ?? null }) };
    },
    onCommit() {
      s.commits += 1;
    },
  };
  return s;
}

const ref = (table: string, pk: string): ItemRef => ({ table, pk, sk: null });
const payloads = async (stream: string) => (await log.read(stream, 0, 100)).map((r) => JSON.parse(r.payload) as unknown);

describe('withChanges', () => {
  it('appends one record per changed item in the write transaction, with the offset it gets', async () => {
    const s = sink();
    const store = base.withChanges({ orders: s });
    await store.atomically([ref('orders', 'a')], () => ({ writes: ['{"v":1}'], result: undefined }));
    await store.atomically([ref('orders', 'a')], () => ({ writes: ['{"v":2}'], result: undefined }));
    await store.atomically([ref('orders', 'a')], () => ({ writes: [null], result: undefined }));
    assert.deepEqual(await payloads(s.stream), [
      { before: null, after: '{"v":1}' },
      { before: '{"v":1}', after: '{"v":2}' },
      { before: '{"v":2}', after: null },
    ]);
    assert.deepEqual(s.seen.map((c) => c.offset), [1, 2, 3]);
    assert.deepEqual((await log.read(s.stream, 0, 10)).map((r) => r.offset), [1, 2, 3]);
    assert.equal(s.commits, 3);
  });

  it('appends nothing for a write that changes nothing (absent delete, same text, no write)', async () => {
    const s = sink();
    const store = base.withChanges({ orders: s });
    await store.atomically([ref('orders', 'same')], () => ({ writes: ['"x"'], result: undefined }));
    await store.atomically([ref('orders', 'same'), ref('orders', 'absent')], () => ({ writes: ['"x"', null], result: undefined }));
    await store.atomically([ref('orders', 'same')], () => ({ writes: [undefined], result: undefined }));
    assert.equal((await log.read(s.stream, 0, 10)).length, 1);
    assert.equal(s.commits, 1);
  });

  it('appends nothing when the domain says the write is no change', async () => {
    const s = sink();
    const store = base.withChanges({ orders: { stream: s.stream, record: () => undefined } });
    await store.atomically([ref('orders', 'quiet')], () => ({ writes: ['"q"'], result: undefined }));
    assert.equal(await store.get(ref('orders', 'quiet')), '"q"');
    assert.equal(await log.head(s.stream), 0);
  });

  it('appends neither item nor record when decide throws (a failed condition)', async () => {
    const s = sink();
    const store = base.withChanges({ orders: s });
    await assert.rejects(store.atomically([ref('orders', 'never')], () => {
      throw new Error('ConditionalCheckFailedException');
    }), /ConditionalCheckFailed/);
    assert.equal(await store.get(ref('orders', 'never')), undefined);
    assert.equal(await log.head(s.stream), 0);
    assert.equal(s.commits, 0);
  });

  it('rolls the item write back when its record cannot be built', async () => {
    const stream = `s${++streamNo}`;
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
    assert.equal(await log.head(stream), 0);
  });

  it('keeps a failing neighbour in the same group commit from taking the others\' change records down', async () => {
    const s = sink();
    const store = base.withChanges({ orders: s });
    const ok = store.atomically([ref('orders', 'n1')], () => ({ writes: ['"one"'], result: 1 }));
    const bad = store.atomically([ref('orders', 'n2')], () => {
      throw new Error('no');
    });
    const ok2 = store.atomically([ref('orders', 'n3')], () => ({ writes: ['"three"'], result: 3 }));
    const settled = await Promise.allSettled([ok, bad, ok2]);
    assert.deepEqual(settled.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(await payloads(s.stream), [{ before: null, after: '"one"' }, { before: null, after: '"three"' }]);
    assert.deepEqual((await log.read(s.stream, 0, 10)).map((r) => r.offset), [1, 2]);
  });

  it('records every item of one multi-item write in refs order, per table sink, and only tables with a sink', async () => {
    const a = sink();
    const b = sink();
    const store = base.withChanges({ orders: a, items: b });
    await store.atomically([ref('items', 'i1'), ref('orders', 'm1'), ref('plain', 'p1'), ref('orders', 'm2')], () => ({ writes: ['"i"', '"m1"', '"p"', '"m2"'], result: undefined }));
    assert.deepEqual(await payloads(a.stream), [{ before: null, after: '"m1"' }, { before: null, after: '"m2"' }]);
    assert.deepEqual(await payloads(b.stream), [{ before: null, after: '"i"' }]);
    assert.equal(await base.get(ref('plain', 'p1')), '"p"');
    assert.deepEqual([a.commits, b.commits], [1, 1]);
  });

  it('shares the stream with other appenders: offsets keep increasing across both', async () => {
    const s = sink();
    const store = base.withChanges({ orders: s });
    await log.append(s.stream, [{ id: 'put-1', time: 1, payload: '{"put":1}' }]);
    await store.atomically([ref('orders', 'shared')], () => ({ writes: ['"s"'], result: undefined }));
    await log.append(s.stream, [{ id: 'put-2', time: 1, payload: '{"put":2}' }]);
    assert.deepEqual((await log.read(s.stream, 0, 10)).map((r) => r.id), ['put-1', `${s.stream}-2`, 'put-2']);
  });

  it('leaves the store it was made from without sinks', async () => {
    const s = sink();
    base.withChanges({ orders: s });
    await base.atomically([ref('orders', 'base')], () => ({ writes: ['"b"'], result: undefined }));
    assert.equal(await log.head(s.stream), 0);
  });
});
