/**
 * `WorkflowStore` on a SQLite file of its own, written by a thread of its own. A Standard
 * execution commits every step before its effects start; on the event loop, SQLite's part of that
 * (the statements and the commit's WAL writes) was about half the time of a step. Here the event
 * loop only sends the writes (`workflow-writer-protocol.ts`) and goes on interpreting; the writer
 * thread (`workflow-writer-thread.ts`) group-commits them and answers. Reads run on the event
 * loop's own read-only connection to the file (`workflow-reads.ts`), which sees every committed
 * write (WAL).
 *
 * Durability is unchanged: a write's promise resolves once the thread's COMMIT has returned, so
 * an acknowledged step survives `kill -9` (and power loss with `fsync`).
 *
 * Concurrency contract: writes are committed, and answered, in the order they were made. The
 * thread keeps the process alive only while writes wait for it. If it dies, the writes waiting
 * for it fail (whether or not it committed them: the engine reads the execution again on its next
 * step) and the next write starts a new one. `close()` refuses writes from then on, waits for the
 * ones made before it, then closes both connections.
 */
import { Worker } from 'node:worker_threads';
import type { WorkflowStore } from '../workflow-store.ts';
import { openDatabase, type SqliteDb } from './database.ts';
import { moveWorkflowTables } from './workflow-file-move.ts';
import { workflowMigrations } from './workflow-migrations.ts';
import { workflowReads } from './workflow-reads.ts';
import { fromWireError, JobEncoder, type FromWriter, type ToWriter, type WriterData, type WriterJob } from './workflow-writer-protocol.ts';

export interface ThreadedWorkflowStore extends WorkflowStore {
  /** Resolves once every write made so far is committed. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const ENTRY = new URL('./workflow-writer-entry.mjs', import.meta.url);

/**
 * Writes are sent in groups of this many as they are made, the rest at the end of the turn. The
 * writes made in one turn are mostly steps continued by the answers to one message, so a turn's
 * writes sent at its end kept both threads in lockstep: the thread committed while the event loop
 * waited for it, and the other way round. Sent in groups, the thread commits the first steps while
 * the event loop computes the next. On bench/workflows (100 executions in flight), groups of 8
 * made 3-state executions 1.4x and 20-state ones 1.5x as fast as one message per turn. The size
 * is a trade: a commit's cost is mostly the pages it writes to the WAL (two `pwrite`s each, some
 * 27 pages for 32 jobs), many of them shared by all its jobs (the right edges of the tables and
 * indexes, page 1), so a larger group costs the thread less per job, while a smaller one lets the
 * event loop start on the answers sooner. Measured in interleaved pairs once a commit's statements
 * had become cheaper (history text, updates by seq): 48 was 4% (3 states) and 11% (20 states)
 * faster than 16, and used less of the thread; 32 was about as fast as 48; 64, and one message
 * per turn, slower.
 */
const SEND_AT = 48;

export interface ThreadedStoreOptions {
  readonly path: string;
  readonly fsync?: boolean;
  /** A database that held the workflow tables before (`workflow-file-move.ts`): they are moved in first. */
  readonly moveFrom?: SqliteDb;
  /** Called with each writer thread as it starts (tests end one to exercise a thread's death). */
  readonly onThread?: (worker: Worker) => void;
}

export function openThreadedSqliteWorkflowStore(options: ThreadedStoreOptions): ThreadedWorkflowStore {
  // Migrated (and filled from the old file) here, before the thread opens the file.
  const db = openDatabase({ path: options.path, fsync: options.fsync ?? false }, [workflowMigrations]);
  try {
    if (options.moveFrom !== undefined) moveWorkflowTables(options.moveFrom, db);
  } catch (error) {
    db.close();
    throw error;
  }
  // This connection only reads: the thread's is the one writer.
  db.pragma('query_only = ON');
  const data: WriterData = { path: options.path, fsync: options.fsync ?? false };
  let worker: Worker | undefined;
  /** Sent to the thread, not answered yet, oldest first. */
  let sent: Waiting[] = [];
  /** Made during this turn, sent at its end. */
  const jobs = new JobEncoder();
  let queued: Waiting[] = [];
  let scheduled = false;
  let closed = false;
  /** The last write made. */
  let last: Promise<unknown> | undefined;

  function thread(): Worker {
    if (worker !== undefined) return worker;
    const w = new Worker(ENTRY, { workerData: data });
    jobs.newThread();
    w.on('message', (message: FromWriter) => {
      if (message.type !== 'done') return;
      const answered = sent.slice(0, message.outcomes.length);
      sent = sent.slice(message.outcomes.length);
      if (sent.length === 0) w.unref();
      message.outcomes.forEach((o, i) => {
        const waiting = answered[i];
        if (o[0] === 1) waiting?.resolve(o[1]);
        else waiting?.reject(fromWireError(o[1]));
      });
    });
    const died = (error: Error): void => {
      if (worker !== w) return;
      worker = undefined;
      const lost = sent;
      sent = [];
      for (const waiting of lost) waiting.reject(error);
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`workflow writer thread exited (code ${code})`)));
    worker = w;
    options.onThread?.(w);
    return w;
  }

  function send(): void {
    scheduled = false;
    if (queued.length === 0) return;
    const w = thread();
    w.ref();
    w.postMessage({ type: 'jobs', ...jobs.take() } satisfies ToWriter);
    for (const waiting of queued) sent.push(waiting);
    queued = [];
  }

  function write<T>(job: WriterJob): Promise<T> {
    if (closed) return Promise.reject(new Error('workflow store is closed'));
    const written = new Promise<T>((resolve, reject) => {
      jobs.add(job);
      queued.push({ resolve: resolve as (value: unknown) => void, reject });
      if (queued.length >= SEND_AT) send();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(send);
      }
    });
    last = written;
    return written;
  }

  async function drain(): Promise<void> {
    // Answered in order: once the last write made has settled, so have all the others.
    await last?.catch(() => undefined);
  }

  return {
    ...workflowReads(db),
    createStateMachine: (m) => write(['createStateMachine', m]),
    updateStateMachine: (name, change, now) => write(['updateStateMachine', name, change, now]),
    deleteStateMachine: (name) => write(['deleteStateMachine', name]),
    createExecution: (e, c) => write(['createExecution', e, c]),
    commitStep: (c) => write(['commitStep', c]),
    deleteClosedExecutions: (before, limit) => write(['deleteClosedExecutions', before, limit]),
    drain,
    async close() {
      if (closed) return;
      closed = true;
      // What this turn made goes now, not to a thread started again after this one is closed.
      send();
      await drain();
      const w = worker;
      if (w !== undefined) {
        worker = undefined;
        w.ref();
        await new Promise<void>((resolve) => {
          w.on('message', (message: FromWriter) => {
            if (message.type === 'closed') resolve();
          });
          w.once('exit', () => resolve());
          w.postMessage({ type: 'close' } satisfies ToWriter);
        });
        await w.terminate();
      }
      db.close();
    },
  };
}
