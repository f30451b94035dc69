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
import type { BusReplayStore, ReplayState } from '../bus-replay-store.ts';
import { archiveValues, replayValues, toArchive, toReplay, toScheduleState, type ArchiveRow, type ReplayRow, type ScheduleRow } from '../rows/replay-rows.ts';
import type { PostgresHandle } from './database.ts';
import { insertJobs, type DeliveryOwner } from './delivery-state.ts';

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
          archiveValues(a),
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
          replayValues(r),
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
      const { rows } = await pool.query<ScheduleRow>('SELECT expression, next_at FROM bus_schedules WHERE bus = $1 AND rule = $2', [bus, rule]);
      return rows[0] === undefined ? undefined : toScheduleState(rows[0]);
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
