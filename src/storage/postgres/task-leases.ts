/**
 * Who runs each pending workflow task in a cluster (`TaskLeases`, beyond the `WorkflowStore`
 * port; PostgreSQL only). A task is held by the *holder* whose step recorded it (or that claimed
 * it), and a holder is alive while its row in `wf_task_holders` says so: the lease is per holder,
 * renewed by one UPDATE every few seconds, not per task. So a task may run for hours (a `.sync`
 * child, a callback waiting for its token) without any renewal of its own, and renewing costs
 * the same for one task as for a million.
 *
 * A holder is one store of one process: `<node>/<random>`, new on each start, so a node restarted
 * under the same name does not mistake its previous run's tasks for ones it runs (they are
 * orphaned once that run's lease ends, and claimed like any other).
 *
 * Concurrency contract: `claimOrphanedTasks` hands each orphaned task (its holder's `alive_until`
 * passed, its holder unknown, or no holder) to one claimer (`FOR UPDATE SKIP LOCKED`), never
 * this holder's own. A holder unknown to the table counts as dead, so the engine renews once
 * before it commits the first step that records tasks (it does; see the engine's `taskClaims`).
 * Time is the caller's clock (`now`, `until`): node clocks must agree to well within the lease.
 */
import type { StoredTask } from '../workflow-store.ts';
import type { PostgresHandle } from './database.ts';

/** What cluster-mode workflow tasks need beyond the port (see the file header). */
export interface TaskLeases {
  /** This store's holder: the tasks its steps record are held by it. */
  readonly taskHolder: string;
  /** Marks this holder alive until `until` (and forgets holders dead before `now` that hold nothing). */
  renewTaskLease(now: number, until: number): Promise<void>;
  /** Claims up to `limit` tasks whose holder is not alive at `now` (or none), for this holder. */
  claimOrphanedTasks(now: number, limit: number): Promise<readonly StoredTask[]>;
  /** Gives up this holder's tasks at once (a clean stop): other nodes' claims take them. */
  releaseTaskLease(): Promise<void>;
}

type TaskRow = { arn: string; task_id: string; invocation: string; token: string | null };

export function createPostgresTaskLeases(handle: PostgresHandle, holder: string): TaskLeases {
  const pool = handle.pool;
  return {
    taskHolder: holder,
    async renewTaskLease(now, until) {
      await pool.query('INSERT INTO wf_task_holders (holder, alive_until) VALUES ($1, $2) ON CONFLICT (holder) DO UPDATE SET alive_until = GREATEST(wf_task_holders.alive_until, excluded.alive_until)', [holder, until]);
      await pool.query('DELETE FROM wf_task_holders h WHERE h.alive_until <= $1 AND NOT EXISTS (SELECT 1 FROM wf_tasks t WHERE t.claimed_by = h.holder)', [now]);
    },
    async claimOrphanedTasks(now, limit) {
      const { rows } = await pool.query<TaskRow>(
        `WITH orphaned AS (
           SELECT t.exec, t.task_id FROM wf_tasks t LEFT JOIN wf_task_holders h ON h.holder = t.claimed_by
           WHERE t.claimed_by IS DISTINCT FROM $1 AND (h.alive_until IS NULL OR h.alive_until <= $2)
           ORDER BY t.exec, t.task_id LIMIT $3 FOR UPDATE OF t SKIP LOCKED
         ), claimed AS (
           UPDATE wf_tasks t SET claimed_by = $1 FROM orphaned o WHERE t.exec = o.exec AND t.task_id = o.task_id
           RETURNING t.exec, t.task_id, t.invocation, t.token
         )
         SELECT e.arn, c.task_id, c.invocation, c.token FROM claimed c JOIN wf_executions e ON e.seq = c.exec ORDER BY c.exec, c.task_id`,
        [holder, now, limit],
      );
      return rows.map((r): StoredTask => ({ execution: r.arn, taskId: r.task_id, invocation: r.invocation, ...(r.token !== null ? { token: r.token } : {}) }));
    },
    async releaseTaskLease() {
      await pool.query('DELETE FROM wf_task_holders WHERE holder = $1', [holder]);
    },
  };
}
