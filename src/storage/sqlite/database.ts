/**
 * The embedded database: one SQLite file in WAL mode under the data folder.
 *
 * Concurrency contract: better-sqlite3 is synchronous and this process is its only writer, so a
 * statement or a `transaction()` runs to completion without interleaving; adapters never hold a
 * transaction open across an `await`.
 *
 * Durability: WAL with `synchronous = NORMAL` makes every committed transaction survive `kill -9`
 * of the process (the WAL pages are in the OS page cache once `COMMIT` returns); `synchronous =
 * FULL` (option `fsync: true`) also survives power loss, at a cost per commit.
 *
 * Schema versions: each component (`tables`, `eventlog`, ...) owns an ordered list of migrations;
 * `schema_versions` records how far each has been applied, so a file written by an older release
 * is brought forward on open and never loses data.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SwitchboardError } from '../../core/index.ts';

export type SqliteDb = Database.Database;

export interface Migration {
  /** 1, 2, 3... in order; never renumbered once released. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: SqliteDb) => void;
}

export interface MigrationSet {
  readonly component: string;
  readonly migrations: readonly Migration[];
}

export interface OpenOptions {
  /** File path, or `:memory:` for throwaway tests. */
  readonly path: string;
  /** `synchronous = FULL`: survive power loss, not only process crashes. */
  readonly fsync?: boolean;
}

export function openDatabase(options: OpenOptions, sets: readonly MigrationSet[]): SqliteDb {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  let db: SqliteDb;
  try {
    db = new Database(options.path);
  } catch (cause) {
    throw new SwitchboardError('SB_STORAGE_FAILED', `cannot open database ${options.path}: ${String(cause)}`, { cause });
  }
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.fsync === true ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db, sets);
  return db;
}

export function migrate(db: SqliteDb, sets: readonly MigrationSet[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const current = db.prepare<[string], { version: number }>('SELECT version FROM schema_versions WHERE component = ?');
  const record = db.prepare('INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version');
  for (const set of sets) {
    const applied = current.get(set.component)?.version ?? 0;
    const latest = set.migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (applied > latest) {
      throw new SwitchboardError(
        'SB_STORAGE_FAILED',
        `database component ${set.component} is at schema version ${applied}, newer than this release knows (${latest}); upgrade Switchboard`,
      );
    }
    for (const m of [...set.migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= applied) continue;
      db.transaction(() => {
        m.up(db);
        record.run(set.component, m.version);
      })();
    }
  }
}
