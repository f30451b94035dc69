/**
 * The PostgreSQL schema of every cluster store, as versioned migrations per component (`tables`,
 * `bus`, `workflows`, `push`), and the runner that applies them.
 *
 * The runner records each applied (component, version) in `switchboard_migrations` and runs in
 * ONE transaction holding `pg_advisory_xact_lock` on the schema's migration key: nodes that start
 * at the same moment queue on the lock, and each one after the first finds the versions recorded
 * and applies nothing, so every migration runs exactly once. DDL is transactional in PostgreSQL,
 * so a failing migration leaves the schema as it was.
 *
 * Text that is ordered or paginated by name (names, keys, sort keys) is `COLLATE "C"`: bytewise
 * order of the UTF-8 text, as SQLite's BINARY collation and DynamoDB order it.
 */
import { SwitchboardError } from '../../core/index.ts';
import type { PostgresHandle, Queryable } from './database.ts';

export interface PgMigration {
  /** 1, 2, 3... in order; never renumbered once released. */
  readonly version: number;
  readonly description: string;
  readonly up: (client: Queryable) => Promise<void>;
}

export interface PgMigrationSet {
  readonly component: string;
  readonly migrations: readonly PgMigration[];
}

const sql = (text: string) => async (client: Queryable): Promise<void> => void (await client.query(text));

export const pgTablesMigrations: PgMigrationSet = {
  component: 'tables',
  migrations: [
    {
      version: 1,
      description: 'table items keyed by table, partition key and sort key; change records waiting for the event log',
      up: sql(`
        CREATE TABLE table_items (
          tbl  TEXT COLLATE "C" NOT NULL,
          pk   TEXT COLLATE "C" NOT NULL,
          sk_n DOUBLE PRECISION,
          sk_t TEXT COLLATE "C" NOT NULL,
          item TEXT NOT NULL,
          PRIMARY KEY (tbl, pk, sk_t)
        );
        CREATE INDEX table_items_numeric ON table_items (tbl, pk, sk_n NULLS FIRST, sk_t);
        CREATE TABLE table_change_heads (
          stream TEXT COLLATE "C" PRIMARY KEY,
          head   BIGINT NOT NULL
        );
        CREATE TABLE table_changes (
          stream  TEXT COLLATE "C" NOT NULL,
          seq     BIGINT NOT NULL,
          id      TEXT   NOT NULL,
          time    BIGINT NOT NULL,
          payload TEXT   NOT NULL,
          meta    TEXT,
          PRIMARY KEY (stream, seq)
        );
      `),
    },
    {
      version: 2,
      description: 'the numeric sort-key index holds only items with a numeric sort key',
      // As in SQLite (schema 2 there): items of tables with a text sort key, or none, have no
      // sk_n; their entries in the full index cost a random index page per item write. Those
      // partitions are read through the primary key.
      up: sql(`
        DROP INDEX table_items_numeric;
        CREATE INDEX table_items_numeric ON table_items (tbl, pk, sk_n, sk_t) WHERE sk_n IS NOT NULL;
      `),
    },
  ],
};

export const pgBusMigrations: PgMigrationSet = {
  component: 'bus',
  migrations: [
    {
      version: 1,
      description: 'event buses, rules, targets, delivery state, archives, replays and schedules',
      async up(client) {
        await client.query(`
          CREATE TABLE bus_buses (
            name        TEXT COLLATE "C" PRIMARY KEY,
            description TEXT,
            created_at  BIGINT NOT NULL,
            updated_at  BIGINT NOT NULL
          );
          CREATE TABLE bus_rules (
            bus           TEXT COLLATE "C" NOT NULL,
            name          TEXT COLLATE "C" NOT NULL,
            event_pattern TEXT,
            schedule      TEXT,
            state         TEXT   NOT NULL,
            description   TEXT,
            role_arn      TEXT,
            created_at    BIGINT NOT NULL,
            updated_at    BIGINT NOT NULL,
            PRIMARY KEY (bus, name)
          );
          CREATE TABLE bus_targets (
            bus    TEXT COLLATE "C" NOT NULL,
            rule   TEXT COLLATE "C" NOT NULL,
            id     TEXT COLLATE "C" NOT NULL,
            format INTEGER NOT NULL,
            config TEXT    NOT NULL,
            PRIMARY KEY (bus, rule, id)
          );
          CREATE TABLE bus_cursors (
            bus         TEXT COLLATE "C" PRIMARY KEY,
            last_offset BIGINT NOT NULL
          );
          CREATE TABLE bus_deliveries (
            id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            bus         TEXT    NOT NULL,
            rule        TEXT    NOT NULL,
            target_id   TEXT    NOT NULL,
            target      TEXT    NOT NULL,
            event_id    TEXT    NOT NULL,
            event       TEXT    NOT NULL,
            event_time  BIGINT  NOT NULL,
            attempts    INTEGER NOT NULL,
            next_at     BIGINT  NOT NULL,
            claimed_by  TEXT,
            lease_until BIGINT
          );
          CREATE INDEX bus_deliveries_due ON bus_deliveries (next_at, id);
          CREATE TABLE bus_dead_letters (
            id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            bus            TEXT    NOT NULL,
            rule           TEXT    NOT NULL,
            target_id      TEXT    NOT NULL,
            target_arn     TEXT    NOT NULL,
            event_id       TEXT    NOT NULL,
            event          TEXT    NOT NULL,
            error_code     TEXT    NOT NULL,
            error_message  TEXT    NOT NULL,
            exhausted      TEXT,
            retry_attempts INTEGER NOT NULL,
            at             BIGINT  NOT NULL,
            target         TEXT,
            event_time     BIGINT
          );
          CREATE INDEX bus_dead_letters_by_bus ON bus_dead_letters (bus, id);
          CREATE TABLE bus_attempts (
            seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id  TEXT    NOT NULL,
            bus       TEXT    NOT NULL,
            rule      TEXT    NOT NULL,
            target_id TEXT    NOT NULL,
            attempt   INTEGER NOT NULL,
            at        BIGINT  NOT NULL,
            outcome   TEXT    NOT NULL,
            code      TEXT,
            message   TEXT
          );
          CREATE INDEX bus_attempts_by_event ON bus_attempts (event_id, seq);
          CREATE TABLE bus_archives (
            name           TEXT COLLATE "C" PRIMARY KEY,
            bus            TEXT COLLATE "C" NOT NULL,
            description    TEXT,
            event_pattern  TEXT,
            retention_days INTEGER NOT NULL,
            start_offset   BIGINT  NOT NULL,
            created_at     BIGINT  NOT NULL
          );
          CREATE TABLE bus_replays (
            name          TEXT COLLATE "C" PRIMARY KEY,
            archive       TEXT COLLATE "C" NOT NULL,
            description   TEXT,
            bus           TEXT   NOT NULL,
            filter_rules  TEXT,
            event_start   BIGINT NOT NULL,
            event_end     BIGINT NOT NULL,
            state         TEXT   NOT NULL,
            state_reason  TEXT,
            cursor        BIGINT NOT NULL,
            through       BIGINT NOT NULL,
            started_at    BIGINT NOT NULL,
            ended_at      BIGINT,
            last_replayed BIGINT
          );
          CREATE TABLE bus_schedules (
            bus        TEXT NOT NULL,
            rule       TEXT NOT NULL,
            expression TEXT NOT NULL,
            next_at    BIGINT,
            PRIMARY KEY (bus, rule)
          );
        `);
        // The default bus exists from the start, as in every AWS account.
        const now = Date.now();
        await client.query('INSERT INTO bus_buses (name, description, created_at, updated_at) VALUES ($1, NULL, $2, $2)', ['default', now]);
      },
    },
  ],
};

export const pgWorkflowMigrations: PgMigrationSet = {
  component: 'workflows',
  migrations: [
    {
      version: 1,
      description: 'state machines, executions, history, timers and pending tasks',
      up: sql(`
        CREATE TABLE wf_machines (
          name       TEXT COLLATE "C" PRIMARY KEY,
          definition TEXT    NOT NULL,
          role_arn   TEXT    NOT NULL,
          type       TEXT    NOT NULL,
          created_at BIGINT  NOT NULL,
          updated_at BIGINT  NOT NULL,
          revision   INTEGER NOT NULL
        );
        CREATE TABLE wf_definitions (
          hash       TEXT PRIMARY KEY,
          definition TEXT NOT NULL
        );
        CREATE TABLE wf_executions (
          seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          arn             TEXT    NOT NULL,
          machine         TEXT    NOT NULL,
          name            TEXT    NOT NULL,
          status          TEXT    NOT NULL,
          state           TEXT    NOT NULL,
          definition_hash TEXT    NOT NULL REFERENCES wf_definitions (hash),
          input           TEXT    NOT NULL,
          output          TEXT,
          error           TEXT,
          has_error       BOOLEAN NOT NULL DEFAULT FALSE,
          cause           TEXT,
          started_at      BIGINT  NOT NULL,
          stopped_at      BIGINT,
          next_event_id   INTEGER NOT NULL,
          redrive_count   INTEGER NOT NULL DEFAULT 0,
          UNIQUE (machine, name)
        );
        CREATE INDEX wf_executions_by_machine ON wf_executions (machine, seq);
        CREATE INDEX wf_executions_running ON wf_executions (status) WHERE status = 'RUNNING';
        CREATE TABLE wf_history (
          exec  BIGINT  NOT NULL,
          id    INTEGER NOT NULL,
          event TEXT    NOT NULL,
          PRIMARY KEY (exec, id)
        );
        CREATE TABLE wf_timers (
          exec        BIGINT NOT NULL,
          timer_id    TEXT   NOT NULL,
          due_at      BIGINT NOT NULL,
          claimed_by  TEXT,
          lease_until BIGINT,
          PRIMARY KEY (exec, timer_id)
        );
        CREATE INDEX wf_timers_by_due ON wf_timers (due_at);
        CREATE TABLE wf_tasks (
          exec       BIGINT NOT NULL,
          task_id    TEXT   NOT NULL,
          invocation TEXT   NOT NULL,
          token      TEXT,
          PRIMARY KEY (exec, task_id)
        );
        CREATE INDEX wf_tasks_by_token ON wf_tasks (token) WHERE token IS NOT NULL;
      `),
    },
    {
      version: 2,
      description: 'task ownership across nodes: the holder of each pending task, and each holder\'s liveness',
      up: sql(`
        ALTER TABLE wf_tasks ADD COLUMN claimed_by TEXT;
        CREATE INDEX wf_tasks_by_holder ON wf_tasks (claimed_by);
        CREATE TABLE wf_task_holders (
          holder      TEXT   PRIMARY KEY,
          alive_until BIGINT NOT NULL
        );
      `),
    },
    {
      version: 3,
      description: 'a history row holds the events first_id..id of one step, in the engine\'s compact encoding; rows before it hold one event each',
      up: sql('ALTER TABLE wf_history ADD COLUMN first_id INTEGER'),
    },
  ],
};

export const pgPushMigrations: PgMigrationSet = {
  component: 'push',
  migrations: [
    {
      version: 1,
      description: 'push subscriptions and the orders they follow',
      up: sql(`
        CREATE TABLE push_subscriptions (
          id         TEXT COLLATE "C" PRIMARY KEY,
          endpoint   TEXT   NOT NULL,
          p256dh     TEXT   NOT NULL,
          auth       TEXT   NOT NULL,
          vapid_key  TEXT   NOT NULL,
          user_id    TEXT,
          expires_at BIGINT,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL
        );
        CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id) WHERE user_id IS NOT NULL;
        CREATE TABLE push_order_links (
          order_id        TEXT COLLATE "C" NOT NULL,
          subscription_id TEXT COLLATE "C" NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
          created_at      BIGINT NOT NULL,
          PRIMARY KEY (order_id, subscription_id)
        );
        CREATE INDEX push_order_links_subscription ON push_order_links (subscription_id);
      `),
    },
  ],
};

/** Every component's migrations, the default of `openPostgres`. */
export function allPostgresMigrations(): readonly PgMigrationSet[] {
  return [pgTablesMigrations, pgBusMigrations, pgWorkflowMigrations, pgPushMigrations];
}

/** Brings the handle's schema up to date with `sets`, once across all nodes (see the file header). */
export async function migratePostgres(handle: PostgresHandle, sets: readonly PgMigrationSet[]): Promise<void> {
  await handle.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [handle.lockKey('switchboard-migrations')]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${handle.schema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS switchboard_migrations (
        component   TEXT    NOT NULL,
        version     INTEGER NOT NULL,
        description TEXT    NOT NULL,
        applied_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      )`);
    for (const set of sets) {
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM switchboard_migrations WHERE component = $1', [set.component]);
      const applied = rows[0]?.version ?? 0;
      const latest = set.migrations.reduce((max, m) => Math.max(max, m.version), 0);
      if (applied > latest) {
        throw new SwitchboardError(
          'SB_STORAGE_FAILED',
          `PostgreSQL component ${set.component} in schema ${handle.schema} is at schema version ${applied}, newer than this release knows (${latest}); upgrade Switchboard`,
        );
      }
      for (const m of [...set.migrations].sort((a, b) => a.version - b.version)) {
        if (m.version <= applied) continue;
        await m.up(client);
        await client.query('INSERT INTO switchboard_migrations (component, version, description) VALUES ($1, $2, $3)', [set.component, m.version, m.description]);
      }
    }
  });
}
