/**
 * Archives, replays and schedule states of `BusStore` on PostgreSQL (`BusReplayStore`).
 *
 * Concurrency contract (several nodes on one database): an archive is only created on a bus that
 * exists (the bus row is held `FOR SHARE`, so a concurrent bus deletion waits); the count of
 * active replays is taken under the schema's `replays` advisory lock, so concurrent StartReplay
 * calls cannot exceed `maxActive`; a replay page's jobs and its cursor commit together, and the
 * cursor only moves forward (`GREATEST`); `setReplayState` reads the previous state under the
 * row lock it writes with.
 */
import type { BusReplayStore, ReplayState, StoredArchive, StoredReplay } from '../bus-replay-store.ts';
import type { PostgresHandle } from './database.ts';
import { insertJobs, type DeliveryOwner } from './delivery-state.ts';

interface ArchiveRow {
  name: string;
  bus: string;
  description: string | null;
  event_pattern: string | null;
  retention_days: number;
  start_offset: number;
  created_at: number;
}

interface ReplayRow {
  name: string;
  archive: string;
  description: string | null;
  bus: string;
  filter_rules: string | null;
  event_start: number;
  event_end: number;
  state: ReplayState;
  state_reason: string | null;
  cursor: number;
  through: number;
  started_at: number;
  ended_at: number | null;
  last_replayed: number | null;
}

const toArchive = (r: ArchiveRow): StoredArchive => ({
  name: r.name,
  bus: r.bus,
  ...(r.description !== null ? { description: r.description } : {}),
  ...(r.event_pattern !== null ? { eventPattern: r.event_pattern } : {}),
  retentionDays: r.retention_days,
  startOffset: r.start_offset,
  createdAt: r.created_at,
});

const toReplay = (r: ReplayRow): StoredReplay => ({
  name: r.name,
  archive: r.archive,
  ...(r.description !== null ? { description: r.description } : {}),
  bus: r.bus,
  ...(r.filter_rules !== null ? { filterRules: JSON.parse(r.filter_rules) as string[] } : {}),
  eventStartTime: r.event_start,
  eventEndTime: r.event_end,
  state: r.state,
  ...(r.state_reason !== null ? { stateReason: r.state_reason } : {}),
  cursor: r.cursor,
  throughOffset: r.through,
  startedAt: r.started_at,
  ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  ...(r.last_replayed !== null ? { lastReplayedTime: r.last_replayed } : {}),
});

const ACTIVE = "state IN ('STARTING', 'RUNNING', 'CANCELLING')";
const FINAL: ReadonlySet<ReplayState> = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export function createPostgresReplayState(handle: PostgresHandle, owner?: DeliveryOwner): BusReplayStore {
  const pool = handle.pool;
  return {
    createArchive(a) {
      return handle.transaction(async (client) => {
        if ((await client.query('SELECT 1 FROM bus_buses WHERE name = $1 FOR SHARE', [a.bus])).rowCount !== 1) return 'no-bus';
        const inserted = await client.query(
          'INSERT INTO bus_archives (name, bus, description, event_pattern, retention_days, start_offset, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING',
          [a.name, a.bus, a.description ?? null, a.eventPattern ?? null, a.retentionDays, a.startOffset, a.createdAt],
        );
        return inserted.rowCount === 1 ? 'created' : 'exists';
      });
    },
    async getArchive(name) {
      const { rows } = await pool.query<ArchiveRow>('SELECT * FROM bus_archives WHERE name = $1', [name]);
      return rows[0] === undefined ? undefined : toArchive(rows[0]);
    },
    async listArchives({ prefix = '', bus = '', after = '', limit }) {
      const { rows } = await pool.query<ArchiveRow>(
        "SELECT * FROM bus_archives WHERE starts_with(name, $1) AND ($2 = '' OR bus = $2) AND name > $3 ORDER BY name LIMIT $4",
        [prefix, bus, after, limit],
      );
      return rows.map(toArchive);
    },
    async updateArchive(name, change) {
      const result = await pool.query(
        'UPDATE bus_archives SET description = COALESCE($2, description), event_pattern = COALESCE($3, event_pattern), retention_days = COALESCE($4, retention_days) WHERE name = $1',
        [name, change.description ?? null, change.eventPattern ?? null, change.retentionDays ?? null],
      );
      return result.rowCount === 1;
    },
    async deleteArchive(name) {
      return (await pool.query('DELETE FROM bus_archives WHERE name = $1', [name])).rowCount === 1;
    },

    createReplay(r, maxActive) {
      return handle.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [handle.lockKey('replays')]);
        if ((await client.query('SELECT 1 FROM bus_replays WHERE name = $1', [r.name])).rowCount === 1) return 'exists';
        if ((await client.query('SELECT 1 FROM bus_archives WHERE name = $1 FOR SHARE', [r.archive])).rowCount !== 1) return 'no-archive';
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM bus_replays WHERE ${ACTIVE}`);
        if ((rows[0]?.n ?? 0) >= maxActive) return 'limit';
        await client.query(
          `INSERT INTO bus_replays (name, archive, description, bus, filter_rules, event_start, event_end, state, state_reason, cursor, through, started_at, ended_at, last_replayed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11, NULL, NULL)`,
          [r.name, r.archive, r.description ?? null, r.bus, r.filterRules === undefined ? null : JSON.stringify(r.filterRules), r.eventStartTime, r.eventEndTime, r.state, r.cursor, r.throughOffset, r.startedAt],
        );
        return 'created';
      });
    },
    async getReplay(name) {
      const { rows } = await pool.query<ReplayRow>('SELECT * FROM bus_replays WHERE name = $1', [name]);
      return rows[0] === undefined ? undefined : toReplay(rows[0]);
    },
    async listReplays({ prefix = '', state = '', archive = '', after = '', limit }) {
      const { rows } = await pool.query<ReplayRow>(
        "SELECT * FROM bus_replays WHERE starts_with(name, $1) AND ($2 = '' OR state = $2) AND ($3 = '' OR archive = $3) AND name > $4 ORDER BY name LIMIT $5",
        [prefix, state, archive, after, limit],
      );
      return rows.map(toReplay);
    },
    async activeReplays() {
      const { rows } = await pool.query<ReplayRow>(`SELECT * FROM bus_replays WHERE ${ACTIVE} ORDER BY started_at, name`);
      return rows.map(toReplay);
    },
    advanceReplay(name, cursor, lastReplayedTime, jobs) {
      return handle.transaction(async (client) => {
        const inserted = await insertJobs(client, jobs, owner);
        // A replay being cancelled keeps CANCELLING; only a STARTING one becomes RUNNING.
        await client.query(
          "UPDATE bus_replays SET cursor = GREATEST(cursor, $1), last_replayed = COALESCE($2, last_replayed), state = CASE state WHEN 'STARTING' THEN 'RUNNING' ELSE state END WHERE name = $3",
          [cursor, lastReplayedTime ?? null, name],
        );
        return inserted;
      });
    },
    async setReplayState(name, state, now, reason) {
      const { rows } = await pool.query<{ state: ReplayState }>(
        `UPDATE bus_replays r SET state = $2, state_reason = $3, ended_at = $4
         FROM (SELECT name, state FROM bus_replays WHERE name = $1 FOR UPDATE) old
         WHERE r.name = old.name RETURNING old.state`,
        [name, state, reason ?? null, FINAL.has(state) ? now : null],
      );
      return rows[0]?.state;
    },

    async getScheduleState(bus, rule) {
      const { rows } = await pool.query<{ expression: string; next_at: number | null }>('SELECT expression, next_at FROM bus_schedules WHERE bus = $1 AND rule = $2', [bus, rule]);
      const row = rows[0];
      return row === undefined ? undefined : { expression: row.expression, nextAt: row.next_at };
    },
    async setScheduleState(bus, rule, state) {
      await pool.query(
        'INSERT INTO bus_schedules (bus, rule, expression, next_at) VALUES ($1, $2, $3, $4) ON CONFLICT (bus, rule) DO UPDATE SET expression = excluded.expression, next_at = excluded.next_at',
        [bus, rule, state.expression, state.nextAt],
      );
    },
    async deleteScheduleState(bus, rule) {
      await pool.query('DELETE FROM bus_schedules WHERE bus = $1 AND rule = $2', [bus, rule]);
    },
  };
}
