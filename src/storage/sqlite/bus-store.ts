/**
 * `BusStore` on SQLite. Every write is one job of the database's shared write batcher, so its
 * precondition check (bus exists, rule exists, limits) and its write run in one transaction that
 * nothing interleaves, and its promise resolves only after the group commit.
 * Reads run directly: better-sqlite3 is synchronous and sees every committed write.
 */
import { DEFAULT_BUS, type BusStore } from '../bus-store.ts';
import { busValues, ruleValues, TARGET_FORMAT, toBus, toRule, type BusRow, type RuleRow } from '../rows/bus-rows.ts';
import type { MigrationSet, SqliteDb } from './database.ts';
import { writeBatcherFor } from './write-batcher.ts';
import { createSqliteDeliveryState, deliveryLogMigration } from './delivery-state.ts';
import { createSqliteReplayState, replayMigration } from './replay-state.ts';

export const busMigrations: MigrationSet = {
  component: 'bus',
  migrations: [
    {
      version: 1,
      description: 'event buses, rules and targets',
      up(db) {
        db.exec(`
          CREATE TABLE bus_buses (
            name        TEXT    PRIMARY KEY,
            description TEXT,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
          ) WITHOUT ROWID;
          CREATE TABLE bus_rules (
            bus           TEXT    NOT NULL,
            name          TEXT    NOT NULL,
            event_pattern TEXT,
            schedule      TEXT,
            state         TEXT    NOT NULL,
            description   TEXT,
            role_arn      TEXT,
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            PRIMARY KEY (bus, name)
          ) WITHOUT ROWID;
          CREATE TABLE bus_targets (
            bus    TEXT    NOT NULL,
            rule   TEXT    NOT NULL,
            id     TEXT    NOT NULL,
            format INTEGER NOT NULL,
            config TEXT    NOT NULL,
            PRIMARY KEY (bus, rule, id)
          ) WITHOUT ROWID;
        `);
        // The default bus exists from the start, as in every AWS account.
        const now = Date.now();
        db.prepare('INSERT INTO bus_buses (name, description, created_at, updated_at) VALUES (?, NULL, ?, ?)').run(DEFAULT_BUS, now, now);
      },
    },
    {
      version: 2,
      description: 'delivery cursors, pending deliveries and dead letters',
      up(db) {
        db.exec(`
          CREATE TABLE bus_cursors (
            bus         TEXT    PRIMARY KEY,
            last_offset INTEGER NOT NULL
          ) WITHOUT ROWID;
          CREATE TABLE bus_deliveries (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            bus        TEXT    NOT NULL,
            rule       TEXT    NOT NULL,
            target_id  TEXT    NOT NULL,
            target     TEXT    NOT NULL,
            event_id   TEXT    NOT NULL,
            event      TEXT    NOT NULL,
            event_time INTEGER NOT NULL,
            attempts   INTEGER NOT NULL,
            next_at    INTEGER NOT NULL
          );
          CREATE TABLE bus_dead_letters (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
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
            at             INTEGER NOT NULL
          );
          CREATE INDEX bus_dead_letters_by_bus ON bus_dead_letters (bus, id);
        `);
      },
    },
    deliveryLogMigration,
    replayMigration,
  ],
};

export function createSqliteBusStore(db: SqliteDb): BusStore {
  const batcher = writeBatcherFor(db);
  const delivery = createSqliteDeliveryState(db);
  const replays = createSqliteReplayState(db);
  // Prefix match without LIKE, whose `_` and `%` are wildcards and which ignores case.
  const getBus = db.prepare<[string], BusRow>('SELECT * FROM bus_buses WHERE name = ?');
  const listBuses = db.prepare<[string, string, string, number], BusRow>(
    'SELECT * FROM bus_buses WHERE substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?',
  );
  const countBuses = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM bus_buses');
  const insertBus = db.prepare('INSERT INTO bus_buses (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const deleteBus = db.prepare('DELETE FROM bus_buses WHERE name = ?');
  const deleteBusRules = db.prepare('DELETE FROM bus_rules WHERE bus = ?');
  const deleteBusTargets = db.prepare('DELETE FROM bus_targets WHERE bus = ?');

  const getRule = db.prepare<[string, string], RuleRow>('SELECT * FROM bus_rules WHERE bus = ? AND name = ?');
  const listRules = db.prepare<[string, string, string, string, number], RuleRow>(
    'SELECT * FROM bus_rules WHERE bus = ? AND substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?',
  );
  const countRules = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM bus_rules WHERE bus = ?');
  const upsertRule = db.prepare(
    `INSERT INTO bus_rules (bus, name, event_pattern, schedule, state, description, role_arn, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(bus, name) DO UPDATE SET event_pattern = excluded.event_pattern, schedule = excluded.schedule,
       state = excluded.state, description = excluded.description, role_arn = excluded.role_arn, updated_at = excluded.updated_at`,
  );
  const deleteRule = db.prepare('DELETE FROM bus_rules WHERE bus = ? AND name = ?');
  const setState = db.prepare('UPDATE bus_rules SET state = ?, updated_at = ? WHERE bus = ? AND name = ?');

  const listTargets = db.prepare<[string, string], { id: string; config: string }>('SELECT id, config FROM bus_targets WHERE bus = ? AND rule = ? ORDER BY id');
  const countTargets = db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM bus_targets WHERE bus = ? AND rule = ?');
  const hasTarget = db.prepare<[string, string, string], { id: string }>('SELECT id FROM bus_targets WHERE bus = ? AND rule = ? AND id = ?');
  const upsertTarget = db.prepare(
    'INSERT INTO bus_targets (bus, rule, id, format, config) VALUES (?, ?, ?, ?, ?) ON CONFLICT(bus, rule, id) DO UPDATE SET format = excluded.format, config = excluded.config',
  );
  const deleteTarget = db.prepare('DELETE FROM bus_targets WHERE bus = ? AND rule = ? AND id = ?');

  const ruleExists = (bus: string, name: string): boolean => getRule.get(bus, name) !== undefined;

  // Configuration writes bump this once committed; see `configVersion` in the port.
  let version = 0;
  const changed = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    version++;
    return result;
  };

  return {
    async getBus(name) {
      const row = getBus.get(name);
      return row === undefined ? undefined : toBus(row);
    },
    async listBuses({ prefix = '', after = '', limit }) {
      return listBuses.all(prefix, prefix, after, limit).map(toBus);
    },
    createBus(bus, maxBuses) {
      return changed(batcher.run(() => {
        if (getBus.get(bus.name) !== undefined) return 'exists';
        if ((countBuses.get()?.n ?? 0) >= maxBuses) return 'limit';
        insertBus.run(...busValues(bus));
        return 'created';
      }));
    },
    deleteBus(name) {
      if (name === DEFAULT_BUS) return Promise.resolve();
      return changed(
        batcher.run(() => {
          deleteBusTargets.run(name);
          deleteBusRules.run(name);
          deleteBus.run(name);
        }),
      );
    },

    async getRule(bus, name) {
      const row = getRule.get(bus, name);
      return row === undefined ? undefined : toRule(row);
    },
    async listRules(bus, { prefix = '', after = '', limit }) {
      return listRules.all(bus, prefix, prefix, after, limit).map(toRule);
    },
    putRule(rule, maxRules) {
      return changed(batcher.run(() => {
        if (getBus.get(rule.bus) === undefined) return 'no-bus';
        const exists = ruleExists(rule.bus, rule.name);
        if (!exists && (countRules.get(rule.bus)?.n ?? 0) >= maxRules) return 'limit';
        upsertRule.run(...ruleValues(rule));
        return exists ? 'updated' : 'created';
      }));
    },
    deleteRule(bus, name) {
      return changed(batcher.run(() => {
        if (!ruleExists(bus, name)) return 'absent';
        if ((countTargets.get(bus, name)?.n ?? 0) > 0) return 'has-targets';
        deleteRule.run(bus, name);
        return 'deleted';
      }));
    },
    setRuleState(bus, name, state, now) {
      return changed(batcher.run(() => setState.run(state, now, bus, name).changes > 0));
    },

    async listTargets(bus, rule) {
      if (!ruleExists(bus, rule)) return undefined;
      return listTargets.all(bus, rule);
    },
    putTargets(bus, rule, targets, maxTargets) {
      return changed(batcher.run(() => {
        if (!ruleExists(bus, rule)) return 'no-rule';
        const fresh = new Set(targets.filter((t) => hasTarget.get(bus, rule, t.id) === undefined).map((t) => t.id));
        if ((countTargets.get(bus, rule)?.n ?? 0) + fresh.size > maxTargets) return 'limit';
        for (const t of targets) upsertTarget.run(bus, rule, t.id, TARGET_FORMAT, t.config);
        return 'ok';
      }));
    },
    removeTargets(bus, rule, ids) {
      return changed(batcher.run(() => {
        if (!ruleExists(bus, rule)) return false;
        for (const id of ids) deleteTarget.run(bus, rule, id);
        return true;
      }));
    },

    ...delivery,
    ...replays,
    configVersion: () => version,
  };
}
