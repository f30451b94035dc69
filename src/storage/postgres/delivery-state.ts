/**
 * The delivery half of `BusStore` on PostgreSQL (`DeliveryStateStore`): cursors, pending jobs,
 * dead letters and the attempt log, plus the cluster's job claims (`DeliveryClaims`).
 *
 * Concurrency contract (several nodes on one database):
 * - `enqueuePlanned` locks the bus's cursor row (`FOR UPDATE`) before `plan` reads it, so two
 *   nodes dispatching one bus take turns and the second plans from where the first moved the
 *   cursor: an event's jobs are recorded once. `enqueueDeliveries` only moves a cursor forward
 *   (`GREATEST`), whatever order two rounds commit in.
 * - A job's outcome, its attempt record and its removal are one transaction.
 * - `redriveDeadLetters` locks the letters it turns into jobs: two concurrent redrives of one
 *   letter make one job; the other reports the id unknown.
 * - `claimDueDeliveries` hands each due job to one claimer at a time (`FOR UPDATE SKIP LOCKED`
 *   plus a lease column): a job claimed by a node is not claimed again until its lease expires
 *   (the node died). With a `DeliveryOwner`, the jobs this node records or reschedules are its
 *   own until `nextAt + leaseMs` (it runs them from memory, as the callers do today); without
 *   one they are unclaimed and `recordAttempt` clears a claim.
 *   The port's `pendingDeliveries` stays a plain read of every job, as the callers expect today.
 */
import type pg from 'pg';
import type { AttemptRecord, DeadLetter, DeliveryJob, DeliveryStateStore, NewDeliveryJob } from '../bus-store.ts';
import { attemptValues, deadLetterValues, storedJob, toAttempt, toDeadLetter, toDeliveryJob, type AttemptRow, type DeadLetterRow, type DeliveryRow } from '../rows/delivery-rows.ts';
import type { PostgresHandle, Queryable } from './database.ts';

/**
 * Who runs the jobs this store records: a job this node inserts (dispatch, replay page, redrive)
 * or reschedules (`recordAttempt`) is claimed by `node` until its `nextAt + leaseMs`, so the
 * node that holds it in memory runs it and other nodes' `claimDueDeliveries` take it only once
 * that lease ran out (the node died). Without it, recorded jobs are unclaimed: due for anyone.
 */
export interface DeliveryOwner {
  readonly node: string;
  readonly leaseMs: number;
}

/** What cluster-mode delivery needs beyond the port (see the file header). */
export interface DeliveryClaims {
  /**
   * Claims up to `limit` jobs due at `now` that no live claim holds, for `owner` until
   * `now + leaseMs`, earliest due first. Two concurrent claimers never get the same job.
   */
  claimDueDeliveries(owner: string, now: number, leaseMs: number, limit: number): Promise<readonly DeliveryJob[]>;
  /**
   * Hands back every job `owner` holds (a clean stop, once its attempts in flight are over): they
   * become due for any node at their `nextAt` instead of when their leases run out. Answers how many.
   */
  releaseDeliveries(owner: string): Promise<number>;
}

const JOB_COLUMNS = 'id, bus, rule, target_id, target, event_id, event, event_time, attempts, next_at';

/** Inserts jobs (attempts 0) in order; answers them with their ids. Shared with replays. */
export async function insertJobs(client: Queryable, jobs: readonly NewDeliveryJob[], owner?: DeliveryOwner): Promise<DeliveryJob[]> {
  if (jobs.length === 0) return [];
  const { rows } = await client.query<{ id: number; n: number }>(
    `INSERT INTO bus_deliveries (bus, rule, target_id, target, event_id, event, event_time, attempts, next_at, claimed_by, lease_until)
     SELECT bus, rule, target_id, target, event_id, event, event_time, 0, next_at, $9::text, CASE WHEN $9::text IS NULL THEN NULL ELSE next_at + $10::bigint END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[]) WITH ORDINALITY
       AS v(bus, rule, target_id, target, event_id, event, event_time, next_at, n)
     ORDER BY n
     RETURNING id`,
    [jobs.map((j) => j.bus), jobs.map((j) => j.rule), jobs.map((j) => j.targetId), jobs.map((j) => j.target), jobs.map((j) => j.eventId), jobs.map((j) => j.event), jobs.map((j) => j.eventTime), jobs.map((j) => j.nextAt), owner?.node ?? null, owner?.leaseMs ?? 0],
  );
  // Identity values are drawn in insert order (ORDER BY n), so sorting the returned ids restores it.
  const ids = rows.map((r) => r.id).sort((a, b) => a - b);
  return jobs.map((j, i) => storedJob(j, ids[i] as number));
}

async function logAttempt(client: Queryable, a: AttemptRecord | undefined): Promise<void> {
  if (a === undefined) return;
  await client.query('INSERT INTO bus_attempts (event_id, bus, rule, target_id, attempt, at, outcome, code, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', attemptValues(a));
}

async function moveCursor(client: Queryable, bus: string, through: number): Promise<void> {
  await client.query('INSERT INTO bus_cursors (bus, last_offset) VALUES ($1, $2) ON CONFLICT (bus) DO UPDATE SET last_offset = GREATEST(bus_cursors.last_offset, excluded.last_offset)', [bus, through]);
}

export function createPostgresDeliveryState(handle: PostgresHandle, owner?: DeliveryOwner): Omit<DeliveryStateStore, 'configVersion'> & DeliveryClaims {
  const pool = handle.pool;
  /** Single-statement writes that need nothing else in their transaction. */
  const tx = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => handle.transaction(work);

  return {
    async getCursor(bus) {
      const { rows } = await pool.query<{ last_offset: number }>('SELECT last_offset FROM bus_cursors WHERE bus = $1', [bus]);
      return rows[0]?.last_offset ?? 0;
    },
    enqueueDeliveries(bus, through, jobs) {
      return tx(async (client) => {
        const inserted = await insertJobs(client, jobs, owner);
        await moveCursor(client, bus, through);
        return inserted;
      });
    },
    enqueuePlanned(bus, plan) {
      return tx(async (client) => {
        await client.query('INSERT INTO bus_cursors (bus, last_offset) VALUES ($1, 0) ON CONFLICT (bus) DO NOTHING', [bus]);
        const { rows } = await client.query<{ last_offset: number }>('SELECT last_offset FROM bus_cursors WHERE bus = $1 FOR UPDATE', [bus]);
        const planned = plan(rows[0]?.last_offset ?? 0);
        if (planned === undefined) return undefined;
        const inserted = await insertJobs(client, planned.jobs, owner);
        await moveCursor(client, bus, planned.through);
        return inserted;
      });
    },
    async pendingDeliveries() {
      const { rows } = await pool.query<DeliveryRow>(`SELECT ${JOB_COLUMNS} FROM bus_deliveries ORDER BY id`);
      return rows.map(toDeliveryJob);
    },
    async recordAttempt(id, attempts, nextAt, attempt) {
      await tx(async (client) => {
        await client.query(
          'UPDATE bus_deliveries SET attempts = $1, next_at = $2, claimed_by = $4::text, lease_until = CASE WHEN $4::text IS NULL THEN NULL ELSE $2::bigint + $5::bigint END WHERE id = $3',
          [attempts, nextAt, id, owner?.node ?? null, owner?.leaseMs ?? 0],
        );
        await logAttempt(client, attempt);
      });
    },
    async completeDelivery(id, attempt) {
      await tx(async (client) => {
        await client.query('DELETE FROM bus_deliveries WHERE id = $1', [id]);
        await logAttempt(client, attempt);
      });
    },
    async deadLetter(id, l: DeadLetter, attempt) {
      await tx(async (client) => {
        await client.query('DELETE FROM bus_deliveries WHERE id = $1', [id]);
        await client.query(
          `INSERT INTO bus_dead_letters (bus, rule, target_id, target_arn, event_id, event, error_code, error_message, exhausted, retry_attempts, at, target, event_time)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          deadLetterValues(l),
        );
        await logAttempt(client, attempt);
      });
    },
    async listDeadLetters(bus, query = {}) {
      const { rows } = await pool.query<DeadLetterRow>('SELECT * FROM bus_dead_letters WHERE bus = $1 AND id > $2 ORDER BY id LIMIT $3', [bus, query.after ?? 0, query.limit ?? 100]);
      return rows.map(toDeadLetter);
    },
    async getDeadLetter(id) {
      const { rows } = await pool.query<DeadLetterRow>('SELECT * FROM bus_dead_letters WHERE id = $1', [id]);
      return rows[0] === undefined ? undefined : toDeadLetter(rows[0]);
    },
    redriveDeadLetters(ids, now) {
      return tx(async (client) => {
        const { rows } = await client.query<DeadLetterRow>('SELECT * FROM bus_dead_letters WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [[...ids]]);
        const letters = new Map(rows.map((r) => [r.id, r]));
        const jobs: DeliveryJob[] = [];
        const unknown: number[] = [];
        for (const id of ids) {
          const row = letters.get(id);
          letters.delete(id);
          let target = row?.target ?? undefined;
          if (row !== undefined && target === undefined) {
            const current = await client.query<{ config: string }>('SELECT config FROM bus_targets WHERE bus = $1 AND rule = $2 AND id = $3', [row.bus, row.rule, row.target_id]);
            target = current.rows[0]?.config;
          }
          if (row === undefined || target === undefined) {
            unknown.push(id);
            continue;
          }
          // The retry window (MaximumEventAgeInSeconds) counts from the redrive, not the first put.
          const [job] = await insertJobs(client, [{ bus: row.bus, rule: row.rule, targetId: row.target_id, target, eventId: row.event_id, event: row.event, eventTime: now, nextAt: now }], owner);
          await client.query('DELETE FROM bus_dead_letters WHERE id = $1', [id]);
          if (job !== undefined) jobs.push(job);
        }
        return { jobs, unknown };
      });
    },
    async deleteDeadLetters(ids) {
      const result = await pool.query('DELETE FROM bus_dead_letters WHERE id = ANY($1::bigint[])', [[...ids]]);
      return result.rowCount ?? 0;
    },
    async listAttempts(eventId) {
      const { rows } = await pool.query<AttemptRow>('SELECT * FROM bus_attempts WHERE event_id = $1 ORDER BY seq', [eventId]);
      return rows.map(toAttempt);
    },
    async trimAttempts(before, limit) {
      // The oldest `limit` by the primary key (nodes append in about time order), of which those
      // made before `before`: the cost follows the rows deleted.
      const { rowCount } = await pool.query(
        'DELETE FROM bus_attempts WHERE seq IN (SELECT seq FROM (SELECT seq, at FROM bus_attempts ORDER BY seq LIMIT $2) oldest WHERE at < $1)',
        [before, limit],
      );
      return rowCount ?? 0;
    },

    async claimDueDeliveries(owner, now, leaseMs, limit) {
      const { rows } = await pool.query<DeliveryRow>(
        `UPDATE bus_deliveries d SET claimed_by = $1, lease_until = $2::bigint + $3::bigint
         FROM (SELECT id FROM bus_deliveries WHERE next_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) due
         WHERE d.id = due.id
         RETURNING d.id, d.bus, d.rule, d.target_id, d.target, d.event_id, d.event, d.event_time, d.attempts, d.next_at`,
        [owner, now, leaseMs, limit],
      );
      return rows.map(toDeliveryJob).sort((a, b) => a.nextAt - b.nextAt || a.id - b.id);
    },
    async releaseDeliveries(owner) {
      const result = await pool.query('UPDATE bus_deliveries SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = $1', [owner]);
      return result.rowCount ?? 0;
    },
  };
}
