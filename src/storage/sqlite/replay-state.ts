/**
 * Archives, replays and schedule states of `BusStore` on SQLite (`BusReplayStore`). Every write
 * is one write-batcher job: a replay page's jobs and its cursor commit together.
 */
import type { DeliveryJob } from '../bus-store.ts';
import type { BusReplayStore, ReplayState } from '../bus-replay-store.ts';
import { archiveValues, replayValues, toArchive, toReplay, toScheduleState, type ArchiveRow, type ReplayRow, type ScheduleRow } from '../rows/replay-rows.ts';
import { storedJob } from '../rows/delivery-rows.ts';
import type { Migration, SqliteDb } from './database.ts';
import { writeBatcherFor } from './write-batcher.ts';

/** Version 4 of the `bus` component. */
export const replayMigration: Migration = {
  version: 4,
  description: 'archives, replays and schedule states',
  up(db) {
    db.exec(`
      CREATE TABLE bus_archives (
        name           TEXT    PRIMARY KEY,
        bus            TEXT    NOT NULL,
        description    TEXT,
        event_pattern  TEXT,
        retention_days INTEGER NOT NULL,
        start_offset   INTEGER NOT NULL,
        created_at     INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE bus_replays (
        name          TEXT    PRIMARY KEY,
        archive       TEXT    NOT NULL,
        description   TEXT,
        bus           TEXT    NOT NULL,
        filter_rules  TEXT,
        event_start   INTEGER NOT NULL,
        event_end     INTEGER NOT NULL,
        state         TEXT    NOT NULL,
        state_reason  TEXT,
        cursor        INTEGER NOT NULL,
        through       INTEGER NOT NULL,
        started_at    INTEGER NOT NULL,
        ended_at      INTEGER,
        last_replayed INTEGER
      ) WITHOUT ROWID;
      CREATE TABLE bus_schedules (
        bus        TEXT NOT NULL,
        rule       TEXT NOT NULL,
        expression TEXT NOT NULL,
        next_at    INTEGER,
        PRIMARY KEY (bus, rule)
      ) WITHOUT ROWID;
    `);
  },
};

const ACTIVE = "state IN ('STARTING', 'RUNNING', 'CANCELLING')";
const FINAL: ReadonlySet<ReplayState> = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export function createSqliteReplayState(db: SqliteDb): BusReplayStore {
  const batcher = writeBatcherFor(db);
  const getBus = db.prepare<[string], { name: string }>('SELECT name FROM bus_buses WHERE name = ?');
  const getArchive = db.prepare<[string], ArchiveRow>('SELECT * FROM bus_archives WHERE name = ?');
  const listArchives = db.prepare<[string, string, string, string, string, number], ArchiveRow>(
    "SELECT * FROM bus_archives WHERE substr(name, 1, length(?)) = ? AND (? = '' OR bus = ?) AND name > ? ORDER BY name LIMIT ?",
  );
  const insertArchive = db.prepare('INSERT INTO bus_archives (name, bus, description, event_pattern, retention_days, start_offset, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updateArchive = db.prepare('UPDATE bus_archives SET description = ?, event_pattern = ?, retention_days = ? WHERE name = ?');
  const deleteArchive = db.prepare('DELETE FROM bus_archives WHERE name = ?');

  const getReplay = db.prepare<[string], ReplayRow>('SELECT * FROM bus_replays WHERE name = ?');
  const listReplays = db.prepare<[string, string, string, string, string, string, string, number], ReplayRow>(
    "SELECT * FROM bus_replays WHERE substr(name, 1, length(?)) = ? AND (? = '' OR state = ?) AND (? = '' OR archive = ?) AND name > ? ORDER BY name LIMIT ?",
  );
  const activeReplays = db.prepare<[], ReplayRow>(`SELECT * FROM bus_replays WHERE ${ACTIVE} ORDER BY started_at, name`);
  const countActive = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM bus_replays WHERE ${ACTIVE}`);
  const insertReplay = db.prepare(
    `INSERT INTO bus_replays (name, archive, description, bus, filter_rules, event_start, event_end, state, state_reason, cursor, through, started_at, ended_at, last_replayed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL)`,
  );
  // A replay being cancelled keeps CANCELLING; only a STARTING one becomes RUNNING.
  const advance = db.prepare(
    "UPDATE bus_replays SET cursor = max(cursor, ?), last_replayed = coalesce(?, last_replayed), state = CASE state WHEN 'STARTING' THEN 'RUNNING' ELSE state END WHERE name = ?",
  );
  const setState = db.prepare('UPDATE bus_replays SET state = ?, state_reason = ?, ended_at = ? WHERE name = ?');
  const insertJob = db.prepare<[string, string, string, string, string, string, number, number]>(
    'INSERT INTO bus_deliveries (bus, rule, target_id, target, event_id, event, event_time, attempts, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)',
  );

  const getSchedule = db.prepare<[string, string], ScheduleRow>('SELECT expression, next_at FROM bus_schedules WHERE bus = ? AND rule = ?');
  const upsertSchedule = db.prepare('INSERT INTO bus_schedules (bus, rule, expression, next_at) VALUES (?, ?, ?, ?) ON CONFLICT(bus, rule) DO UPDATE SET expression = excluded.expression, next_at = excluded.next_at');
  const deleteSchedule = db.prepare('DELETE FROM bus_schedules WHERE bus = ? AND rule = ?');

  return {
    createArchive(a) {
      return batcher.run(() => {
        if (getBus.get(a.bus) === undefined) return 'no-bus';
        if (getArchive.get(a.name) !== undefined) return 'exists';
        insertArchive.run(...archiveValues(a));
        return 'created';
      });
    },
    async getArchive(name) {
      const row = getArchive.get(name);
      return row === undefined ? undefined : toArchive(row);
    },
    async listArchives({ prefix = '', bus = '', after = '', limit }) {
      return listArchives.all(prefix, prefix, bus, bus, after, limit).map(toArchive);
    },
    updateArchive(name, change) {
      return batcher.run(() => {
        const row = getArchive.get(name);
        if (row === undefined) return false;
        updateArchive.run(change.description ?? row.description, change.eventPattern ?? row.event_pattern, change.retentionDays ?? row.retention_days, name);
        return true;
      });
    },
    deleteArchive(name) {
      return batcher.run(() => deleteArchive.run(name).changes > 0);
    },

    createReplay(r, maxActive) {
      return batcher.run(() => {
        if (getReplay.get(r.name) !== undefined) return 'exists';
        if (getArchive.get(r.archive) === undefined) return 'no-archive';
        if ((countActive.get()?.n ?? 0) >= maxActive) return 'limit';
        insertReplay.run(...replayValues(r));
        return 'created';
      });
    },
    async getReplay(name) {
      const row = getReplay.get(name);
      return row === undefined ? undefined : toReplay(row);
    },
    async listReplays({ prefix = '', state = '', archive = '', after = '', limit }) {
      return listReplays.all(prefix, prefix, state, state, archive, archive, after, limit).map(toReplay);
    },
    async activeReplays() {
      return activeReplays.all().map(toReplay);
    },
    advanceReplay(name, cursor, lastReplayedTime, jobs) {
      return batcher.run(() => {
        const inserted = jobs.map((j): DeliveryJob => {
          const id = Number(insertJob.run(j.bus, j.rule, j.targetId, j.target, j.eventId, j.event, j.eventTime, j.nextAt).lastInsertRowid);
          return storedJob(j, id);
        });
        advance.run(cursor, lastReplayedTime ?? null, name);
        return inserted;
      });
    },
    setReplayState(name, state, now, reason) {
      return batcher.run(() => {
        const row = getReplay.get(name);
        if (row === undefined) return undefined;
        setState.run(state, reason ?? null, FINAL.has(state) ? now : null, name);
        return row.state;
      });
    },

    async getScheduleState(bus, rule) {
      const row = getSchedule.get(bus, rule);
      return row === undefined ? undefined : toScheduleState(row);
    },
    async setScheduleState(bus, rule, state) {
      await batcher.run(() => upsertSchedule.run(bus, rule, state.expression, state.nextAt));
    },
    async deleteScheduleState(bus, rule) {
      await batcher.run(() => deleteSchedule.run(bus, rule));
    },
  };
}
