/**
 * The durable engine's duties when several nodes share one `WorkflowStore` (cluster mode), given
 * as two optional sources (`WorkflowEngineDeps.timerClaims`, `.taskClaims`); without them the
 * engine behaves as in one process (`dueTimers`, every `pendingTasks()` on start).
 *
 * Timers: each due timer must fire on one node, including timers stored by another node (whose
 * step armed that node's clock, not ours) or by a node that died. So timers are *claimed*
 * (`claimDue`: each due timer handed to one node for a lease) by the armed clock timer as before
 * and also every `pollMs`. A timer fired twice (a lease ran out under a slow node) is still one
 * transition: the second commit fails the compare-and-set and is dropped.
 *
 * Tasks: the node whose step recorded a task runs it from memory, as in one process. A joining
 * node must not run the tasks other live nodes run, so `resume` reads no `pendingTasks()`; instead
 * this node keeps a lease on *itself* (`renew(now, now + leaseMs)` every `leaseMs / 3`) and claims
 * the tasks whose holder's lease ran out (`claimOrphaned`, every `pollMs`, and at start). The lease
 * is per node, not per task, so a task may run for hours with no renewal of its own.
 *
 * Lease length trade-off (`leaseMs`, default 30 s): a dead node's tasks are re-run by another node
 * between `leaseMs` and `leaseMs + pollMs` after its last renewal; a shorter lease resumes sooner
 * but re-runs (a second side effect) the tasks of a node that is alive yet could not renew for a
 * whole lease (a long GC pause, a PostgreSQL outage or failover longer than the lease, clocks
 * skewed by more than the lease's margin). Renewals cost one UPDATE per node per `leaseMs / 3`.
 *
 * Concurrency contract: the loops start with `start` (after `resume`'s first claims) and end with
 * `disarm`; their rounds are tracked as engine work, so `stop` awaits them. `ready` resolves once
 * this node's lease is stored (the engine awaits it before the first commit that records tasks, so
 * no other node finds them held by an unknown node); it retries after a failure.
 */
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { StoredTask, StoredTimer } from '../../storage/index.ts';

/** Due timers that no live claim holds, claimed for this node (PostgreSQL: `claimDueTimers(node, until, leaseMs, limit)`). */
export interface TimerClaimSource {
  claimDue(until: number, limit: number): Promise<readonly StoredTimer[]>;
  /** How often to claim besides the armed timer; default 1,000 ms. */
  readonly pollMs?: number;
}

/** This node's liveness and the tasks of dead nodes (PostgreSQL: `renewTaskLease`, `claimOrphanedTasks`, `releaseTaskLease`). */
export interface TaskClaimSource {
  /** Marks this node alive until `until`. */
  renew(now: number, until: number): Promise<void>;
  /** Claims up to `limit` tasks whose holder is not alive at `now`, for this node. */
  claimOrphaned(now: number, limit: number): Promise<readonly StoredTask[]>;
  /** At stop: gives this node's remaining tasks up at once. */
  release?(): Promise<void>;
  /** default 30,000 ms (see the file header). */
  readonly leaseMs?: number;
  /** How often to claim orphaned tasks; default 5,000 ms. */
  readonly pollMs?: number;
}

export interface ClusterClaims {
  ready(): Promise<void>;
  /** Claims orphaned tasks until none is left; hands them to `runTasks`. */
  claimTasks(): Promise<void>;
  start(): void;
  disarm(): void;
  leave(): Promise<void>;
}

export interface ClusterClaimsDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: TimerClaimSource;
  readonly tasks?: TaskClaimSource;
  readonly stopped: () => boolean;
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly sweepTimers: () => Promise<void>;
  readonly runTasks: (tasks: readonly StoredTask[]) => void;
}

const TASK_PAGE = 100;

export function createClusterClaims(d: ClusterClaimsDeps): ClusterClaims {
  const leaseMs = d.tasks?.leaseMs ?? 30_000;
  const loops = new Set<Timer>();
  let renewed: Promise<void> | undefined;
  let disarmed = false;

  const renew = (tasks: TaskClaimSource): Promise<void> => {
    const now = d.clock.now();
    return tasks.renew(now, now + leaseMs);
  };

  /** Runs `round` every `ms` until `disarm` or stop; a failed round is logged and the loop goes on. */
  const every = (ms: number, what: string, round: () => Promise<void>): void => {
    const timer = d.clock.setTimer(ms, () => {
      loops.delete(timer);
      if (d.stopped()) return;
      void d
        .track(round())
        .catch((error: unknown) => d.logger.log('error', `workflow ${what} failed; retried`, { error }))
        .finally(() => {
          if (!d.stopped() && !disarmed) every(ms, what, round);
        });
    });
    loops.add(timer);
  };

  const claims: ClusterClaims = {
    ready() {
      const tasks = d.tasks;
      if (tasks === undefined) return Promise.resolve();
      renewed ??= renew(tasks).catch((error: unknown) => {
        renewed = undefined;
        throw error;
      });
      return renewed;
    },
    async claimTasks() {
      const tasks = d.tasks;
      if (tasks === undefined) return;
      for (;;) {
        if (d.stopped()) return;
        const page = await tasks.claimOrphaned(d.clock.now(), TASK_PAGE);
        d.runTasks(page);
        if (page.length < TASK_PAGE) return;
      }
    },
    start() {
      disarmed = false;
      const tasks = d.tasks;
      if (tasks !== undefined) {
        every(Math.max(1, Math.floor(leaseMs / 3)), 'task lease renewal', () => renew(tasks));
        every(tasks.pollMs ?? 5_000, 'orphaned task claims', () => claims.claimTasks());
      }
      if (d.timers !== undefined) every(d.timers.pollMs ?? 1_000, 'timer claims', d.sweepTimers);
    },
    disarm() {
      disarmed = true;
      for (const timer of loops) timer.cancel();
      loops.clear();
    },
    async leave() {
      claims.disarm();
      if (d.tasks?.release !== undefined) await d.tasks.release().catch((error: unknown) => d.logger.log('warn', 'workflow task lease release failed; other nodes take the tasks once it runs out', { error }));
    },
  };
  return claims;
}
