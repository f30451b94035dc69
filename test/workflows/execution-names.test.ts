/**
 * A Standard execution started without a name gets a UUID in the version 7 layout
 * (`createTimeOrderedIdGenerator`, tested in test/core/time-ordered-ids.test.ts): a valid UUID
 * whose first 48 bits are the start time in ms, so names made later sort after earlier ones (the
 * store's (machine, name) index then grows at its end instead of on random pages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type StoredStateMachine } from '../../src/storage/index.ts';
import { createWorkflowEngine, TaskFailure } from '../../src/workflows/index.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (uuid: string): number => Number.parseInt(uuid.replace('-', '').slice(0, 12), 16);

test('the durable engine names an unnamed Standard execution with the start time; a given name is kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-exec-names-'));
  const db = openDatabase({ path: join(dir, 'switchboard.db') }, [workflowMigrations]);
  const clock = new VirtualClock();
  const fail = () => Promise.reject(new TaskFailure('States.TaskFailed', 'none'));
  const engine = createWorkflowEngine({ store: createSqliteWorkflowStore(db), clock, logger: silentLogger, ports: { putEvents: fail, invokeFunction: fail, startExecution: fail }, scope: () => ({ region: 'us-east-1', accountId: '000000000000' }) });
  t.after(async () => {
    await engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await engine.start();
  const machine: StoredStateMachine = { name: 'Named', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: 'arn:aws:iam::000000000000:role/test', type: 'STANDARD', createdAt: 0, updatedAt: 0, revision: 1 };
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const done = await engine.startSyncExecution(machine, { input: '{}' });
    names.push(done.name);
    clock.advance(5);
  }
  for (const n of names) assert.match(n, UUID_V7);
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  assert.deepEqual(names.map(timeOf), [start, start + 5, start + 10]);
  // Started in one millisecond: different names, in the order they were started.
  const same: string[] = [];
  for (let i = 0; i < 20; i++) same.push((await engine.startSyncExecution(machine, { input: '{}' })).name);
  assert.equal(new Set(same).size, 20);
  assert.deepEqual([...same].sort(), same);
  assert.ok(same.every((n) => timeOf(n) === start + 15), 'all carry the start time');
  assert.equal((await engine.startSyncExecution(machine, { name: 'my-order-42', input: '{}' })).name, 'my-order-42');
});
