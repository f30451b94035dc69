/**
 * `TableStore` on SQLite: one row per item in `table_items`, keyed by (table, pk, sort key).
 * Sort keys are two columns: `sk_n` (REAL, numbers) and `sk_t` (TEXT, compared bytewise by SQLite's
 * BINARY collation), so `ORDER BY sk_n, sk_t` is DynamoDB's order for both key types. A table
 * without a sort key stores `sk_t = ''`. Only items with a numeric sort key are in the index on
 * `sk_n` (`table_items_numeric`, partial): a query that says its key type reads its partition
 * through that index or through the primary key, in order either way.
 *
 * Concurrency contract: better-sqlite3 is synchronous, so `atomically` runs read-decide-write as
 * one job of the shared write batcher (one savepoint inside a group commit) that nothing can
 * interleave. A view with change sinks (`withChanges`) appends each change record to the
 * `event_log` table in that same job, so the item write and its record share one savepoint and
 * one commit; the event log's migrations must have been applied to the file (the server opens
 * both).
 */
import type { ChangeSink, ItemRef, PartitionQuery, ScanRequest, SortKeyValue, SortRange, StoredItem, TableStore } from '../table-store.ts';
import type { MigrationSet, SqliteDb } from './database.ts';
import { createLogAppender, type LogAppender } from './event-log.ts';
import { writeBatcherFor } from './write-batcher.ts';

export const tablesMigrations: MigrationSet = {
  component: 'tables',
  migrations: [
    {
      version: 1,
      description: 'table items keyed by table, partition key and sort key',
      up(db) {
        db.exec(`
          CREATE TABLE table_items (
            tbl  TEXT NOT NULL,
            pk   TEXT NOT NULL,
            sk_n REAL,
            sk_t TEXT NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (tbl, pk, sk_t)
          ) WITHOUT ROWID;
          CREATE INDEX table_items_numeric ON table_items (tbl, pk, sk_n, sk_t);
        `);
      },
    },
    {
      version: 2,
      description: 'the numeric sort-key index holds only items with a numeric sort key',
      up(db) {
        // Items of tables with a text sort key, or none, have no sk_n: the full index gave each of
        // them an entry too, on a page of its own when keys are random (UUIDs), one more page
        // written to the WAL per item write. Those partitions are read in primary-key order.
        db.exec(`
          DROP INDEX table_items_numeric;
          CREATE INDEX table_items_numeric ON table_items (tbl, pk, sk_n, sk_t) WHERE sk_n IS NOT NULL;
        `);
      },
    },
  ],
};

/** A prepared statement over `table_items` rows with positional parameters. */
type Statement = import('better-sqlite3').Statement<unknown[], Row>;

interface Row {
  pk: string;
  sk_n: number | null;
  sk_t: string;
  item: string;
}

function skOf(row: Row, hasSk: boolean): SortKeyValue | null {
  if (!hasSk && row.sk_t === '' && row.sk_n === null) return null;
  return row.sk_n === null ? { text: row.sk_t } : { n: row.sk_n, text: row.sk_t };
}

function toStored(row: Row): StoredItem {
  return { pk: row.pk, sk: skOf(row, false), item: row.item };
}

export function createSqliteTableStore(db: SqliteDb): TableStore {
  const getStmt = db.prepare<[string, string, string], { item: string }>('SELECT item FROM table_items WHERE tbl = ? AND pk = ? AND sk_t = ?');
  const putStmt = db.prepare('INSERT INTO table_items (tbl, pk, sk_n, sk_t, item) VALUES (?, ?, ?, ?, ?) ON CONFLICT(tbl, pk, sk_t) DO UPDATE SET item = excluded.item, sk_n = excluded.sk_n');
  const delStmt = db.prepare('DELETE FROM table_items WHERE tbl = ? AND pk = ? AND sk_t = ?');
  const queryCache = new Map<string, Statement>();
  const batcher = writeBatcherFor(db);

  function prepared(sql: string): Statement {
    let stmt = queryCache.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare<unknown[], Row>(sql);
      queryCache.set(sql, stmt);
    }
    return stmt;
  }

  const skText = (ref: ItemRef): string => ref.sk?.text ?? '';
  const skNum = (sk: SortKeyValue | null): number | null => (sk !== null && 'n' in sk ? sk.n : null);
  // Prepared on first use: a store without change sinks works on a file without the event log.
  let appender: LogAppender | undefined;

  const view = (sinks: Readonly<Record<string, ChangeSink>>): TableStore => {
    const recording = Object.keys(sinks).length > 0;
    if (recording) appender ??= createLogAppender(db);
    return {
      async get(ref) {
        return getStmt.get(ref.table, ref.pk, skText(ref))?.item;
      },

      atomically(refs, decide) {
        const appended = new Set<ChangeSink>();
        const done = batcher.run(() => {
          const current = refs.map((ref) => getStmt.get(ref.table, ref.pk, skText(ref))?.item);
          const { writes, result } = decide(current);
          refs.forEach((ref, i) => {
            const write = writes[i];
            if (write === undefined) return;
            if (write === null) delStmt.run(ref.table, ref.pk, skText(ref));
            else putStmt.run(ref.table, ref.pk, skNum(ref.sk), skText(ref), write);
            const sink = recording ? sinks[ref.table] : undefined;
            if (sink === undefined || appender === undefined) return;
            const before = current[i];
            const after = write ?? undefined;
            if (before === after) return;
            const record = sink.record({ ref, before, after }, appender.nextOffset(sink.stream));
            if (record === undefined) return;
            appender.append(sink.stream, [record]);
            appended.add(sink);
          });
          return result;
        });
        if (!recording) return done;
        return done.then((result) => {
          for (const sink of appended) sink.onCommit?.();
          return result;
        });
      },

      async queryPartition(table, query) {
        const { sql, params } = partitionSelect(table, query);
        return prepared(sql).all(...params).map(toStored);
      },

      async scan(table, request: ScanRequest) {
        if (request.after === undefined) {
          return (prepared('SELECT pk, sk_n, sk_t, item FROM table_items WHERE tbl = ? ORDER BY pk, sk_t LIMIT ?').all(table, request.limit) ).map(toStored);
        }
        const sql = 'SELECT pk, sk_n, sk_t, item FROM table_items WHERE tbl = ? AND (pk > ? OR (pk = ? AND sk_t > ?)) ORDER BY pk, sk_t LIMIT ?';
        const after = request.after;
        return (prepared(sql).all(table, after.pk, after.pk, after.sk?.text ?? '', request.limit) ).map(toStored);
      },

      async findByAttribute(table, path, value) {
        return (prepared('SELECT pk, sk_n, sk_t, item FROM table_items WHERE tbl = ? AND json_extract(item, ?) = ?').all(table, path, value) ).map(toStored);
      },

      withChanges: view,
    };
  };
  return view({});
}

/** The statement `queryPartition` runs for `query` on `table` (exported for the query-plan tests). */
export function partitionSelect(table: string, query: PartitionQuery): { readonly sql: string; readonly params: unknown[] } {
  const where: string[] = ['tbl = ?', 'pk = ?'];
  const params: unknown[] = [table, query.pk];
  if (query.range !== undefined) rangeSql(query.range, where, params);
  if (query.after !== undefined && query.after !== null) {
    const cmp = query.forward ? '>' : '<';
    if ('n' in query.after) {
      where.push(`(sk_n ${cmp} ? OR (sk_n = ? AND sk_t ${cmp} ?))`);
      params.push(query.after.n, query.after.n, query.after.text);
    } else {
      where.push(`sk_t ${cmp} ?`);
      params.push(query.after.text);
    }
  }
  const dir = query.forward ? 'ASC' : 'DESC';
  // A numeric sort key: the partial index `table_items_numeric` (its condition restated, so that
  // SQLite may use it); a text one, or none: the primary key. Both read the partition in order,
  // with no sort. Key type unknown: both columns, right for either, at the price of a sort.
  if (query.numericSortKey === true) where.push('sk_n IS NOT NULL');
  const order = query.numericSortKey === false ? `sk_t ${dir}` : `sk_n ${dir}, sk_t ${dir}`;
  params.push(query.limit);
  return { sql: `SELECT pk, sk_n, sk_t, item FROM table_items WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, params };
}

function rangeSql(range: SortRange, where: string[], params: unknown[]): void {
  const col = (v: SortKeyValue) => ('n' in v ? 'sk_n' : 'sk_t');
  const val = (v: SortKeyValue) => ('n' in v ? v.n : v.text);
  switch (range.op) {
    case 'BETWEEN':
      where.push(`${col(range.low)} >= ? AND ${col(range.high)} <= ?`);
      params.push(val(range.low), val(range.high));
      return;
    case 'BEGINS_WITH':
      where.push('substr(sk_t, 1, length(?)) = ?');
      params.push(range.prefix, range.prefix);
      return;
    default:
      where.push(`${col(range.value)} ${range.op} ?`);
      params.push(val(range.value));
  }
}
