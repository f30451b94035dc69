/**
 * Group commit for the embedded database. Every durable write (a table item, an event-log
 * append) is a job queued here; all jobs queued during one turn of the event loop run in ONE
 * SQLite transaction, flushed in the loop's check phase (`setImmediate`), so the requests that
 * arrived in the same poll phase share one commit instead of paying one each. Each job runs in
 * its own SAVEPOINT: a job that throws is rolled back alone and only its promise rejects.
 * A job's promise resolves only after the shared COMMIT returned, i.e. once it is durable.
 *
 * Concurrency contract: jobs are synchronous functions (better-sqlite3 is synchronous) and run
 * in queue order; nothing else writes between the BEGIN and the COMMIT of a batch.
 */
import { backgroundCheckpointsFor } from './background-checkpoints.ts';
import type { SqliteDb } from './database.ts';

export interface WriteBatcher {
  run<T>(job: () => T): Promise<T>;
  /** Resolves once every job queued so far is committed (shutdown waits on it before closing). */
  drain(): Promise<void>;
  /** Drains, then ends background checkpoints of the database: call it just before `db.close()`. */
  close(): Promise<void>;
}

interface Pending {
  readonly job: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const batchers = new WeakMap<SqliteDb, WriteBatcher>();

/** One batcher per database handle, shared by every adapter on it so they commit together. */
export function writeBatcherFor(db: SqliteDb): WriteBatcher {
  let batcher = batchers.get(db);
  if (batcher === undefined) {
    batcher = createWriteBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}

/** What one job of a batch came to. */
export type JobOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export interface BatchCommit {
  /**
   * Runs `jobs` in one transaction, each in its own savepoint, and commits: their outcomes, in
   * order (a job that threw is rolled back alone). Throws, with nothing committed, when the
   * transaction itself fails.
   */
  run(jobs: readonly (() => unknown)[]): JobOutcome[];
  /** Ends background checkpoints of the database: call it just before `db.close()`. */
  close(): Promise<void>;
}

/**
 * The transaction of a batch of jobs on `db` (the write batcher's, and the workflow writer
 * thread's). `rerunnable`: the jobs only write to the database (running one again after a
 * rollback has the same effect as running it once), so a batch first runs without savepoints, two
 * statements fewer per job; if a job throws, the transaction is rolled back and the batch runs
 * again with a savepoint per job.
 */
export function createBatchCommit(db: SqliteDb, options: { readonly rerunnable?: boolean } = {}): BatchCommit {
  // Prepared once: `exec` would parse these statements again on every batch.
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT job');
  const release = db.prepare('RELEASE job');
  const rollbackTo = db.prepare('ROLLBACK TO job');
  // Checkpoints (the fsyncs of WAL mode) run on a worker thread, not inside our COMMITs.
  const checkpoints = backgroundCheckpointsFor(db);
  /** Runs `body` in a transaction and commits it; rolls it back and throws when either fails. */
  function transaction<T>(body: () => T): T {
    let result: T;
    begin.run();
    try {
      result = body();
      commit.run();
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw error;
    }
    checkpoints?.committed();
    return result;
  }
  /** Thrown inside a rerunnable batch's first run when one of its jobs threw. */
  const jobThrew = new Error('a job of the batch threw');

  return {
    run(jobs) {
      if (options.rerunnable === true && jobs.length > 1) {
        try {
          return transaction(() =>
            jobs.map((job): JobOutcome => {
              try {
                return { ok: true, value: job() };
              } catch {
                throw jobThrew;
              }
            }),
          );
        } catch (error) {
          if (error !== jobThrew) throw error;
          // Rolled back: run again, each job in its savepoint.
        }
      }
      // A lone job needs no savepoint: if it throws, the whole (one-job) transaction rolls back.
      const single = jobs.length === 1;
      return transaction(() =>
        jobs.map((job): JobOutcome => {
          if (single) return { ok: true, value: job() };
          savepoint.run();
          try {
            const value = job();
            release.run();
            return { ok: true, value };
          } catch (error) {
            rollbackTo.run();
            release.run();
            return { ok: false, error };
          }
        }),
      );
    },
    close: async () => checkpoints?.close(),
  };
}

function createWriteBatcher(db: SqliteDb): WriteBatcher {
  let queue: Pending[] = [];
  let scheduled = false;
  const transaction = createBatchCommit(db);

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    let outcomes: JobOutcome[];
    try {
      outcomes = transaction.run(batch.map((p) => p.job));
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o === undefined) p.reject(new Error('write batch lost a job'));
      else if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }

  return {
    async close() {
      await this.drain();
      await transaction.close();
    },
    drain() {
      if (queue.length === 0 && !scheduled) return Promise.resolve();
      return new Promise<void>((resolve) => {
        queue.push({ job: () => undefined, resolve: () => resolve(), reject: () => resolve() });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    run<T>(job: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
