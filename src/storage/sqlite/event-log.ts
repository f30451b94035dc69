/**
 * `EventLog` on SQLite. Appends are jobs of the database's shared write batcher: all writes of one
 * event-loop turn (appends and table writes alike) share one commit, and each caller's promise
 * resolves only after that commit. The insert step (`createLogAppender`) is shared with the
 * table store, which appends change records inside the savepoint of the item write they record.
 */
import type { AppendOptions, EventLog, LogRecord, NewLogRecord } from '../event-log.ts';
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

// Written out, not `{ ...rest, meta }` (`core/objects.ts` says why).
const toRecord = (row: Row): LogRecord =>
  row.meta === null
    ? { stream: row.stream, offset: row.offset, id: row.id, time: row.time, payload: row.payload }
    : { stream: row.stream, offset: row.offset, id: row.id, time: row.time, payload: row.payload, meta: row.meta };

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

/** What one append did: every record's offset, and the head before it (new records follow it). */
interface Appended {
  readonly offsets: number[];
  readonly headBefore: number;
}

function createAppendStep(db: SqliteDb): { appendRows(stream: string, records: readonly NewLogRecord[]): Appended; nextOffset(stream: string): number } {
  const headOf = db.prepare<[string], { head: number }>('SELECT head FROM event_log_heads WHERE stream = ?');
  const setHead = db.prepare('INSERT INTO event_log_heads (stream, head) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET head = excluded.head');
  const existing = db.prepare<[string, string], { offset: number }>('SELECT seq AS "offset" FROM event_log WHERE stream = ? AND id = ?');
  // The unique (stream, id) index is the dedupe: a known id inserts nothing (no lookup before
  // each insert), and only then is its offset looked up. Offsets stay gapless: a skipped record
  // does not use up `head + 1`.
  const insert = db.prepare('INSERT INTO event_log (stream, seq, id, time, payload, meta) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (stream, id) DO NOTHING');
  return {
    appendRows(stream, records) {
      const headBefore = headOf.get(stream)?.head ?? 0;
      let head = headBefore;
      const offsets: number[] = [];
      for (const r of records) {
        if (insert.run(stream, head + 1, r.id, r.time, r.payload, r.meta ?? null).changes === 1) offsets.push(++head);
        else offsets.push(existing.get(stream, r.id)?.offset ?? 0);
      }
      if (head !== headBefore) setHead.run(stream, head);
      return { offsets, headBefore };
    },
    nextOffset(stream) {
      return (headOf.get(stream)?.head ?? 0) + 1;
    },
  };
}

export function createLogAppender(db: SqliteDb): LogAppender {
  const step = createAppendStep(db);
  return {
    append: (stream, records) => step.appendRows(stream, records).offsets,
    nextOffset: (stream) => step.nextOffset(stream),
  };
}

/** Records kept in memory per stream, and streams kept (least recently appended out first). */
const RECENT_RECORDS = 2_048;
const RECENT_STREAMS = 64;

/**
 * The newest committed records of one stream, with gapless offsets `first, first + 1, ...`, as
 * this adapter appended them. Readers that follow the head (the bus dispatcher right after an
 * append, a subscription resuming) are answered from here instead of reading back what was
 * just written. A record appended by someone else (the table store's change records) leaves a
 * gap, after which the run starts over; what a read needs beyond the run comes from SQLite.
 */
interface RecentRun {
  first: number;
  records: LogRecord[];
}

export function createSqliteEventLog(db: SqliteDb): EventLog {
  const headOf = db.prepare<[string], { head: number }>('SELECT head FROM event_log_heads WHERE stream = ?');
  const step = createAppendStep(db);
  const select = db.prepare<[string, number, number], Row>(
    'SELECT stream, seq AS "offset", id, time, payload, meta FROM event_log WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const byId = db.prepare<[string, string], Row>('SELECT stream, seq AS "offset", id, time, payload, meta FROM event_log WHERE stream = ? AND id = ?');
  const batcher = writeBatcherFor(db);
  const trimStmt = db.prepare('DELETE FROM event_log WHERE stream = ? AND seq <= ?');
  const recent = new Map<string, RecentRun>();

  /** After the commit: the appended records that got new offsets join the stream's run. */
  const remember = (stream: string, records: readonly NewLogRecord[], { offsets, headBefore }: Appended): void => {
    let run = recent.get(stream);
    if (run === undefined || run.first + run.records.length !== headBefore + 1) {
      if (run === undefined && recent.size >= RECENT_STREAMS) {
        const oldest = recent.keys().next();
        if (oldest.done !== true) recent.delete(oldest.value);
      }
      run = { first: headBefore + 1, records: [] };
    }
    recent.delete(stream);
    recent.set(stream, run);
    let next = headBefore + 1;
    records.forEach((r, i) => {
      // New offsets count up from `headBefore + 1` in append order; a duplicate got an older one.
      if (offsets[i] !== next) return;
      run.records.push(r.meta === undefined ? { stream, offset: next, id: r.id, time: r.time, payload: r.payload } : { stream, offset: next, id: r.id, time: r.time, payload: r.payload, meta: r.meta });
      next++;
    });
    if (run.records.length > 2 * RECENT_RECORDS) {
      const drop = run.records.length - RECENT_RECORDS;
      run.records = run.records.slice(drop);
      run.first += drop;
    }
  };

  return {
    append(stream, records, options?: AppendOptions) {
      if (records.length === 0) return Promise.resolve([]);
      const onOffsets = options?.onOffsets;
      const job = onOffsets === undefined
        ? () => step.appendRows(stream, records)
        : () => {
            const appended = step.appendRows(stream, records);
            onOffsets(appended.offsets);
            return appended;
          };
      return batcher.run(job).then(
        (appended) => {
          remember(stream, records, appended);
          return appended.offsets;
        },
        (error: unknown) => {
          // A failed commit may have left the run ahead of the file: forget it.
          recent.delete(stream);
          throw error;
        },
      );
    },
    async read(stream, after, limit) {
      const run = recent.get(stream);
      const end = run === undefined ? 0 : run.first + run.records.length - 1;
      if (run !== undefined && after + 1 >= run.first && after < end && limit > 0) {
        const from = after + 1 - run.first;
        const records = run.records.slice(from, from + limit);
        // A short page means "that was all": records someone else appended after the run are read
        // from the file, so that stays true.
        if (records.length === limit || (headOf.get(stream)?.head ?? 0) === end) return records;
        return records.concat(select.all(stream, end, limit - records.length).map(toRecord));
      }
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
      const run = recent.get(stream);
      if (run !== undefined && through >= run.first) {
        const drop = Math.min(run.records.length, through - run.first + 1);
        run.records = run.records.slice(drop);
        run.first += drop;
      }
      return batcher.run(() => void trimStmt.run(stream, through));
    },
  };
}
