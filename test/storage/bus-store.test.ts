/**
 * The `BusStore` contract on the SQLite adapter: the default bus exists from the start, writes
 * check their preconditions inside their transaction (so concurrent calls cannot exceed a quota),
 * listings are in name order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, busMigrations, createSqliteBusStore, type StoredRule } from '../../src/storage/index.ts';

function store() {
  const db = openDatabase({ path: ':memory:' }, [busMigrations]);
  return { db, store: createSqliteBusStore(db) };
}

const rule = (bus: string, name: string): StoredRule => ({ bus, name, eventPattern: '{"source":["a"]}', state: 'ENABLED', createdAt: 1, updatedAt: 1 });

test('the default bus exists from the first open and cannot be deleted', async (t) => {
  const { db, store: s } = store();
  t.after(() => db.close());
  assert.equal((await s.getBus('default'))?.name, 'default');
  await s.deleteBus('default');
  assert.ok(await s.getBus('default'));
});

test('a rule is only created on a bus that exists', async (t) => {
  const { db, store: s } = store();
  t.after(() => db.close());
  assert.equal(await s.putRule(rule('nope', 'r'), 300), 'no-bus');
  assert.equal(await s.putRule(rule('default', 'r'), 300), 'created');
  assert.equal(await s.putRule({ ...rule('default', 'r'), createdAt: 99, state: 'DISABLED' }, 300), 'updated');
  const stored = await s.getRule('default', 'r');
  assert.equal(stored?.state, 'DISABLED');
  assert.equal(stored?.createdAt, 1, 'replacing keeps the creation time');
});

test('concurrent PutTargets cannot exceed the per-rule target quota', async (t) => {
  const { db, store: s } = store();
  t.after(() => db.close());
  await s.putRule(rule('default', 'r'), 300);
  const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((id) => s.putTargets('default', 'r', [{ id, config: '{}' }], 2)));
  assert.deepEqual(outcomes, ['ok', 'ok', 'limit', 'limit']);
  assert.deepEqual((await s.listTargets('default', 'r'))?.map((x) => x.id), ['a', 'b']);
});

test('a rule with targets is not deleted; without, it is; deleting a bus deletes its rules and targets', async (t) => {
  const { db, store: s } = store();
  t.after(() => db.close());
  assert.equal(await s.createBus({ name: 'b', createdAt: 1, updatedAt: 1 }, 100), 'created');
  assert.equal(await s.createBus({ name: 'b', createdAt: 1, updatedAt: 1 }, 100), 'exists');
  await s.putRule(rule('b', 'r'), 300);
  await s.putTargets('b', 'r', [{ id: 't', config: '{}' }], 5);
  assert.equal(await s.deleteRule('b', 'r'), 'has-targets');
  await s.deleteBus('b');
  assert.equal(await s.getBus('b'), undefined);
  await s.createBus({ name: 'b', createdAt: 2, updatedAt: 2 }, 100);
  assert.equal(await s.getRule('b', 'r'), undefined);
  assert.equal(await s.listTargets('b', 'r'), undefined);
  await s.putRule(rule('b', 'r'), 300);
  assert.deepEqual(await s.listTargets('b', 'r'), [], 'no target came back with the recreated rule');
  assert.equal(await s.deleteRule('b', 'r'), 'deleted');
  assert.equal(await s.deleteRule('b', 'r'), 'absent');
});

test('rules are listed in name order by prefix (no LIKE wildcards) and after a name', async (t) => {
  const { db, store: s } = store();
  t.after(() => db.close());
  for (const name of ['a_1', 'a_2', 'ab', 'b']) await s.putRule(rule('default', name), 300);
  assert.deepEqual((await s.listRules('default', { prefix: 'a_', limit: 10 })).map((r) => r.name), ['a_1', 'a_2']);
  assert.deepEqual((await s.listRules('default', { after: 'a_2', limit: 10 })).map((r) => r.name), ['ab', 'b']);
  assert.equal(await s.createBus({ name: 'x', createdAt: 1, updatedAt: 1 }, 1), 'limit', 'the bus quota counts the default bus');
});
