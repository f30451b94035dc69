/**
 * The SQLite workflow store's schema 2 (everything keyed by the execution's seq, definitions
 * stored once) loads what schema 1 wrote: executions, history, timers and pending tasks come back
 * the same, and the executions carry on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type MigrationSet } from '../../src/storage/index.ts';

const ARN = (name: string): string => `arn:aws:states:us-east-1:000000000000:execution:Old:${name}`;
const DEFINITION = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } });

test('a database written by schema 1 loads under schema 2 and its executions carry on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-migration-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'switchboard.db');
  const v1: MigrationSet = { component: 'workflows', migrations: workflowMigrations.migrations.filter((m) => m.version === 1) };
  const old = openDatabase({ path }, [v1]);
  const insert = old.prepare(
    `INSERT INTO wf_executions (arn, machine, name, status, state, definition, input, output, error, has_error, cause, started_at, stopped_at, next_event_id, redrive_count)
     VALUES (?, 'Old', ?, ?, '{"s":1}', ?, '{"in":1}', ?, ?, ?, NULL, 1000, ?, ?, 0)`,
  );
  insert.run(ARN('waiting'), 'waiting', 'RUNNING', DEFINITION, null, null, 0, null, 3);
  insert.run(ARN('failed'), 'failed', 'FAILED', DEFINITION, null, null, 1, 2000, 4);
  insert.run(ARN('done'), 'done', 'SUCCEEDED', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', '{"ok":true}', null, 0, 3000, 5);
  const history = old.prepare('INSERT INTO wf_history (execution, id, event) VALUES (?, ?, ?)');
  for (const id of [1, 2]) history.run(ARN('waiting'), id, `{"id":${id}}`);
  for (const id of [1, 2, 3]) history.run(ARN('failed'), id, `{"id":${id}}`);
  old.prepare('INSERT INTO wf_timers (execution, timer_id, due_at) VALUES (?, ?, ?)').run(ARN('waiting'), 'wait-1', 6000);
  old.prepare('INSERT INTO wf_tasks (execution, task_id, invocation, token) VALUES (?, ?, ?, ?)').run(ARN('waiting'), 'task-2', '{"taskId":"task-2"}', 'tok-1');
  old.close();

  const db = openDatabase({ path }, [workflowMigrations]);
  t.after(() => db.close());
  assert.equal(db.prepare<[], { version: number }>("SELECT version FROM schema_versions WHERE component = 'workflows'").get()?.version, 2);
  assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM wf_definitions').get()?.n, 2, 'each distinct definition is stored once');
  const store = createSqliteWorkflowStore(db);

  const waiting = await store.getExecution(ARN('waiting'));
  assert.equal(waiting?.definition, DEFINITION);
  assert.equal(waiting?.status, 'RUNNING');
  assert.equal(waiting?.nextEventId, 3);
  assert.equal(waiting?.error, undefined);
  const failed = await store.getExecution(ARN('failed'));
  assert.equal(failed?.error, null, 'a stored null error stays null');
  assert.equal(failed?.stoppedAt, 2000);
  assert.equal((await store.getExecution(ARN('done')))?.output, '{"ok":true}');
  assert.equal(await store.getExecution('arn:aws:states:eu-west-1:000000000000:execution:Old:done'), undefined, 'an ARN of another region is another execution');
  assert.deepEqual(await store.history(ARN('failed'), { limit: 10 }), [1, 2, 3].map((id) => ({ id, event: `{"id":${id}}` })));
  assert.deepEqual(await store.history(ARN('failed'), { after: 3, limit: 10, reverse: true }), [2, 1].map((id) => ({ id, event: `{"id":${id}}` })));
  assert.deepEqual(await store.dueTimers(10_000, 10), [{ execution: ARN('waiting'), timerId: 'wait-1', dueAt: 6000 }]);
  assert.equal(await store.nextTimerAt(), 6000);
  assert.deepEqual(await store.pendingTasks(), [{ execution: ARN('waiting'), taskId: 'task-2', invocation: '{"taskId":"task-2"}', token: 'tok-1' }]);
  assert.equal((await store.taskByToken('tok-1'))?.taskId, 'task-2');
  assert.deepEqual((await store.listExecutions({ machine: 'Old', limit: 10 })).map((e) => e.name), ['done', 'failed', 'waiting']);
  assert.deepEqual((await store.listExecutions({ machine: 'Old', after: ARN('done'), limit: 10 })).map((e) => e.name), ['failed', 'waiting']);

  // The waiting execution carries on: its timer fires, the step commits once (compare-and-set).
  const step = {
    execution: ARN('waiting'), expectedEventId: 3, status: 'SUCCEEDED' as const, state: '{"s":2}', nextEventId: 5, output: '{}', stoppedAt: 7000,
    history: [{ id: 3, event: '{"id":3}' }, { id: 4, event: '{"id":4}' }], addTimers: [], removeTimers: ['wait-1'], addTasks: [], removeTasks: [],
  };
  assert.equal(await store.commitStep(step), true);
  assert.equal(await store.commitStep(step), false, 'the same step twice: the second finds the counter moved');
  assert.equal(await store.nextTimerAt(), undefined);
  assert.deepEqual(await store.pendingTasks(), [], 'a finished execution waits for nothing');
  assert.equal((await store.history(ARN('waiting'), { limit: 10 })).length, 4);

  // A new execution comes after the old ones and shares the stored definition.
  const commit = { execution: ARN('new'), expectedEventId: 1, status: 'RUNNING' as const, state: '{}', nextEventId: 2, history: [{ id: 1, event: '{"id":1}' }], addTimers: [], removeTimers: [], addTasks: [], removeTasks: [] };
  assert.equal(await store.createExecution({ arn: ARN('new'), machine: 'Old', name: 'new', status: 'RUNNING', state: '{}', definition: DEFINITION, input: '{}', startedAt: 8000, nextEventId: 2, redriveCount: 0 }, commit), 'created');
  assert.equal(await store.createExecution({ arn: ARN('new'), machine: 'Old', name: 'new', status: 'RUNNING', state: '{}', definition: DEFINITION, input: '{}', startedAt: 8000, nextEventId: 2, redriveCount: 0 }, commit), 'exists-same-input');
  assert.equal((await store.listExecutions({ machine: 'Old', limit: 1 }))[0]?.name, 'new');
  assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM wf_definitions').get()?.n, 2);
});
