/**
 * What the SQLite workflow writes know of the executions they created (`Known` in
 * src/storage/sqlite/workflow-writes.ts): a step updates the row by its seq, and the final step
 * skips the sweeps of timers and tasks when every one was removed by name. One test per rule that
 * keeps that knowledge on the safe side: whatever happened, a finished execution leaves no timer
 * and no task behind, and a step always lands on the execution's own row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, workflowMigrations } from '../../src/storage/index.ts';
import { workflowWrites, type WorkflowWrites } from '../../src/storage/sqlite/workflow-writes.ts';
import { createBatchCommit } from '../../src/storage/sqlite/write-batcher.ts';
import type { SqliteDb } from '../../src/storage/sqlite/database.ts';
import type { StoredTask, StoredTimer } from '../../src/storage/index.ts';
import { execution, firstStep, step } from './contract/workflow-store-contract.ts';

function setup() {
  const db = openDatabase({ path: ':memory:' }, [workflowMigrations]);
  const writes = workflowWrites(db);
  const batch = createBatchCommit(db, { rerunnable: true });
  /** Runs the jobs in one transaction, as the writer thread does. */
  const commit = (...jobs: (() => unknown)[]) => batch.run(jobs);
  return { db, writes, commit };
}

const rowsLeft = (db: SqliteDb) => ({
  timers: db.prepare('SELECT count(*) AS n FROM wf_timers').get() as { n: number },
  tasks: db.prepare('SELECT count(*) AS n FROM wf_tasks').get() as { n: number },
});
const none = { timers: { n: 0 }, tasks: { n: 0 } };

const timer = (arn: string, timerId: string): StoredTimer => ({ execution: arn, timerId, dueAt: 100 });
const task = (arn: string, taskId: string): StoredTask => ({ execution: arn, taskId, invocation: '{}' });

function start(writes: WorkflowWrites, name: string, extra: Parameters<typeof firstStep>[1] = {}) {
  const e = execution('m', name);
  assert.deepEqual(writes.createExecution(e, firstStep(e, extra))[0], 'created');
  return e;
}

test('a finished execution whose timers and tasks were all removed by name leaves none behind', () => {
  const { db, writes } = setup();
  const e = start(writes, 'a', { addTasks: [task(arnOf('a'), 'k1')], addTimers: [timer(arnOf('a'), 't1')] });
  assert.equal(writes.commitStep(step(e.arn, 2, { removeTimers: ['t1'] })), true);
  assert.equal(writes.commitStep(step(e.arn, 3, { status: 'SUCCEEDED', stoppedAt: 1, removeTasks: ['k1'] })), true);
  assert.deepEqual(rowsLeft(db), none);
});

test('a finished execution with timers or tasks not removed by name has them swept', () => {
  const { db, writes } = setup();
  const e = start(writes, 'a', { addTasks: [task(arnOf('a'), 'k1'), task(arnOf('a'), 'k2')], addTimers: [timer(arnOf('a'), 't1')] });
  assert.equal(writes.commitStep(step(e.arn, 2, { status: 'FAILED', stoppedAt: 1, removeTasks: ['k1'] })), true);
  assert.deepEqual(rowsLeft(db), none);
});

test('an execution these writes did not create (an earlier process made it) is swept when it finishes', () => {
  const { db, writes } = setup();
  const e = start(writes, 'a', { addTasks: [task(arnOf('a'), 'k1')], addTimers: [timer(arnOf('a'), 't1')] });
  const later = workflowWrites(db);
  assert.equal(later.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 1, removeTasks: ['k1'] })), true);
  assert.deepEqual(rowsLeft(db), none);
});

test('a step whose job threw and was rolled back makes the writes forget the execution: its rows are still swept', () => {
  const { db, writes, commit } = setup();
  const e = start(writes, 'a', { addTimers: [timer(arnOf('a'), 't1')] });
  // Removes t1, then fails on a task without invocation (NOT NULL): the whole job is rolled back.
  const [outcome, beside] = commit(
    () => writes.commitStep(step(e.arn, 2, { removeTimers: ['t1'], addTasks: [{ execution: e.arn, taskId: 'k', invocation: null as never }] })),
    () => 'another job of the batch',
  );
  assert.equal(outcome?.ok, false);
  assert.equal(beside?.ok, true);
  assert.deepEqual(rowsLeft(db), { timers: { n: 1 }, tasks: { n: 0 } }, 't1 is still there');
  const [done] = commit(() => writes.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 1 })));
  assert.deepEqual(done, { ok: true, value: true });
  assert.deepEqual(rowsLeft(db), none);
});

test('after a transaction rolled back as a whole, forget() makes every execution swept again', () => {
  const { db, writes } = setup();
  const e = start(writes, 'a', { addTimers: [timer(arnOf('a'), 't1')] });
  db.exec('BEGIN');
  assert.equal(writes.commitStep(step(e.arn, 2, { removeTimers: ['t1'] })), true);
  db.exec('ROLLBACK');
  writes.forget();
  assert.equal(writes.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 1 })), true);
  assert.deepEqual(rowsLeft(db), none);
});

test('a step with a stale event counter is refused, and the next one lands on the execution\'s row', () => {
  const { db, writes } = setup();
  const e = start(writes, 'a');
  const other = start(writes, 'b');
  assert.equal(writes.commitStep(step(e.arn, 7)), false, 'the counter is at 2');
  assert.equal(writes.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 1, output: '"a"' })), true);
  const rows = db.prepare('SELECT name, status, output, next_event_id AS next FROM wf_executions ORDER BY name').all();
  assert.deepEqual(rows, [{ name: 'a', status: 'SUCCEEDED', output: '"a"', next: 3 }, { name: 'b', status: 'RUNNING', output: null, next: 2 }]);
  void other;
});

test('an execution deleted by retention and started again under its name is written on its new row', () => {
  const { db, writes } = setup();
  const e = start(writes, 'a');
  assert.equal(writes.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 5 })), true);
  assert.equal(writes.deleteClosedExecutions(10_000, 100), 1, 'started at 1000, ended at 5');
  start(writes, 'a', { addTasks: [task(arnOf('a'), 'k1')] });
  assert.equal(writes.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 6, removeTasks: ['k1'] })), true);
  assert.deepEqual(db.prepare('SELECT seq, status, stopped_at AS stoppedAt FROM wf_executions').all(), [{ seq: 2, status: 'SUCCEEDED', stoppedAt: 6 }]);
  assert.deepEqual(rowsLeft(db), none);
});

test('past the number of executions the writes remember, the oldest are forgotten and still finish cleanly', () => {
  const { db, writes } = setup();
  const count = 8192 + 10;
  for (let i = 0; i < count; i++) start(writes, `e${i}`, { addTasks: [task(arnOf(`e${i}`), 'k')], addTimers: [timer(arnOf(`e${i}`), 't')] });
  for (let i = 0; i < count; i++) assert.equal(writes.commitStep(step(arnOf(`e${i}`), 2, { status: 'SUCCEEDED', stoppedAt: 1, removeTasks: ['k'] })), true);
  assert.deepEqual(rowsLeft(db), none);
});

function arnOf(name: string): string {
  return execution('m', name).arn;
}
