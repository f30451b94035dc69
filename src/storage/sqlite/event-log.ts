/**
 * `EventLog` on SQLite. Appends made in the same tick are group-committed: they are queued and
 * written in one transaction on the next microtask turn, so a burst of PutEvents calls costs one
 * commit, and each caller's promise resolves only after that commit.
 */
import type { EventLog, LogRecord, NewLogRecord } from '../event-log.ts';
import type { MigrationSet, SqliteDb } from './database.ts';

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
  ],
};

interface PendingAppend {
  readonly stream: string;
  readonly records: readonly NewLogRecord[];
  readonly resolve: (offsets: readonly number[]) => void;
  readonly reject: (error: unknown) => void;
}

export function createSqliteEventLog(db: SqliteDb): EventLog {
  const headOf = db.prepare<[string], { head: number }>('SELECT head FROM event_log_heads WHERE stream = ?');
  const setHead = db.prepare('INSERT INTO event_log_heads (stream, head) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET head = excluded.head');
  const existing = db.prepare<[string, string], { offset: number }>('SELECT seq AS "offset" FROM event_log WHERE stream = ? AND id = ?');
  const insert = db.prepare('INSERT INTO event_log (stream, seq, id, time, payload) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare<[string, number, number], LogRecord>(
    'SELECT stream, seq AS "offset", id, time, payload FROM event_log WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
  );

  let queue: PendingAppend[] = [];
  let scheduled = false;

  const writeBatch = db.transaction((batch: readonly PendingAppend[]) => {
    const heads = new Map<string, number>();
    return batch.map((p) => {
      let head = heads.get(p.stream) ?? headOf.get(p.stream)?.head ?? 0;
      const offsets = p.records.map((r) => {
        const dup = existing.get(p.stream, r.id);
        if (dup !== undefined) return dup.offset;
        head += 1;
        insert.run(p.stream, head, r.id, r.time, r.payload);
        return head;
      });
      heads.set(p.stream, head);
      setHead.run(p.stream, head);
      return offsets;
    });
  });

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    let results: number[][];
    try {
      results = writeBatch(batch);
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i] ?? []));
  }

  return {
    append(stream, records) {
      if (records.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ stream, records, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      });
    },
    async read(stream, after, limit) {
      return select.all(stream, after, limit);
    },
    async head(stream) {
      return headOf.get(stream)?.head ?? 0;
    },
  };
}
