/**
 * The `EventLog` guarantees (src/storage/event-log.ts) on the SQLite adapter over a real file:
 * gapless per-stream offsets, one record per id per stream (within one append, across appends,
 * across a reopen), and reads that agree with the file whether they are answered from the
 * adapter's run of recent records or from SQLite, including when another writer (the table
 * store's change records) appends to the same stream in between, and after a trim.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type EventLog, type LogRecord, type SqliteDb } from '../../src/storage/index.ts';
import { createLogAppender } from '../../src/storage/sqlite/event-log.ts';

let dir: string;
let db: SqliteDb;
let log: EventLog;
const path = (): string => join(dir, 'data.db');
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-event-log-'));
  db = openDatabase({ path: path() }, [eventLogMigrations]);
  log = createSqliteEventLog(db);
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

let streamNo = 0;
const fresh = (): string => `s${++streamNo}`;
const rec = (id: string, payload = `{"id":"${id}"}`) => ({ id, time: 1, payload });

/** What a second connection reads from the file: the truth the adapter's answers must match. */
function fromFile(stream: string, after = 0, limit = 10_000): LogRecord[] {
  const other = openDatabase({ path: path() }, [eventLogMigrations]);
  try {
    return other
      .prepare<[string, number, number], { stream: string; offset: number; id: string; time: number; payload: string; meta: string | null }>(
        'SELECT stream, seq AS "offset", id, time, payload, meta FROM event_log WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(stream, after, limit)
      .map(({ meta, ...r }) => (meta === null ? r : { ...r, meta }));
  } finally {
    other.close();
  }
}

describe('SQLite EventLog', () => {
  it('numbers each stream from 1 without gaps, in append order', async () => {
    const s = fresh();
    assert.deepEqual(await log.append(s, [rec('a'), rec('b')]), [1, 2]);
    assert.deepEqual(await log.append(s, [rec('c')]), [3]);
    assert.deepEqual(await log.append(fresh(), [rec('a')]), [1], 'another stream counts on its own');
    assert.equal(await log.head(s), 3);
  });

  it('appends an id once per stream: a repeat answers the first offset and leaves no gap', async () => {
    const s = fresh();
    assert.deepEqual(await log.append(s, [rec('a'), rec('a', '{"second":true}'), rec('b')]), [1, 1, 2], 'within one append');
    assert.deepEqual(await log.append(s, [rec('b'), rec('c')]), [2, 3], 'across appends');
    const [x, y] = await Promise.all([log.append(s, [rec('d')]), log.append(s, [rec('d')])]);
    assert.deepEqual([x, y], [[4], [4]], 'two appends in one group commit');
    assert.deepEqual((await log.read(s, 0, 10)).map((r) => [r.offset, r.id]), [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]);
    assert.equal((await log.read(s, 0, 1))[0]?.payload, '{"id":"a"}', 'the first record wins');
    assert.equal(await log.head(s), 4);
  });

  it('keeps the dedupe across a reopen of the file', async () => {
    const s = fresh();
    await log.append(s, [rec('kept')]);
    const other = openDatabase({ path: path() }, [eventLogMigrations]);
    try {
      const reopened = createSqliteEventLog(other);
      assert.deepEqual(await reopened.append(s, [rec('kept'), rec('new')]), [1, 2]);
    } finally {
      await writeBatcherFor(other).drain();
      other.close();
    }
  });

  it('answers reads of recent records exactly as the file holds them, at every offset and limit', async () => {
    const s = fresh();
    for (let i = 0; i < 30; i++) await log.append(s, [rec(`r${i}`), { id: `m${i}`, time: i, payload: '{}', meta: '{"hops":1}' }]);
    const file = fromFile(s);
    assert.equal(file.length, 60);
    for (const after of [0, 1, 17, 58, 59, 60, 75]) {
      for (const limit of [1, 7, 100]) assert.deepEqual(await log.read(s, after, limit), fromFile(s, after, limit), `after ${after}, limit ${limit}`);
    }
  });

  it('sees records another writer appended to the same stream in between', async () => {
    const s = fresh();
    const appender = createLogAppender(db);
    const batcher = writeBatcherFor(db);
    await log.append(s, [rec('a'), rec('b')]);
    await batcher.run(() => appender.append(s, [rec('table-1'), rec('table-2')]));
    await log.append(s, [rec('c')]);
    await batcher.run(() => appender.append(s, [rec('table-3')]));
    assert.deepEqual((await log.read(s, 0, 100)).map((r) => r.id), ['a', 'b', 'table-1', 'table-2', 'c', 'table-3']);
    for (let after = 0; after <= 6; after++) assert.deepEqual(await log.read(s, after, 100), fromFile(s, after, 100), `after ${after}`);
  });

  it('reads nothing that was trimmed, and keeps counting after a trim', async () => {
    const s = fresh();
    await log.append(s, [rec('a'), rec('b'), rec('c'), rec('d')]);
    await log.trim(s, 2);
    assert.deepEqual((await log.read(s, 0, 10)).map((r) => r.offset), [3, 4]);
    assert.deepEqual(await log.read(s, 0, 10), fromFile(s));
    await log.trim(s, 4);
    assert.deepEqual(await log.read(s, 0, 10), []);
    assert.deepEqual(await log.append(s, [rec('e')]), [5]);
    assert.deepEqual((await log.read(s, 0, 10)).map((r) => r.id), ['e']);
  });

  it('finds a record by id', async () => {
    const s = fresh();
    await log.append(s, [rec('x'), rec('y')]);
    assert.equal((await log.find(s, 'y'))?.offset, 2);
    assert.equal(await log.find(s, 'z'), undefined);
  });
});
