/**
 * Shared by the cluster duty tests (leadership, delivery claims, dispatch, schedules, workflow
 * timers and tasks): PostgreSQL from `requirePostgres()` (a loud skip when it is unreachable, a
 * failure with `CI=true`), one fresh random schema per test (`sb_duty_<hex>`, dropped at the end
 * even when the test failed), node handles opened on it, and polling helpers for the real-time
 * waits these tests need (leases and retries run on the system clock). The bus duty tests share
 * one event log between their nodes, a SQLite file (`logAndSchema`): the log is not what they test.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createSqliteEventLog, eventLogMigrations, openDatabase, type EventLog, type PostgresHandle } from '../../src/storage/index.ts';
import { allPostgresMigrations, openPostgres } from '../../src/storage/cluster.ts';
import { requirePostgres } from '../support/services.ts';

export const postgres = await requirePostgres();
/** Pass as the `skip` option of every test: the reason, or false. */
export const skip = postgres.skip;

export interface Schema {
  readonly name: string;
  /** A node's handle (its own pool) on the schema; closed by `drop` unless closed before. */
  open(poolSize?: number): Promise<PostgresHandle>;
  /** Runs one statement on a connection of its own (to kill another node's session, say). */
  admin(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export async function freshSchema(): Promise<Schema> {
  const name = `sb_duty_${randomBytes(6).toString('hex')}`;
  const handles: PostgresHandle[] = [];
  const admin = async (sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult> => {
    const client = new pg.Client({ connectionString: postgres.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await client.query(sql, [...params]);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    name,
    async open(poolSize = 4) {
      const handle = await openPostgres({ url: postgres.url, schema: name, poolSize, migrations: allPostgresMigrations() });
      handles.push(handle);
      return handle;
    },
    admin,
    async drop() {
      for (const handle of handles) await handle.close().catch(() => undefined);
      await admin(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    },
  };
}

/**
 * A fresh schema and an event log (a SQLite file in a temporary folder) for one test; at its end,
 * `stopFirst` (the test's services), then the schema is dropped and the folder removed.
 */
export async function logAndSchema(t: { after(fn: () => Promise<void>): void }, stopFirst?: () => Promise<void>): Promise<{ schema: Schema; log: EventLog }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cluster-duty-'));
  const db = openDatabase({ path: join(dir, 'log.db') }, [eventLogMigrations]);
  const schema = await freshSchema();
  t.after(async () => {
    await stopFirst?.();
    await schema.drop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { schema, log: createSqliteEventLog(db) };
}

/** Polls `check` every 25 ms until it is true; fails with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export { sleep };
