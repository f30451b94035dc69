/**
 * The cluster database: a `pg` connection pool on one PostgreSQL schema, shared by every
 * PostgreSQL adapter of a node. Several nodes (processes) open handles on the same schema.
 *
 * Concurrency contract: each port call is its own transaction (`transaction`) or one statement
 * on the pool; nothing holds a transaction open between two port calls. Preconditions are checked
 * under row locks, advisory transaction locks (`lockKeys`) or in single conditional statements,
 * so they hold with concurrent callers in other processes, not only in this one. A transaction
 * that loses a deadlock or a serialization check is retried (its callbacks run again).
 *
 * Durability: a port call resolves after PostgreSQL's COMMIT returned, i.e. once the commit is in
 * the server's WAL (with the server's default `synchronous_commit = on`, flushed to disk).
 *
 * Names: every table lives in `schema` (created if absent); each pooled connection starts with
 * `search_path` set to it, so the adapters' SQL uses bare table names.
 */
import pg from 'pg';
import { SwitchboardError } from '../../core/index.ts';
import { allPostgresMigrations, migratePostgres, type PgMigrationSet } from './migrations.ts';

export interface PostgresOptions {
  /** `postgres://user@host:port/database` */
  readonly url: string;
  /** Schema holding Switchboard's tables; default `switchboard`. Letters, digits and `_` only. */
  readonly schema?: string;
  /** Connections in this node's pool; default 10. */
  readonly poolSize?: number;
  /** Migration sets to apply on open; default every component's (`allPostgresMigrations`). */
  readonly migrations?: readonly PgMigrationSet[];
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PostgresHandle {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly url: string;
  /**
   * Runs `work` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK
   * when it rejects (the rejection is passed on). Retried from the start on a deadlock or a
   * serialization failure.
   */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** A 64-bit advisory-lock key for `name` within this schema (schemas never share a key). */
  lockKey(name: string): string;
  /** Registers a clean-up run by `close` before the pool ends (listeners, timers). */
  onClose(hook: () => Promise<void> | void): void;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** SQLSTATEs worth a retry of the whole transaction. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** int8 (oid 20) as a JS number: our BIGINTs are ms timestamps, offsets and ids, all < 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 && format !== 'binary') return (value: string) => Number(value);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openPostgres(options: PostgresOptions): Promise<PostgresHandle> {
  const schema = options.schema ?? 'switchboard';
  if (!SCHEMA_NAME.test(schema)) throw new SwitchboardError('SB_STORAGE_FAILED', `PostgreSQL schema name ${JSON.stringify(schema)} must be letters, digits and _`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema}`,
    types,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const hooks: (() => Promise<void> | void)[] = [];
  let closed = false;

  const handle: PostgresHandle = {
    pool,
    schema,
    url: options.url,
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken = false;
        // A checked-out connection that drops between two queries emits 'error' on its client
        // (the pool listens only to idle ones): without a listener that would end the process.
        // The query in flight, if any, rejects on its own; the client is thrown away on release.
        const onError = (): void => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          const code = (error as { code?: unknown }).code;
          if (attempt < MAX_ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
          throw error;
        } finally {
          client.off('error', onError);
          client.release(broken);
        }
      }
    },
    lockKey(name) {
      return `${schema}/${name}`;
    },
    onClose(hook) {
      hooks.push(hook);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const hook of hooks.splice(0)) await hook();
      await pool.end();
    },
  };

  try {
    await migratePostgres(handle, options.migrations ?? allPostgresMigrations());
  } catch (cause) {
    await pool.end().catch(() => undefined);
    if (cause instanceof SwitchboardError) throw cause;
    throw new SwitchboardError('SB_STORAGE_FAILED', `cannot open PostgreSQL schema ${schema} at ${redact(options.url)}: ${String(cause)}`, { cause });
  }
  return handle;
}

/** Takes advisory transaction locks on `names` (in one fixed order, so two callers never deadlock). */
export async function lockKeys(client: Queryable, handle: PostgresHandle, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const keys = [...new Set(names.map((n) => handle.lockKey(n)))];
  if (keys.length === 1) {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', keys);
    return;
  }
  // Volatile functions in the target list run after ORDER BY, so the locks are taken in hash order.
  await client.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k) s ORDER BY h', [keys]);
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
