/**
 * `EventLog` on SQLite. Appends are jobs of the database's shared write batcher: all writes of one
 * event-loop turn (appends and table writes alike) share one commit, and each caller's promise
 * resolves only after that commit. The insert step (`createLogAppender`) is shared with the
 * table store, which appends change records inside the savepoint of the item write they record.
 */
import type { EventLog, LogRecord, NewLogRecord } from '../event-log.ts';
import type { MigrationSet, SqliteDb } from './database.ts';
import { writeBatcherFor } from './write-batcher.ts';

export const eventLogMigrations: MigrationSet = {
  component: 'eventlog',
  migrations: [
    {
      version: 1,
      description: 'event log streams and records',
      up(db) {
        db.exec(`
          CREATE TABLE event_log (
            stream  TEXT    NOT NULL,
            seq     INTEGER NOT NULL,
            id      TEXT    NOT NULL,
            time    INTEGER NOT NULL,
            payload TEXT    NOT NULL,
            PRIMARY KEY (stream, seq)
          ) WITHOUT ROWID;
          CREATE UNIQUE INDEX event_log_id ON event_log (stream, id);
          CREATE TABLE event_log_heads (stream TEXT PRIMARY KEY, head INTEGER NOT NULL) WITHOUT ROWID;
        `);
      },
    },
    {
      version: 2,
      description: 'delivery metadata beside the payload',
      up(db) {
        db.exec('ALTER TABLE event_log ADD COLUMN meta TEXT');
      },
    },
  ],
};

type Row = { stream: string; offset: number; id: string; time: number; payload: string; meta: string | null };

const toRecord = (row: Row): LogRecord => {
  const { meta, ...rest } = row;
  return meta === null ? rest : { ...rest, meta };
};

/**
 * The append step itself, synchronous, for callers already inside a write-batcher job: the
 * `EventLog` adapter below, and the table store appending change records in the same savepoint
 * as the item write it records.
 */
export interface LogAppender {
  append(stream: string, records: readonly NewLogRecord[]): number[];
  /** The offset the next record appended to `stream` gets. */
  nextOffset(stream: string): number;
}

export function createLogAppender(db: SqliteDb): LogAppender {
  const headOf = db.prepare<[string], { head: number }>('SELECT head FROM event_log_heads WHERE stream = ?');
  const setHead = db.prepare('INSERT INTO event_log_heads (stream, head) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET head = excluded.head');
  const existing = db.prepare<[string, string], { offset: number }>('SELECT seq AS "offset" FROM event_log WHERE stream = ? AND id = ?');
  const insert = db.prepare('INSERT INTO event_log (stream, seq, id, time, payload, meta) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    append(stream, records) {
      let head = headOf.get(stream)?.head ?? 0;
      const offsets = records.map((r) => {
        const dup = existing.get(stream, r.id);
        if (dup !== undefined) return dup.offset;
        head += 1;
        insert.run(stream, head, r.id, r.time, r.payload, r.meta ?? null);
        return head;
      });
      setHead.run(stream, head);
      return offsets;
    },
    nextOffset(stream) {
      return (headOf.get(stream)?.head ?? 0) + 1;
    },
  };
}

export function createSqliteEventLog(db: SqliteDb): EventLog {
  const headOf = db.prepare<[string], { head: number }>('SELECT head FROM event_log_heads WHERE stream = ?');
  const appender = createLogAppender(db);
  const select = db.prepare<[string, number, number], Row>(
    'SELECT stream, seq AS "offset", id, time, payload, meta FROM event_log WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const byId = db.prepare<[string, string], Row>('SELECT stream, seq AS "offset", id, time, payload, meta FROM event_log WHERE stream = ? AND id = ?');
  const batcher = writeBatcherFor(db);
  const trimStmt = db.prepare('DELETE FROM event_log WHERE stream = ? AND seq <= ?');

  return {
    append(stream, records) {
      if (records.length === 0) return Promise.resolve([]);
      return batcher.run(() => appender.append(stream, records));
    },
    async read(stream, after, limit) {
      return select.all(stream, after, limit).map(toRecord);
    },
    async find(stream, id) {
      const row = byId.get(stream, id);
      return row === undefined ? undefined : toRecord(row);
    },
    async head(stream) {
      return headOf.get(stream)?.head ?? 0;
    },
    trim(stream, through) {
      return batcher.run(() => void trimStmt.run(stream, through));
    },
  };
}
