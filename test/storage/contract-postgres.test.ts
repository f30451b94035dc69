/**
 * Every store contract (`test/storage/contract/`) against the PostgreSQL adapters, plus what only a
 * cluster has: two nodes (two handles, two pools) on one schema calling at once. Each test runs in
 * a fresh random schema (`sb_test_<random>`), dropped when it ends.
 *
 * Needs PostgreSQL at `SB_TEST_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/test);
 * when it is unreachable the suites are skipped with the reason (a failure when `CI=true`).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import pg from 'pg';
import { createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type ChangeSink, type ItemRef, type PgMigrationSet, type PostgresHandle, type StoredRule } from '../../src/storage/index.ts';
import { createPostgresBusStore, createPostgresPushStore, createPostgresTableStore, createPostgresWorkflowStore, openPostgres, pgBusMigrations, pgPushMigrations, pgTablesMigrations, pgWorkflowMigrations, allPostgresMigrations, readTableChanges, relayTableChanges } from '../../src/storage/cluster.ts';
import { requirePostgres } from '../support/services.ts';
import { describeBusReplayStoreContract } from './contract/bus-replay-store-contract.ts';
import { describeBusStoreContract, job } from './contract/bus-store-contract.ts';
import { describePushStoreContract } from './contract/push-store-contract.ts';
import { contractTest, describeTableStoreContract, type StoreFixture } from './contract/table-store-contract.ts';
import { arnOf, describeWorkflowStoreContract, execution, firstStep, step } from './contract/workflow-store-contract.ts';

const postgres = await requirePostgres();
const skip = postgres.skip;

/** Schemas made by this file; every one is dropped at the end even if a test failed midway. */
const schemas = new Set<string>();
const newSchema = (): string => {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  schemas.add(name);
  return name;
};

async function dropSchema(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgres.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    schemas.delete(name);
  } finally {
    await client.end();
  }
}

after(async () => {
  for (const name of [...schemas]) await dropSchema(name);
});

const open = (schema: string, sets: readonly PgMigrationSet[], poolSize = 6): Promise<PostgresHandle> => openPostgres({ url: postgres.url, schema, poolSize, migrations: sets });

/** A store on a fresh schema; `reopen` is a restart (a new pool on the same schema); `close` drops the schema. */
async function pgFixture<S>(sets: readonly PgMigrationSet[], create: (handle: PostgresHandle) => S): Promise<StoreFixture<S> & { handle(): PostgresHandle }> {
  const schema = newSchema();
  let handle = await open(schema, sets);
  return {
    store: create(handle),
    handle: () => handle,
    async reopen() {
      await handle.close();
      handle = await open(schema, sets);
      return create(handle);
    },
    async close() {
      await handle.close();
      await dropSchema(schema);
    },
  };
}

describeTableStoreContract(
  'postgres',
  async () => {
    const f = await pgFixture([pgTablesMigrations], (h) => createPostgresTableStore(h));
    // Without a change log the records stay in the outbox, where the write's transaction put them.
    return { ...f, readChanges: (stream: string) => readTableChanges(f.handle(), stream, 0, 10_000) };
  },
  { skip },
);
describeBusStoreContract('postgres', () => pgFixture([pgBusMigrations], createPostgresBusStore), { skip });
describeBusReplayStoreContract('postgres', () => pgFixture([pgBusMigrations], createPostgresBusStore), { skip });
describeWorkflowStoreContract('postgres', () => pgFixture([pgWorkflowMigrations], createPostgresWorkflowStore), { skip });
describePushStoreContract('postgres', () => pgFixture([pgPushMigrations], createPostgresPushStore), { skip });

/** Two nodes (two handles, two pools) on one fresh schema; answers them and a clean-up. */
async function twoNodes(sets: readonly PgMigrationSet[] = allPostgresMigrations()): Promise<{ a: PostgresHandle; b: PostgresHandle; close(): Promise<void> }> {
  const schema = newSchema();
  const [a, b] = await Promise.all([open(schema, sets), open(schema, sets)]);
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    },
  };
}

async function withNodes(run: (a: PostgresHandle, b: PostgresHandle) => Promise<void>, sets?: readonly PgMigrationSet[]): Promise<void> {
  const nodes = await twoNodes(sets);
  try {
    await run(nodes.a, nodes.b);
  } finally {
    await nodes.close();
  }
}

const rule = (name: string): StoredRule => ({ bus: 'default', name, eventPattern: '{"source":["a"]}', state: 'ENABLED', createdAt: 1, updatedAt: 1 });
const both = <T>(n: number, call: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => call(i)));

const test = contractTest(skip);
describe('PostgreSQL across nodes', () => {
  test('nodes migrating one schema at the same moment apply each migration exactly once', async () => {
    const schema = newSchema();
    const handles = await Promise.all(Array.from({ length: 4 }, () => open(schema, allPostgresMigrations(), 2)));
    try {
      const { rows } = await handles[0]!.pool.query<{ component: string; n: number }>('SELECT component, count(*)::int AS n FROM switchboard_migrations GROUP BY component ORDER BY component');
      const expected = allPostgresMigrations().map((s) => ({ component: s.component, n: s.migrations.length })).sort((x, y) => x.component.localeCompare(y.component));
      assert.deepEqual(rows, expected);
      const buses = await handles[1]!.pool.query('SELECT name FROM bus_buses');
      assert.equal(buses.rowCount, 1, 'the default bus was inserted once');
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await dropSchema(schema);
    }
  });

  test('a schema newer than this release is refused', async () => {
    const schema = newSchema();
    const h = await open(schema, [pgPushMigrations]);
    try {
      await h.pool.query("INSERT INTO switchboard_migrations (component, version, description) VALUES ('push', 99, 'from the future')");
      await assert.rejects(open(schema, [pgPushMigrations]), /newer than this release/);
    } finally {
      await h.close();
      await dropSchema(schema);
    }
  });

  test('50 concurrent PutRule calls from two nodes cannot exceed the rule quota', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      const outcomes = await both(50, (i) => (i % 2 === 0 ? sa : sb).putRule(rule(`r${i}`), 7));
      assert.equal(outcomes.filter((o) => o === 'created').length, 7);
      assert.equal(outcomes.filter((o) => o === 'limit').length, 43);
      assert.equal((await sb.listRules('default', { limit: 100 })).length, 7);
    }, [pgBusMigrations]));

  test('concurrent PutTargets and CreateEventBus from two nodes cannot exceed their quotas', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      await sa.putRule(rule('r'), 300);
      const targets = await both(20, (i) => (i % 2 === 0 ? sa : sb).putTargets('default', 'r', [{ id: `t${i}`, config: '{}' }], 5));
      assert.equal(targets.filter((o) => o === 'ok').length, 5);
      assert.equal((await sa.listTargets('default', 'r'))?.length, 5);
      const buses = await both(20, (i) => (i % 2 === 0 ? sa : sb).createBus({ name: `b${i}`, createdAt: 1, updatedAt: 1 }, 4));
      assert.equal(buses.filter((o) => o === 'created').length, 3);
    }, [pgBusMigrations]));

  test('a rule deleted on one node while another adds targets never keeps targets', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      for (let i = 0; i < 15; i++) {
        await sa.putRule(rule(`x${i}`), 300);
        const [deleted, put] = await Promise.all([sa.deleteRule('default', `x${i}`), sb.putTargets('default', `x${i}`, [{ id: 't', config: '{}' }], 5)]);
        assert.ok((deleted === 'deleted' && put === 'no-rule') || (deleted === 'has-targets' && put === 'ok'), `${deleted} / ${put}`);
      }
      const { rows } = await a.pool.query('SELECT t.rule FROM bus_targets t LEFT JOIN bus_rules r ON r.bus = t.bus AND r.name = t.rule WHERE r.name IS NULL');
      assert.deepEqual(rows, [], 'no target without its rule');
    }, [pgBusMigrations]));

  test('a bus deleted on one node while another puts rules on it leaves no orphan rule', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      for (let i = 0; i < 10; i++) {
        await sa.createBus({ name: 'doomed', createdAt: 1, updatedAt: 1 }, 100);
        await Promise.all([sa.deleteBus('doomed'), sb.putRule({ ...rule(`r${i}`), bus: 'doomed' }, 300)]);
        const { rows } = await a.pool.query('SELECT r.name FROM bus_rules r LEFT JOIN bus_buses b ON b.name = r.bus WHERE b.name IS NULL');
        assert.deepEqual(rows, []);
      }
    }, [pgBusMigrations]));

  test('a configuration change on one node moves configVersion on the other', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      // Wait until b listens (its LISTEN bumps the version once).
      await until(() => sb.configVersion() > 0);
      const before = sb.configVersion();
      await sa.putRule(rule('seen-elsewhere'), 300);
      await until(() => sb.configVersion() > before);
    }, [pgBusMigrations]));

  test('planned enqueues of one bus from two nodes record each event once', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      await both(30, (i) =>
        (i % 2 === 0 ? sa : sb).enqueuePlanned('default', (cursor) => ({ through: cursor + 1, jobs: [job(`event-${cursor + 1}`)] })),
      );
      assert.equal(await sa.getCursor('default'), 30);
      const ids = (await sb.pendingDeliveries()).map((j) => j.eventId);
      assert.equal(ids.length, 30);
      assert.equal(new Set(ids).size, 30);
    }, [pgBusMigrations]));

  test('concurrent delivery-job claims from two nodes never hand out the same job twice', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      await sa.enqueueDeliveries('default', 1, Array.from({ length: 60 }, (_, i) => job(`e${i}`, { nextAt: 100 + i })));
      await sa.enqueueDeliveries('default', 2, [job('later', { nextAt: 10_000 })]);
      const claims = await both(12, (i) => (i % 2 === 0 ? sa : sb).claimDueDeliveries(i % 2 === 0 ? 'node-a' : 'node-b', 1_000, 30_000, 7));
      const claimed = claims.flat().map((j) => j.eventId);
      assert.equal(claimed.length, 60, 'every due job is claimed');
      assert.equal(new Set(claimed).size, 60, 'no job twice');
      assert.ok(!claimed.includes('later'), 'a job not yet due is not claimed');
      assert.deepEqual(await sb.claimDueDeliveries('node-b', 1_000, 30_000, 100), [], 'a live claim is not claimed again');
      const [first] = claims[0]!;
      assert.ok(first);
      await sa.recordAttempt(first.id, 1, 2_000);
      assert.deepEqual((await sb.claimDueDeliveries('node-b', 2_000, 30_000, 100)).map((j) => j.id), [first.id], 'a rescheduled job is claimable when due again');
      const expired = await sa.claimDueDeliveries('node-a', 40_000, 30_000, 100);
      assert.equal(expired.length, 61, 'an expired lease (a dead node) is claimable again; the later job is due now');
    }, [pgBusMigrations]));

  test('jobs a node records are its own until their lease runs out, then any node claims them', () =>
    withNodes(async (a, b) => {
      const sa = createPostgresBusStore(a, { owner: { node: 'node-a', leaseMs: 1_000 } });
      const sb = createPostgresBusStore(b);
      const jobs = await sa.enqueuePlanned('default', () => ({ through: 1, jobs: [job('x', { nextAt: 100 }), job('y', { nextAt: 100 })] }));
      assert.deepEqual(await sb.claimDueDeliveries('node-b', 500, 1_000, 10), [], 'node a holds what it dispatched');
      await sa.recordAttempt(jobs![0]!.id, 1, 5_000);
      assert.deepEqual((await sb.claimDueDeliveries('node-b', 1_200, 60_000, 10)).map((j) => j.eventId), ['y'], 'a job of a dead node is taken over');
      assert.deepEqual(await sb.claimDueDeliveries('node-b', 5_500, 1_000, 10), [], 'a retry rescheduled by its node stays its own');
      assert.deepEqual((await sb.claimDueDeliveries('node-b', 6_100, 1_000, 10)).map((j) => j.eventId), ['x']);
    }, [pgBusMigrations]));

  test('concurrent redrives of one dead letter from two nodes make one job', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      const [j] = await sa.enqueueDeliveries('default', 1, [job('e')]);
      await sa.deadLetter(j!.id, { bus: 'default', rule: 'r', targetId: 't1', targetArn: 'arn', eventId: 'e', event: '{}', errorCode: 'X', errorMessage: 'x', retryAttempts: 1, at: 1, target: '{}' });
      const [letter] = await sa.listDeadLetters('default');
      const results = await both(6, (i) => (i % 2 === 0 ? sa : sb).redriveDeadLetters([letter!.id], 5));
      assert.equal(results.reduce((n, r) => n + r.jobs.length, 0), 1);
    }, [pgBusMigrations]));

  test('concurrent StartReplay calls from two nodes cannot exceed the active-replay quota', () =>
    withNodes(async (a, b) => {
      const [sa, sb] = [createPostgresBusStore(a), createPostgresBusStore(b)];
      await sa.createArchive({ name: 'arch', bus: 'default', retentionDays: 0, startOffset: 0, createdAt: 1 });
      const outcomes = await both(16, (i) =>
        (i % 2 === 0 ? sa : sb).createReplay({ name: `r${i}`, archive: 'arch', bus: 'default', eventStartTime: 0, eventEndTime: 1, state: 'STARTING', cursor: 0, throughOffset: 1, startedAt: i }, 2),
      );
      assert.equal(outcomes.filter((o) => o === 'created').length, 2);
    }, [pgBusMigrations]));

  test('concurrent step commits from two nodes with the same expected counter: exactly one wins', () =>
    withNodes(async (a, b) => {
      const [wa, wb] = [createPostgresWorkflowStore(a), createPostgresWorkflowStore(b)];
      for (let round = 0; round < 5; round++) {
        const e = execution('m', `race-${round}`);
        await wa.createExecution(e, firstStep(e));
        const outcomes = await both(10, (i) => (i % 2 === 0 ? wa : wb).commitStep(step(e.arn, 2, { state: `{"by":${i}}`, addTimers: [{ execution: e.arn, timerId: `t${i}`, dueAt: 5 }] })));
        assert.equal(outcomes.filter(Boolean).length, 1);
        const winner = outcomes.indexOf(true);
        assert.equal((await wb.getExecution(e.arn))?.state, `{"by":${winner}}`);
        assert.deepEqual((await wa.history(e.arn, { limit: 10 })).map((h) => [h.firstId, h.lastId]), [[1, 1], [2, 2]]);
        assert.deepEqual((await wb.dueTimers(5, 100)).filter((t) => t.execution === e.arn).map((t) => t.timerId), [`t${winner}`], 'only the winner\'s timers exist');
      }
    }, [pgWorkflowMigrations]));

  test('history rows written before workflow schema 3 (one event each, no first_id) read as one-event blocks beside the new ones', () =>
    withNodes(async (a) => {
      const store = createPostgresWorkflowStore(a);
      const e = execution('m', 'old-rows');
      await store.createExecution(e, firstStep(e));
      const { rows } = await a.pool.query<{ seq: string }>('SELECT seq FROM wf_executions WHERE name = $1', ['old-rows']);
      for (const id of [2, 3]) await a.pool.query('INSERT INTO wf_history (exec, id, event) VALUES ($1, $2, $3)', [rows[0]?.seq, id, `{"id":${id}}`]);
      assert.deepEqual(await store.history(e.arn, { limit: 10 }), [{ firstId: 1, lastId: 1, text: 'started' }, { firstId: 2, lastId: 2, text: '{"id":2}' }, { firstId: 3, lastId: 3, text: '{"id":3}' }]);
      assert.deepEqual((await store.history(e.arn, { reverse: true, after: 3, limit: 10 })).map((h) => h.firstId), [2, 1]);
    }, [pgWorkflowMigrations]));

  test('concurrent starts of one execution from two nodes create it once', () =>
    withNodes(async (a, b) => {
      const [wa, wb] = [createPostgresWorkflowStore(a), createPostgresWorkflowStore(b)];
      const e = execution('m', 'once');
      const outcomes = await both(10, (i) => (i % 2 === 0 ? wa : wb).createExecution(e, firstStep(e)));
      assert.equal(outcomes.filter((o) => o === 'created').length, 1);
      assert.equal(outcomes.filter((o) => o === 'exists-same-input').length, 9);
    }, [pgWorkflowMigrations]));

  test('concurrent timer claims from two nodes never hand out the same timer twice', () =>
    withNodes(async (a, b) => {
      const [wa, wb] = [createPostgresWorkflowStore(a), createPostgresWorkflowStore(b)];
      for (let i = 0; i < 40; i++) {
        const e = execution('m', `w${i}`);
        await wa.createExecution(e, firstStep(e, { addTimers: [{ execution: e.arn, timerId: 'wait', dueAt: 100 + i }] }));
      }
      const claims = await both(10, (i) => (i % 2 === 0 ? wa : wb).claimDueTimers(i % 2 === 0 ? 'node-a' : 'node-b', 1_000, 60_000, 6));
      const claimed = claims.flat().map((t) => t.execution);
      assert.equal(claimed.length, 40);
      assert.equal(new Set(claimed).size, 40);
      assert.deepEqual(await wb.claimDueTimers('node-b', 1_000, 60_000, 100), [], 'claimed timers are not claimed again while the lease lasts');
      // The winner consumes its timer in its step; a lease that runs out (a dead node) frees the others.
      const e0 = arnOf('m', 'w0');
      assert.equal(await wa.commitStep(step(e0, 2, { removeTimers: ['wait'] })), true);
      const again = await wb.claimDueTimers('node-b', 70_000, 60_000, 100);
      assert.equal(again.length, 39);
      assert.ok(!again.some((t) => t.execution === e0));
    }, [pgWorkflowMigrations]));

  test('read-modify-writes of one item from two nodes never lose an update', () =>
    withNodes(async (a, b) => {
      const [ta, tb] = [createPostgresTableStore(a), createPostgresTableStore(b)];
      const r: ItemRef = { table: 't', pk: 'counter', sk: null };
      await both(30, (i) => (i % 2 === 0 ? ta : tb).atomically([r], ([cur]) => ({ writes: [String(Number(cur ?? '0') + 1)], result: undefined })));
      assert.equal(await ta.get(r), '30');
      const winners = await both(10, (i) => (i % 2 === 0 ? ta : tb).atomically([{ table: 't', pk: 'once', sk: { text: 'x' } }], ([cur]) => (cur === undefined ? { writes: ['"mine"'], result: true } : { writes: [undefined], result: false })));
      assert.equal(winners.filter(Boolean).length, 1, 'a conditional put of an absent item wins once');
    }, [pgTablesMigrations]));

  test('change records written from two nodes get distinct, gapless offsets per stream', () =>
    withNodes(async (a, b) => {
      const sink = (stream: string): ChangeSink => ({ stream, record: (change, offset) => ({ id: `${change.ref.pk}-${offset}`, time: offset, payload: JSON.stringify(change.after ?? null) }) });
      const [ta, tb] = [createPostgresTableStore(a).withChanges({ orders: sink('bus:default') }), createPostgresTableStore(b).withChanges({ orders: sink('bus:default') })];
      await both(30, (i) => (i % 2 === 0 ? ta : tb).atomically([{ table: 'orders', pk: `o${i % 5}`, sk: null }], ([cur]) => ({ writes: [String(Number(cur ?? '0') + 1)], result: undefined })));
      const records = await readTableChanges(a, 'bus:default', 0, 100);
      assert.deepEqual(records.map((r) => r.offset), Array.from({ length: 30 }, (_, i) => i + 1));
    }, [pgTablesMigrations]));

  test('change records are relayed to the event log in order, once, and leave the outbox', () =>
    withNodes(async (a, b) => {
      const logDb = openDatabase({ path: ':memory:' }, [eventLogMigrations]);
      try {
        const log = createSqliteEventLog(logDb);
        const sink: ChangeSink = { stream: 'bus:default', record: (change, offset) => ({ id: `rec-${offset}`, time: offset, payload: JSON.stringify(change.after ?? null) }) };
        const ta = createPostgresTableStore(a).withChanges({ orders: sink });
        for (let i = 0; i < 25; i++) await ta.atomically([{ table: 'orders', pk: `o${i}`, sk: null }], () => ({ writes: [`"v${i}"`], result: undefined }));
        const relayed = await both(6, (i) => relayTableChanges(i % 2 === 0 ? a : b, log, 10));
        let total = relayed.reduce((n, x) => n + x, 0);
        while (total < 25) total += await relayTableChanges(b, log, 10);
        assert.equal(total, 25);
        assert.deepEqual((await log.read('bus:default', 0, 100)).map((r) => r.id), Array.from({ length: 25 }, (_, i) => `rec-${i + 1}`));
        assert.deepEqual(await readTableChanges(a, 'bus:default', 0, 100), []);
        assert.equal(await relayTableChanges(a, log), 0);
      } finally {
        await writeBatcherFor(logDb).drain();
        logDb.close();
      }
    }, [pgTablesMigrations]));

  test('with a change log, a write relays its records before its sinks hear of the commit', () =>
    withNodes(async (a) => {
      const logDb = openDatabase({ path: ':memory:' }, [eventLogMigrations]);
      try {
        const log = createSqliteEventLog(logDb);
        let headAtCommit = -1;
        const sink: ChangeSink = {
          stream: 'bus:orders',
          record: (_change, offset) => ({ id: `r${offset}`, time: 1, payload: '{}' }),
          onCommit: () => void log.head('bus:orders').then((h) => (headAtCommit = h)),
        };
        const store = createPostgresTableStore(a, { changeLog: log }).withChanges({ orders: sink });
        await store.atomically([{ table: 'orders', pk: 'x', sk: null }], () => ({ writes: ['"x"'], result: undefined }));
        await until(() => headAtCommit >= 0);
        assert.equal(headAtCommit, 1);
      } finally {
        await writeBatcherFor(logDb).drain();
        logDb.close();
      }
    }, [pgTablesMigrations]));

  test('a link racing a replacement of its subscription on another node is moved or refused, never orphaned', () =>
    withNodes(async (a, b) => {
      const [pa, pb] = [createPostgresPushStore(a), createPostgresPushStore(b)];
      const sub = (id: string) => ({ id, endpoint: `https://push/${id}`, p256dh: 'p', auth: 'a', vapidKey: 'k', createdAt: 1, updatedAt: 1 });
      for (let i = 0; i < 10; i++) {
        await pa.putSubscription(sub(`old${i}`));
        const [, linked] = await Promise.all([pa.putSubscription(sub(`new${i}`), `old${i}`), pb.linkOrder(`o${i}`, `old${i}`, 5)]);
        const orders = await pb.ordersOf(`new${i}`);
        assert.deepEqual(orders, linked === 'linked' ? [`o${i}`] : [], `link outcome ${linked}`);
      }
    }, [pgPushMigrations]));
});

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
