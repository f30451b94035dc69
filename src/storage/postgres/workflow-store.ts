/**
 * `WorkflowStore` on PostgreSQL: state machines, executions (keyed by an identity `seq`, unique by
 * (machine, name)), one history row per step (its events `first_id`..`id`), timers and pending
 * tasks keyed by the execution's `seq`, and each distinct definition stored once
 * (`wf_definitions`, by SHA-256).
 *
 * Concurrency contract (several nodes on one database):
 * - `commitStep` is one transaction that starts with a conditional UPDATE of the execution row
 *   (`... AND next_event_id = expected`): of two nodes committing a step from the same counter,
 *   the second waits on the row lock, re-checks the condition against the committed row, updates
 *   nothing and answers false. Only the winner writes history, timers and tasks.
 * - `createExecution` inserts with `ON CONFLICT (machine, name) DO NOTHING`: of two concurrent
 *   starts of one name, one creates it and the other answers `exists`/`exists-same-input`.
 * - `claimDueTimers` (cluster mode, beyond the port) hands each due timer to one node at a time
 *   (`FOR UPDATE SKIP LOCKED` plus a lease); the port's `dueTimers` stays a plain read. A fired
 *   timer is removed by the step that consumes it, and the compare-and-set above makes a timer
 *   fired twice (lease expired under a slow node) a refused no-op, not a second transition.
 *
 * What cluster mode must change in the CALLERS (`workflows/engine/durable-engine.ts`; not changed
 * here, they assume one process today):
 * - (Done: the engine's `timerClaims` option.) `fireTimers` reads `dueTimers` and arms ONE clock timer at `nextTimerAt()`, re-armed only by
 *   this node's own steps: a timer stored by another node (or by a node that died) is not seen
 *   until this node's armed timer happens to fire, and every node fires every due timer. Cluster
 *   mode must call `claimDueTimers(node, now, leaseMs, page)` instead of `dueTimers`, and poll it
 *   on an interval (e.g. every second) besides the armed timer. Double firing is already safe
 *   (the refused commit makes the engine re-read the execution), only wasteful.
 * - `resume()` runs every `pendingTasks()` on start: a node joining the cluster would run again
 *   the tasks other live nodes are running. Done: each task row names its holder (this store's
 *   `taskHolder`, see `task-leases.ts`), holders renew one liveness row, and the engine's
 *   `taskClaims` takes only tasks whose holder's lease ran out (`claimOrphanedTasks`) instead of
 *   reading `pendingTasks()` (which stays a plain read of every task, for the port).
 * - The engine's in-memory per-execution queue (`live`) serializes steps only within a node; the
 *   compare-and-set here is what serializes them across nodes (the engine already re-reads and
 *   retries on `false`, up to its COMMIT_ATTEMPTS).
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { CreateExecutionOutcome, StepCommit, StoredExecution, StoredTimer, WorkflowStore } from '../workflow-store.ts';
import { executionKey, machineValues, pickClosedBefore, RETENTION_SCAN_PAGE, toExecution, toMachine, toTask, toTimer, type ExecutionRow, type MachineRow, type RetentionScanRow, type TaskRow, type TimerRow } from '../rows/workflow-rows.ts';
import type { PostgresHandle, Queryable } from './database.ts';
import { createPostgresTaskLeases, type TaskLeases } from './task-leases.ts';

/** What cluster-mode workflow timers need beyond the port (see the file header). */
export interface TimerClaims {
  /** Claims up to `limit` timers due at `until` that no live claim holds, for `owner` until `until + leaseMs`, earliest first. */
  claimDueTimers(owner: string, until: number, leaseMs: number, limit: number): Promise<readonly StoredTimer[]>;
}

export type PostgresWorkflowStore = WorkflowStore & TimerClaims & TaskLeases;

export interface PostgresWorkflowStoreOptions {
  /** This node: the tasks this store's steps record are held by `<node>/<random>` (see `task-leases.ts`); default node `anonymous`. */
  readonly owner?: { readonly node: string };
}

type HistoryRow = { first_id: number; id: number; event: string };

/** `has_error` is a BOOLEAN: the driver returns a JS boolean. */
type PgExecutionRow = ExecutionRow & { has_error: boolean };
const fromExecutionRow = (r: PgExecutionRow): StoredExecution => toExecution(r, r.has_error);

const definitionHash = (definition: string): string => createHash('sha256').update(definition).digest('base64url');

const EXECUTION = `SELECT e.seq, e.arn, e.machine, e.name, e.status, e.state, d.definition, e.input, e.output, e.error, e.has_error, e.cause,
    e.started_at, e.stopped_at, e.next_event_id, e.redrive_count
  FROM wf_executions e JOIN wf_definitions d ON d.hash = e.definition_hash`;

/** The step's history, timers and tasks, inside the caller's transaction. */
async function applyEffects(client: Queryable, seq: number, c: StepCommit, holder: string): Promise<void> {
  if (c.history !== undefined) await client.query('INSERT INTO wf_history (exec, id, first_id, event) VALUES ($1, $2, $3, $4)', [seq, c.history.lastId, c.history.firstId, c.history.text]);
  if (c.removeTimers.length > 0) await client.query('DELETE FROM wf_timers WHERE exec = $1 AND timer_id = ANY($2::text[])', [seq, [...c.removeTimers]]);
  if (c.removeTasks.length > 0) await client.query('DELETE FROM wf_tasks WHERE exec = $1 AND task_id = ANY($2::text[])', [seq, [...c.removeTasks]]);
  if (c.status !== 'RUNNING') {
    // A finished execution waits for nothing.
    await client.query('DELETE FROM wf_timers WHERE exec = $1', [seq]);
    await client.query('DELETE FROM wf_tasks WHERE exec = $1', [seq]);
    return;
  }
  for (const t of c.addTimers) {
    await client.query('INSERT INTO wf_timers (exec, timer_id, due_at) VALUES ($1, $2, $3) ON CONFLICT (exec, timer_id) DO UPDATE SET due_at = excluded.due_at, claimed_by = NULL, lease_until = NULL', [seq, t.timerId, t.dueAt]);
  }
  for (const t of c.addTasks) {
    await client.query(
      'INSERT INTO wf_tasks (exec, task_id, invocation, token, claimed_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (exec, task_id) DO UPDATE SET invocation = excluded.invocation, token = excluded.token, claimed_by = excluded.claimed_by',
      [seq, t.taskId, t.invocation, t.token ?? null, holder],
    );
  }
}

export function createPostgresWorkflowStore(handle: PostgresHandle, options: PostgresWorkflowStoreOptions = {}): PostgresWorkflowStore {
  const pool = handle.pool;
  const holder = `${options.owner?.node ?? 'anonymous'}/${randomUUID()}`;
  const leases = createPostgresTaskLeases(handle, holder);
  /** Definitions known to be committed (filled after the commit), so a step of a known machine skips the upsert. */
  const knownDefinitions = new Set<string>();

  const seqOf = async (client: Queryable, arn: string): Promise<number | undefined> => {
    const [machine, name] = executionKey(arn);
    const { rows } = await client.query<{ seq: number }>('SELECT seq FROM wf_executions WHERE machine = $1 AND name = $2 AND arn = $3', [machine, name, arn]);
    return rows[0]?.seq;
  };

  return {
    async createStateMachine(m) {
      const inserted = await pool.query(
        'INSERT INTO wf_machines (name, definition, role_arn, type, created_at, updated_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING',
        machineValues(m),
      );
      return inserted.rowCount === 1 ? 'created' : 'exists';
    },
    async getStateMachine(name) {
      const { rows } = await pool.query<MachineRow>('SELECT * FROM wf_machines WHERE name = $1', [name]);
      return rows[0] === undefined ? undefined : toMachine(rows[0]);
    },
    async listStateMachines({ after = '', limit }) {
      const { rows } = await pool.query<MachineRow>('SELECT * FROM wf_machines WHERE name > $1 ORDER BY name LIMIT $2', [after, limit]);
      return rows.map(toMachine);
    },
    async updateStateMachine(name, change, now) {
      const result = await pool.query(
        'UPDATE wf_machines SET definition = COALESCE($2, definition), role_arn = COALESCE($3, role_arn), updated_at = $4, revision = revision + 1 WHERE name = $1',
        [name, change.definition ?? null, change.roleArn ?? null, now],
      );
      return result.rowCount === 1;
    },
    async deleteStateMachine(name) {
      return (await pool.query('DELETE FROM wf_machines WHERE name = $1', [name])).rowCount === 1;
    },

    async createExecution(e, c) {
      const hash = definitionHash(e.definition);
      const outcome = await handle.transaction(async (client: pg.PoolClient): Promise<CreateExecutionOutcome> => {
        if (!knownDefinitions.has(hash)) {
          await client.query('INSERT INTO wf_definitions (hash, definition) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hash, e.definition]);
        }
        const { rows } = await client.query<{ seq: number }>(
          `INSERT INTO wf_executions (arn, machine, name, status, state, definition_hash, input, output, error, has_error, cause, started_at, stopped_at, next_event_id, redrive_count)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (machine, name) DO NOTHING RETURNING seq`,
          [e.arn, e.machine, e.name, c.status, c.state, hash, e.input, c.output ?? null, c.error ?? null, c.error !== undefined, c.cause ?? null, e.startedAt, c.stoppedAt ?? null, c.nextEventId, e.redriveCount],
        );
        const seq = rows[0]?.seq;
        if (seq === undefined) {
          const existing = await client.query<{ input: string; status: string }>('SELECT input, status FROM wf_executions WHERE machine = $1 AND name = $2', [e.machine, e.name]);
          const row = existing.rows[0];
          return row?.input === e.input && row.status === 'RUNNING' ? 'exists-same-input' : 'exists';
        }
        await applyEffects(client, seq, c, holder);
        return 'created';
      });
      if (knownDefinitions.size >= 256) knownDefinitions.clear();
      knownDefinitions.add(hash);
      return outcome;
    },
    async getExecution(arn) {
      const [machine, name] = executionKey(arn);
      const { rows } = await pool.query<PgExecutionRow>(`${EXECUTION} WHERE e.machine = $1 AND e.name = $2`, [machine, name]);
      const row = rows[0];
      return row === undefined || row.arn !== arn ? undefined : fromExecutionRow(row);
    },
    async listExecutions({ machine, status, after, limit }) {
      const before = after === undefined ? Number.MAX_SAFE_INTEGER : ((await seqOf(pool, after)) ?? 0);
      const { rows } = await pool.query<PgExecutionRow>(
        `${EXECUTION} WHERE e.machine = $1 AND ($2::text IS NULL OR e.status = $2) AND e.seq < $3 ORDER BY e.seq DESC LIMIT $4`,
        [machine, status ?? null, before, limit],
      );
      return rows.map(fromExecutionRow);
    },
    commitStep(c) {
      const [machine, name] = executionKey(c.execution);
      return handle.transaction(async (client) => {
        const { rows } = await client.query<{ seq: number }>(
          `UPDATE wf_executions SET status = $1, state = $2, output = $3, error = $4, has_error = $5, cause = $6, stopped_at = $7, next_event_id = $8,
             redrive_count = COALESCE($9, redrive_count)
           WHERE machine = $10 AND name = $11 AND arn = $12 AND next_event_id = $13 RETURNING seq`,
          [c.status, c.state, c.output ?? null, c.error ?? null, c.error !== undefined, c.cause ?? null, c.stoppedAt ?? null, c.nextEventId, c.redriveCount ?? null, machine, name, c.execution, c.expectedEventId],
        );
        const seq = rows[0]?.seq;
        if (seq === undefined) return false;
        await applyEffects(client, seq, c, holder);
        return true;
      });
    },
    async history(execution, { after, limit, reverse }) {
      const seq = await seqOf(pool, execution);
      if (seq === undefined) return [];
      // A row of schema version 2 holds one event: no first_id.
      const { rows } = reverse === true
        ? await pool.query<HistoryRow>('SELECT coalesce(first_id, id) AS first_id, id, event FROM wf_history WHERE exec = $1 AND coalesce(first_id, id) < $2::bigint ORDER BY id DESC LIMIT $3', [seq, after ?? Number.MAX_SAFE_INTEGER, limit])
        : await pool.query<HistoryRow>('SELECT coalesce(first_id, id) AS first_id, id, event FROM wf_history WHERE exec = $1 AND id > $2::bigint ORDER BY id LIMIT $3', [seq, after ?? 0, limit]);
      return rows.map((r) => ({ firstId: r.first_id, lastId: r.id, text: r.event }));
    },

    async dueTimers(until, limit) {
      const { rows } = await pool.query<TimerRow>(
        'SELECT e.arn, t.timer_id, t.due_at FROM wf_timers t JOIN wf_executions e ON e.seq = t.exec WHERE t.due_at <= $1 ORDER BY t.due_at LIMIT $2',
        [until, limit],
      );
      return rows.map(toTimer);
    },
    async nextTimerAt() {
      const { rows } = await pool.query<{ due_at: number | null }>('SELECT min(due_at) AS due_at FROM wf_timers');
      return rows[0]?.due_at ?? undefined;
    },
    async pendingTasks() {
      const { rows } = await pool.query<TaskRow>('SELECT e.arn, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.seq = t.exec ORDER BY t.exec, t.task_id');
      return rows.map(toTask);
    },
    async taskByToken(token) {
      const { rows } = await pool.query<TaskRow>('SELECT e.arn, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.seq = t.exec WHERE t.token = $1', [token]);
      return rows[0] === undefined ? undefined : toTask(rows[0]);
    },
    async runningExecutions() {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM wf_executions WHERE status = 'RUNNING'");
      return rows[0]?.n ?? 0;
    },
    async deleteClosedExecutions(before, limit) {
      const picked: number[] = [];
      for (let after = 0; ; ) {
        const { rows } = await pool.query<RetentionScanRow>('SELECT seq, status, started_at, stopped_at FROM wf_executions WHERE seq > $1 ORDER BY seq LIMIT $2', [after, RETENTION_SCAN_PAGE]);
        if (!pickClosedBefore(rows, before, limit, picked)) break;
        after = rows[rows.length - 1]?.seq ?? after;
      }
      if (picked.length === 0) return 0;
      // Checked again: a redrive may have made one of them run again since the scan.
      const { rowCount } = await pool.query(
        `WITH gone AS (DELETE FROM wf_executions WHERE seq = ANY($1::bigint[]) AND status <> 'RUNNING' AND stopped_at < $2 RETURNING seq),
         h AS (DELETE FROM wf_history WHERE exec IN (SELECT seq FROM gone)),
         t AS (DELETE FROM wf_timers WHERE exec IN (SELECT seq FROM gone)),
         k AS (DELETE FROM wf_tasks WHERE exec IN (SELECT seq FROM gone))
         SELECT seq FROM gone`,
        [picked, before],
      );
      return rowCount ?? 0;
    },

    async claimDueTimers(owner, until, leaseMs, limit) {
      const { rows } = await pool.query<TimerRow>(
        `WITH due AS (
           SELECT exec, timer_id FROM wf_timers WHERE due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
           ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE wf_timers t SET claimed_by = $1, lease_until = $2::bigint + $3::bigint FROM due
           WHERE t.exec = due.exec AND t.timer_id = due.timer_id RETURNING t.exec, t.timer_id, t.due_at
         )
         SELECT e.arn, c.timer_id, c.due_at FROM claimed c JOIN wf_executions e ON e.seq = c.exec ORDER BY c.due_at`,
        [owner, until, leaseMs, limit],
      );
      return rows.map(toTimer);
    },
    ...leases,
  };
}
