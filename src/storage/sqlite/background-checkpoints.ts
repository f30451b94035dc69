/**
 * WAL checkpoints on a worker thread. A checkpoint copies committed WAL pages back into the
 * database file and, at `synchronous = NORMAL`, fsyncs both files: milliseconds to tens of
 * milliseconds of I/O. SQLite's automatic checkpoint runs it inside the COMMIT that crosses the
 * WAL size threshold, i.e. on the event loop, stalling every request behind it. Here the commit
 * only records that the WAL grew; one thread per process runs `PRAGMA wal_checkpoint(PASSIVE)`
 * on its own connection, which never blocks the writer and never waits for it.
 *
 * Durability is not changed: a transaction is durable (survives `kill -9`) once its COMMIT wrote
 * it to the WAL, whether or not a checkpoint ran; a crash mid-checkpoint is recovered by SQLite
 * as always. Checkpoints run at the connection's own `synchronous` level, so `fsync: true`
 * (FULL) keeps its power-loss guarantee.
 *
 * The writer's automatic checkpoint stays as a safety net, with a threshold far above what the
 * thread lets the WAL reach while it keeps up (`SAFETY_NET_PAGES`): under a write load with no
 * pause at all the thread may never see the WAL fully copied, and only a complete checkpoint lets
 * the next transaction start the WAL over from its beginning.
 *
 * Concurrency contract: `committed()` is called on the event loop after each COMMIT. A checkpoint
 * is asked for after `COMMITS_PER_CHECKPOINT` commits, or `CHECKPOINT_INTERVAL_MS` after the
 * previous one (an unref'd timer covers the end of a burst), so its two fsyncs are paid for many
 * commits, as with SQLite's own 1,000-page threshold; at most one request per database is
 * outstanding, and the thread answers each. The thread is unref'd (it never keeps the process
 * alive) and closes a database's connection once that database has been idle for a second, so a
 * closed or deleted database costs nothing after that. `close()` (called when the writer closes
 * the database) ends the database's requests and resolves once the thread's connection to it is
 * closed: after it, nothing in this process touches the file, so its folder can be deleted (a
 * request still on its way used to reopen the database, recreating `-wal`/`-shm` in a folder
 * being removed).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDb } from './database.ts';

/** The writer's own automatic checkpoint, in pages (SQLite's default is 1,000). */
export const SAFETY_NET_PAGES = 16_384;

// About SQLite's own cadence (1,000 pages): a page rewritten by many commits is copied back once.
const COMMITS_PER_CHECKPOINT = 1_000;
const CHECKPOINT_INTERVAL_MS = 250;

export interface BackgroundCheckpoints {
  /** A transaction was committed on this database: its WAL grew. */
  committed(): void;
  /** No more checkpoints of this database; resolves once the thread has closed its connection. */
  close(): Promise<void>;
}

interface Request {
  readonly path: string;
  /** `PRAGMA synchronous` of the writer (1 NORMAL, 2 FULL, 3 EXTRA). */
  readonly synchronous: number;
  /** Close the connection to this database instead of checkpointing it. */
  readonly release?: true;
}

interface Answer {
  readonly path: string;
  readonly released?: true;
}

// CommonJS, evaluated in the worker: it needs no TypeScript loader, only better-sqlite3.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
const Database = require(workerData.sqlite);
const open = new Map();
parentPort.on('message', ({ path, synchronous, release }) => {
  let entry = open.get(path);
  if (release) {
    if (entry !== undefined) { clearTimeout(entry.timer); try { entry.db.close(); } catch {} open.delete(path); }
    parentPort.postMessage({ path, released: true });
    return;
  }
  try {
    // No WAL file: nothing to copy back, and the writer has closed the database (an open one in
    // WAL mode has it). Opening would create -wal/-shm beside a file that may be being deleted.
    if (entry === undefined && !existsSync(path + '-wal')) { parentPort.postMessage({ path }); return; }
    if (entry === undefined) {
      const db = new Database(path, { fileMustExist: true });
      db.pragma('synchronous = ' + synchronous);
      db.pragma('busy_timeout = 0');
      entry = { db, timer: undefined };
      open.set(path, entry);
    }
    entry.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy, closed or gone: the next commit asks again; a database that is gone is forgotten.
    if (entry !== undefined) { try { entry.db.close(); } catch {} open.delete(path); clearTimeout(entry.timer); entry = undefined; }
  }
  if (entry !== undefined) {
    clearTimeout(entry.timer);
    const e = entry;
    e.timer = setTimeout(() => { try { e.db.close(); } catch {} if (open.get(path) === e) open.delete(path); }, 1000);
  }
  parentPort.postMessage({ path });
});
`;

let worker: Worker | undefined;

interface State {
  /** A request is with the thread. */
  pending: boolean;
  /** Commits since the last request. */
  commits: number;
  lastRequest: number;
  /** Armed when commits wait for the interval to end. */
  trailing: NodeJS.Timeout | undefined;
}
const states = new Map<string, State>();
/** Waiting for the thread to close its connection to a database. */
const releases = new Map<string, (() => void)[]>();

function ask(path: string, state: State): void {
  clearTimeout(state.trailing);
  state.trailing = undefined;
  if (state.pending || state.commits === 0) return;
  state.pending = true;
  state.commits = 0;
  state.lastRequest = performance.now();
  checkpointThread().postMessage(request(path));
}

function checkpointThread(): Worker {
  if (worker === undefined) {
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlite } });
    w.on('message', ({ path, released }: Answer) => {
      if (released === true) {
        const waiting = releases.get(path) ?? [];
        releases.delete(path);
        // Unref'd again once nobody waits for an answer.
        if (releases.size === 0) w.unref();
        for (const resolve of waiting) resolve();
        return;
      }
      const state = states.get(path);
      if (state === undefined) return;
      state.pending = false;
      // Commits made while it ran wait for the interval, like any others.
      if (state.commits > 0) state.trailing ??= setTimeout(() => ask(path, state), CHECKPOINT_INTERVAL_MS).unref();
    });
    w.on('error', () => {
      // The thread died (it should not): the next commit starts another one.
      worker = undefined;
      for (const state of states.values()) state.pending = false;
      // Its connections died with it.
      for (const waiting of releases.values()) for (const resolve of waiting) resolve();
      releases.clear();
    });
    // After the listeners: adding a 'message' listener refs the thread again.
    w.unref();
    worker = w;
  }
  return worker;
}

const synchronousOf = new Map<string, number>();
const request = (path: string): Request => ({ path, synchronous: synchronousOf.get(path) ?? 1 });

/** Undefined for in-memory databases, which have no WAL. */
export function backgroundCheckpointsFor(db: SqliteDb): BackgroundCheckpoints | undefined {
  if (db.memory || db.name === '' || !isWal(db)) return undefined;
  const path = db.name;
  synchronousOf.set(path, Number(db.pragma('synchronous', { simple: true })));
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  return {
    committed() {
      let state = states.get(path);
      if (state === undefined) {
        state = { pending: false, commits: 0, lastRequest: performance.now(), trailing: undefined };
        states.set(path, state);
      }
      state.commits++;
      if (state.pending) return;
      const wait = CHECKPOINT_INTERVAL_MS - (performance.now() - state.lastRequest);
      if (state.commits >= COMMITS_PER_CHECKPOINT || wait <= 0) ask(path, state);
      // After the last commit of a burst, the WAL is copied back at the end of the interval.
      else state.trailing ??= setTimeout(() => ask(path, state), wait).unref();
    },
    close() {
      const state = states.get(path);
      if (state !== undefined) clearTimeout(state.trailing);
      states.delete(path);
      // No thread: it never opened the database.
      if (worker === undefined) return Promise.resolve();
      const w = worker;
      return new Promise<void>((resolve) => {
        const waiting = releases.get(path);
        if (waiting !== undefined) waiting.push(resolve);
        else releases.set(path, [resolve]);
        // The answer is awaited: the thread keeps the process alive until it comes.
        w.ref();
        // Queued behind a checkpoint request still with the thread, so it is answered after it.
        w.postMessage({ path, synchronous: 1, release: true } satisfies Request);
      });
    },
  };
}

function isWal(db: SqliteDb): boolean {
  return String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
}
