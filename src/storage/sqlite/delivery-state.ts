/**
 * The delivery half of `BusStore` on SQLite (`DeliveryStateStore`): cursors, pending jobs, dead
 * letters and the attempt log kept for trace. Every write is one write-batcher job, so a job's
 * outcome, its attempt record and its removal commit together.
 */
import type { AttemptRecord, DeadLetter, DeliveryJob, DeliveryStateStore, NewDeliveryJob } from '../bus-store.ts';
import { attemptValues, deadLetterValues, storedJob, toAttempt, toDeadLetter, toDeliveryJob, type AttemptRow, type DeadLetterRow, type DeliveryRow } from '../rows/delivery-rows.ts';
import type { Migration, SqliteDb } from './database.ts';
import { writeBatcherFor } from './write-batcher.ts';

/** Version 3 of the `bus` component. */
export const deliveryLogMigration: Migration = {
  version: 3,
  description: 'dead letters keep their target for redrive; attempt log for trace',
  up(db) {
    db.exec(`
      ALTER TABLE bus_dead_letters ADD COLUMN target TEXT;
      ALTER TABLE bus_dead_letters ADD COLUMN event_time INTEGER;
      CREATE TABLE bus_attempts (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id  TEXT    NOT NULL,
        bus       TEXT    NOT NULL,
        rule      TEXT    NOT NULL,
        target_id TEXT    NOT NULL,
        attempt   INTEGER NOT NULL,
        at        INTEGER NOT NULL,
        outcome   TEXT    NOT NULL,
        code      TEXT,
        message   TEXT
      );
      CREATE INDEX bus_attempts_by_event ON bus_attempts (event_id, seq);
    `);
  },
};

export function createSqliteDeliveryState(db: SqliteDb): Omit<DeliveryStateStore, 'configVersion'> {
  const batcher = writeBatcherFor(db);
  const getCursor = db.prepare<[string], { last_offset: number }>('SELECT last_offset FROM bus_cursors WHERE bus = ?');
  // max(): a cursor never moves back, even if two dispatch rounds committed out of order.
  const setCursor = db.prepare('INSERT INTO bus_cursors (bus, last_offset) VALUES (?, ?) ON CONFLICT(bus) DO UPDATE SET last_offset = max(last_offset, excluded.last_offset)');
  const insertJob = db.prepare<[string, string, string, string, string, string, number, number]>(
    'INSERT INTO bus_deliveries (bus, rule, target_id, target, event_id, event, event_time, attempts, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)',
  );
  const pendingJobs = db.prepare<[], DeliveryRow>('SELECT * FROM bus_deliveries ORDER BY id');
  const updateJob = db.prepare('UPDATE bus_deliveries SET attempts = ?, next_at = ? WHERE id = ?');
  const deleteJob = db.prepare('DELETE FROM bus_deliveries WHERE id = ?');
  const insertDeadLetter = db.prepare(
    `INSERT INTO bus_dead_letters (bus, rule, target_id, target_arn, event_id, event, error_code, error_message, exhausted, retry_attempts, at, target, event_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const listDeadLetters = db.prepare<[string, number, number], DeadLetterRow>('SELECT * FROM bus_dead_letters WHERE bus = ? AND id > ? ORDER BY id LIMIT ?');
  const getDeadLetter = db.prepare<[number], DeadLetterRow>('SELECT * FROM bus_dead_letters WHERE id = ?');
  const deleteDeadLetter = db.prepare('DELETE FROM bus_dead_letters WHERE id = ?');
  const currentTarget = db.prepare<[string, string, string], { config: string }>('SELECT config FROM bus_targets WHERE bus = ? AND rule = ? AND id = ?');
  const insertAttempt = db.prepare('INSERT INTO bus_attempts (event_id, bus, rule, target_id, attempt, at, outcome, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const listAttempts = db.prepare<[string], AttemptRow>('SELECT * FROM bus_attempts WHERE event_id = ? ORDER BY seq');
  // Attempts are appended in about time order, so the old ones are a prefix of `seq`: only the
  // oldest `limit` rows are read, not the table.
  const trimOldAttempts = db.prepare<[number, number]>('DELETE FROM bus_attempts WHERE seq IN (SELECT seq FROM bus_attempts ORDER BY seq LIMIT ?) AND at < ?');

  const enqueue = (bus: string, through: number, jobs: readonly NewDeliveryJob[]): DeliveryJob[] => {
    const inserted = jobs.map((j): DeliveryJob => {
      const id = Number(insertJob.run(j.bus, j.rule, j.targetId, j.target, j.eventId, j.event, j.eventTime, j.nextAt).lastInsertRowid);
      return storedJob(j, id);
    });
    setCursor.run(bus, through);
    return inserted;
  };

  const log = (a: AttemptRecord | undefined): void => {
    if (a !== undefined) insertAttempt.run(...attemptValues(a));
  };

  return {
    async getCursor(bus) {
      return getCursor.get(bus)?.last_offset ?? 0;
    },
    enqueueDeliveries(bus, through, jobs) {
      return batcher.run(() => enqueue(bus, through, jobs));
    },
    enqueuePlanned(bus, plan) {
      return batcher.run(() => {
        const planned = plan(getCursor.get(bus)?.last_offset ?? 0);
        return planned === undefined ? undefined : enqueue(bus, planned.through, planned.jobs);
      });
    },
    async pendingDeliveries() {
      return pendingJobs.all().map(toDeliveryJob);
    },
    async recordAttempt(id, attempts, nextAt, attempt) {
      await batcher.run(() => {
        updateJob.run(attempts, nextAt, id);
        log(attempt);
      });
    },
    async completeDelivery(id, attempt) {
      await batcher.run(() => {
        deleteJob.run(id);
        log(attempt);
      });
    },
    async deadLetter(id, l: DeadLetter, attempt) {
      await batcher.run(() => {
        deleteJob.run(id);
        insertDeadLetter.run(...deadLetterValues(l));
        log(attempt);
      });
    },
    async listDeadLetters(bus, query = {}) {
      return listDeadLetters.all(bus, query.after ?? 0, query.limit ?? 100).map(toDeadLetter);
    },
    async getDeadLetter(id) {
      const row = getDeadLetter.get(id);
      return row === undefined ? undefined : toDeadLetter(row);
    },
    redriveDeadLetters(ids, now) {
      return batcher.run(() => {
        const jobs: DeliveryJob[] = [];
        const unknown: number[] = [];
        for (const id of ids) {
          const row = getDeadLetter.get(id);
          const target = row === undefined ? undefined : (row.target ?? currentTarget.get(row.bus, row.rule, row.target_id)?.config);
          if (row === undefined || target === undefined) {
            unknown.push(id);
            continue;
          }
          // The retry window (MaximumEventAgeInSeconds) counts from the redrive, not the first put.
          const eventTime = now;
          const jobId = Number(insertJob.run(row.bus, row.rule, row.target_id, target, row.event_id, row.event, eventTime, now).lastInsertRowid);
          deleteDeadLetter.run(id);
          jobs.push({ id: jobId, bus: row.bus, rule: row.rule, targetId: row.target_id, target, eventId: row.event_id, event: row.event, eventTime, attempts: 0, nextAt: now });
        }
        return { jobs, unknown };
      });
    },
    deleteDeadLetters(ids) {
      return batcher.run(() => ids.reduce((n, id) => n + deleteDeadLetter.run(id).changes, 0));
    },
    async listAttempts(eventId) {
      return listAttempts.all(eventId).map(toAttempt);
    },
    trimAttempts(before, limit) {
      return batcher.run(() => trimOldAttempts.run(limit, before).changes);
    },
  };
}
