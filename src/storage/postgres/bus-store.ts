/**
 * `BusStore` on PostgreSQL: buses, rules and targets here; the delivery half in
 * `delivery-state.ts`, archives, replays and schedules in `replay-state.ts` (the same split as
 * the SQLite adapter).
 *
 * Concurrency contract (several nodes on one database): every write is one transaction whose
 * precondition is checked under a lock that every conflicting write takes too:
 * - creating a bus holds the schema's `buses` advisory lock (the bus count is the quota);
 * - a rule write holds its bus's row `FOR UPDATE` (the bus exists; the rule count is the quota),
 *   and deleting a bus locks that row and then its rules before it deletes anything;
 * - a target write or a rule deletion holds the rule's row `FOR UPDATE` (the rule exists; the
 *   target count is the quota; a rule with targets is not deleted).
 *
 * `configVersion`: every configuration write also sends `NOTIFY switchboard_bus_config` in its
 * transaction (delivered at commit); this node LISTENs on a dedicated connection
 * and bumps its in-memory version on every notification, so a dispatcher on any node recompiles
 * its rules shortly after another node changed them (and at once after its own writes). When the
 * listening connection drops, the version is bumped and the connection is re-made.
 *
 * What cluster mode must change in the CALLERS (done: the delivery service's `claims`, the
 * schedule service's and replay runner's `leadership`, and the dispatcher's drain now records
 * through `enqueuePlanned`; see docs/cluster.md "Duties across nodes"):
 * - `bus/delivery/delivery-service.ts` `start()` schedules every `pendingDeliveries()` job on
 *   every node: each node would run every pending job. Cluster mode must instead open this store
 *   with `owner: { node, leaseMs }` (so the jobs a node dispatches, pages, redrives or reschedules
 *   are its own until `nextAt + leaseMs`, and its in-memory retry timers stay valid) and poll
 *   `claimDueDeliveries(node, now, leaseMs, n)` periodically for the jobs of dead nodes, instead of
 *   reading `pendingDeliveries()` at start. `leaseMs` must exceed the longest target invocation.
 * - `bus/delivery/replay-runner.ts` runs every `activeReplays()` replay on every node: two nodes
 *   would advance one replay and record its pages twice. It needs one runner per replay (e.g. a
 *   session-level `pg_try_advisory_lock` per replay name, or an owner/lease column on
 *   `bus_replays` with a claim method).
 * - `bus/delivery/schedule-service.ts` fires every schedule on every node. The event id derived
 *   from (rule ARN, fire time) lets the event log drop the duplicate append (JetStream's
 *   duplicate window), but `setScheduleState` is last-writer-wins: it needs a compare-and-set on
 *   (expression, nextAt) or a single leader (advisory lock) for the schedule service.
 * - `configVersion` lags another node's write by the NOTIFY round trip (milliseconds): a
 *   dispatcher may match one more event with the old rules, as AWS's eventual consistency allows.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_BUS, type BusStore } from '../bus-store.ts';
import { busValues, ruleValues, TARGET_FORMAT, toBus, toRule, type BusRow, type RuleRow } from '../rows/bus-rows.ts';
import type { PostgresHandle, Queryable } from './database.ts';
import { createPostgresDeliveryState, type DeliveryClaims, type DeliveryOwner } from './delivery-state.ts';
import { createPostgresReplayState } from './replay-state.ts';

const CHANNEL = 'switchboard_bus_config';

/** The PostgreSQL bus store: the `BusStore` port plus the cluster's delivery-job claims. */
export type PostgresBusStore = BusStore & DeliveryClaims;

export interface PostgresBusStoreOptions {
  /** This node's claim on the delivery jobs it records (see `DeliveryOwner`); default none. */
  readonly owner?: DeliveryOwner;
}

export function createPostgresBusStore(handle: PostgresHandle, options: PostgresBusStoreOptions = {}): PostgresBusStore {
  const pool = handle.pool;
  const delivery = createPostgresDeliveryState(handle, options.owner);
  const replays = createPostgresReplayState(handle, options.owner);
  const config = listenForConfigChanges(handle);

  /** A configuration write: its transaction also notifies the other nodes. */
  const configWrite = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const result = await handle.transaction(async (client) => {
      const out = await work(client);
      await client.query('SELECT pg_notify($1, $2)', [CHANNEL, `${handle.schema} ${config.node}`]);
      return out;
    });
    config.bump();
    return result;
  };

  const lockRule = async (client: Queryable, bus: string, rule: string): Promise<boolean> =>
    (await client.query('SELECT 1 FROM bus_rules WHERE bus = $1 AND name = $2 FOR UPDATE', [bus, rule])).rowCount === 1;

  return {
    async getBus(name) {
      const { rows } = await pool.query<BusRow>('SELECT * FROM bus_buses WHERE name = $1', [name]);
      return rows[0] === undefined ? undefined : toBus(rows[0]);
    },
    async listBuses({ prefix = '', after = '', limit }) {
      const { rows } = await pool.query<BusRow>('SELECT * FROM bus_buses WHERE starts_with(name, $1) AND name > $2 ORDER BY name LIMIT $3', [prefix, after, limit]);
      return rows.map(toBus);
    },
    createBus(bus, maxBuses) {
      return configWrite(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [handle.lockKey('buses')]);
        if ((await client.query('SELECT 1 FROM bus_buses WHERE name = $1', [bus.name])).rowCount === 1) return 'exists';
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bus_buses');
        if ((rows[0]?.n ?? 0) >= maxBuses) return 'limit';
        await client.query('INSERT INTO bus_buses (name, description, created_at, updated_at) VALUES ($1, $2, $3, $4)', busValues(bus));
        return 'created';
      });
    },
    async deleteBus(name) {
      if (name === DEFAULT_BUS) return;
      await configWrite(async (client) => {
        await client.query('SELECT 1 FROM bus_buses WHERE name = $1 FOR UPDATE', [name]);
        await client.query('SELECT 1 FROM bus_rules WHERE bus = $1 ORDER BY name FOR UPDATE', [name]);
        await client.query('DELETE FROM bus_targets WHERE bus = $1', [name]);
        await client.query('DELETE FROM bus_rules WHERE bus = $1', [name]);
        await client.query('DELETE FROM bus_buses WHERE name = $1', [name]);
      });
    },

    async getRule(bus, name) {
      const { rows } = await pool.query<RuleRow>('SELECT * FROM bus_rules WHERE bus = $1 AND name = $2', [bus, name]);
      return rows[0] === undefined ? undefined : toRule(rows[0]);
    },
    async listRules(bus, { prefix = '', after = '', limit }) {
      const { rows } = await pool.query<RuleRow>('SELECT * FROM bus_rules WHERE bus = $1 AND starts_with(name, $2) AND name > $3 ORDER BY name LIMIT $4', [bus, prefix, after, limit]);
      return rows.map(toRule);
    },
    putRule(rule, maxRules) {
      return configWrite(async (client) => {
        if ((await client.query('SELECT 1 FROM bus_buses WHERE name = $1 FOR UPDATE', [rule.bus])).rowCount !== 1) return 'no-bus';
        const exists = (await client.query('SELECT 1 FROM bus_rules WHERE bus = $1 AND name = $2', [rule.bus, rule.name])).rowCount === 1;
        if (!exists) {
          const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bus_rules WHERE bus = $1', [rule.bus]);
          if ((rows[0]?.n ?? 0) >= maxRules) return 'limit';
        }
        await client.query(
          `INSERT INTO bus_rules (bus, name, event_pattern, schedule, state, description, role_arn, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (bus, name) DO UPDATE SET event_pattern = excluded.event_pattern, schedule = excluded.schedule,
             state = excluded.state, description = excluded.description, role_arn = excluded.role_arn, updated_at = excluded.updated_at`,
          ruleValues(rule),
        );
        return exists ? 'updated' : 'created';
      });
    },
    deleteRule(bus, name) {
      return configWrite(async (client) => {
        if (!(await lockRule(client, bus, name))) return 'absent';
        if ((await client.query('SELECT 1 FROM bus_targets WHERE bus = $1 AND rule = $2 LIMIT 1', [bus, name])).rowCount === 1) return 'has-targets';
        await client.query('DELETE FROM bus_rules WHERE bus = $1 AND name = $2', [bus, name]);
        return 'deleted';
      });
    },
    setRuleState(bus, name, state, now) {
      return configWrite(async (client) => (await client.query('UPDATE bus_rules SET state = $1, updated_at = $2 WHERE bus = $3 AND name = $4', [state, now, bus, name])).rowCount === 1);
    },

    async listTargets(bus, rule) {
      // One statement: the rule's existence and its targets from the same snapshot.
      const { rows } = await pool.query<{ id: string | null; config: string | null }>(
        'SELECT t.id, t.config FROM bus_rules r LEFT JOIN bus_targets t ON t.bus = r.bus AND t.rule = r.name WHERE r.bus = $1 AND r.name = $2 ORDER BY t.id',
        [bus, rule],
      );
      if (rows.length === 0) return undefined;
      return rows.filter((r): r is { id: string; config: string } => r.id !== null && r.config !== null).map((r) => ({ id: r.id, config: r.config }));
    },
    putTargets(bus, rule, targets, maxTargets) {
      return configWrite(async (client) => {
        if (!(await lockRule(client, bus, rule))) return 'no-rule';
        const ids = [...new Set(targets.map((t) => t.id))];
        const { rows } = await client.query<{ total: number; present: number }>(
          'SELECT count(*)::int AS total, count(*) FILTER (WHERE id = ANY($3::text[]))::int AS present FROM bus_targets WHERE bus = $1 AND rule = $2',
          [bus, rule, ids],
        );
        const total = rows[0]?.total ?? 0;
        const fresh = ids.length - (rows[0]?.present ?? 0);
        if (total + fresh > maxTargets) return 'limit';
        for (const t of targets) {
          await client.query(
            'INSERT INTO bus_targets (bus, rule, id, format, config) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (bus, rule, id) DO UPDATE SET format = excluded.format, config = excluded.config',
            [bus, rule, t.id, TARGET_FORMAT, t.config],
          );
        }
        return 'ok';
      });
    },
    removeTargets(bus, rule, ids) {
      return configWrite(async (client) => {
        if (!(await lockRule(client, bus, rule))) return false;
        await client.query('DELETE FROM bus_targets WHERE bus = $1 AND rule = $2 AND id = ANY($3::text[])', [bus, rule, [...ids]]);
        return true;
      });
    },

    ...delivery,
    ...replays,
    configVersion: () => config.version(),
  };
}

/** The node-local view of the shared configuration version (see the file header). */
function listenForConfigChanges(handle: PostgresHandle): { readonly node: string; version(): number; bump(): void } {
  // Notifications name the schema and the node that wrote: a node's own writes bump it at once.
  const node = randomUUID();
  let version = 0;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = (): void => {
    if (closed) return;
    const c = new pg.Client({ connectionString: handle.url });
    client = c;
    const lost = (): void => {
      c.removeAllListeners();
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      if (client === c) client = undefined;
      // Whatever changed while we were not listening: recompile.
      version++;
      if (!closed) {
        retry = setTimeout(connect, 1_000);
        retry.unref();
      }
    };
    c.on('error', lost);
    c.on('end', () => {
      if (!closed && client === c) lost();
    });
    c.on('notification', (message) => {
      const [schema, from] = (message.payload ?? '').split(' ');
      if (schema === handle.schema && from !== node) version++;
    });
    c.connect()
      .then(() => c.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        // Changes made before LISTEN took effect are not notified: recompile once now.
        version++;
      })
      .catch(() => {
        if (client === c) lost();
      });
  };
  connect();
  handle.onClose(async () => {
    closed = true;
    if (retry !== undefined) clearTimeout(retry);
    const c = client;
    client = undefined;
    if (c !== undefined) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  });
  return {
    node,
    version: () => version,
    bump: () => void version++,
  };
}
