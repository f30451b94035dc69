/**
 * `Leadership` on PostgreSQL: the node whose session holds the advisory lock
 * `pg_try_advisory_lock(hashtextextended(handle.lockKey('leader:' + name), 0))` leads `name`.
 *
 * Why a session lock on one dedicated connection (not the pool): a session-level advisory lock
 * lives exactly as long as the session that took it. When the leader's process dies, or its
 * connection drops (network, `pg_terminate_backend`, a server restart), PostgreSQL ends the
 * session and releases the lock; the next `pg_try_advisory_lock` of another node (every
 * `retryMs`) takes it. No lease table, no clock: the database's session is the lease.
 *
 * Concurrency contract: one attempt at a time (an attempt is: connect if needed, then try the lock
 * when not leading, or check the connection with `SELECT 1` when leading), then a wait of
 * `retryMs`. On the connection's `error` or `end`, or a failed or slow (over `max(5 s, 2 *
 * retryMs)`: a busy machine must not make a leader step down) check, `isLeader` turns false at
 * once and listeners hear it, before anything else; the connection is dropped and the next
 * attempt makes a new one and tries the lock again.
 *
 * Limits: a leader cut off by a network black hole (no RST, no FIN) steps down after its check
 * times out, but the server keeps its session (and the lock) until TCP keepalive ends it, so no
 * node leads meanwhile. The session asks the server for short keepalives (`tcp_keepalives_*`) to
 * bound that window to about half a minute on TCP connections.
 */
import pg from 'pg';
import type { Leadership } from '../leadership.ts';
import type { PostgresHandle } from './database.ts';

export interface PostgresLeadershipOptions {
  /** The duty led (`bus`, ...): one lock per name and schema. */
  readonly name: string;
  /** This node's name, shown in `pg_stat_activity.application_name` of the lock's session. */
  readonly node: string;
  /** Wait between two attempts, and the check period while leading; default 2,000 ms. */
  readonly retryMs?: number;
}

const noop = (): undefined => undefined;

export function createPostgresLeadership(handle: Pick<PostgresHandle, 'url' | 'lockKey'>, options: PostgresLeadershipOptions): Leadership {
  const retryMs = options.retryMs ?? 2_000;
  const timeoutMs = Math.max(5_000, 2 * retryMs);
  const key = handle.lockKey(`leader:${options.name}`);
  const listeners = new Set<(leader: boolean) => void>();
  let leader = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> | undefined;
  let closed = false;

  const set = (value: boolean): void => {
    if (leader === value) return;
    leader = value;
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch {
        // A listener must not throw; leadership goes on regardless.
      }
    }
  };

  /** Forgets `c` (if it is still ours) and steps down: the session, and so the lock, ends with it. */
  const drop = (c: pg.Client): void => {
    if (client !== c) return;
    client = undefined;
    set(false);
    c.removeAllListeners();
    c.on('error', noop);
    void c.end().catch(noop);
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: handle.url, keepAlive: true, connectionTimeoutMillis: timeoutMs, application_name: `switchboard leader ${options.node}`.slice(0, 63) });
    client = c;
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    await c.connect();
    // Lets the server notice a vanished leader within ~30 s; not available on Unix sockets.
    await c.query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3').catch(noop);
    return c;
  };

  const within = <T>(work: Promise<T>, ms: number): Promise<T> => {
    let t: NodeJS.Timeout | undefined;
    return Promise.race([work, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
  };

  const tryOnce = async (): Promise<void> => {
    let c = client;
    try {
      c ??= await connect();
      if (closed || client !== c) return;
      if (leader) {
        await within(c.query('SELECT 1'), timeoutMs);
        return;
      }
      const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
      if (rows[0]?.ok === true && !closed && client === c) set(true);
    } catch {
      if (c !== undefined) drop(c);
    }
  };

  const loop = (): void => {
    if (closed) return;
    attempt = tryOnce().finally(() => {
      attempt = undefined;
      if (closed) return;
      timer = setTimeout(loop, retryMs);
      timer.unref();
    });
  };
  loop();

  return {
    get isLeader() {
      return leader;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await attempt;
      const c = client;
      client = undefined;
      // Listeners hear the loss before the lock is released, so they stop before another node starts.
      set(false);
      listeners.clear();
      if (c !== undefined) {
        c.removeAllListeners();
        c.on('error', noop);
        await c.end().catch(noop);
      }
    },
  };
}
