/**
 * The SQLite workflow store's current schema loads what older ones wrote: schema 1 (keyed by ARN,
 * one history row per event) and schema 2 (keyed by the execution's seq, a step's events packed
 * in one row of a WITHOUT ROWID table), and through it schemas 3, 4 and 5. Executions, history,
 * timers and pending tasks come back the same, and the executions carry on. The history texts of
 * those schemas are read by the engine's codec beside the compact ones written since schema 5.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type MigrationSet, type StepCommit, type WorkflowStore } from '../../src/storage/index.ts';
import { encodeHistory } from '../../src/workflows/engine/history-codec.ts';
import { pageOfBlocks } from '../../src/workflows/engine/history-page.ts';
import type { HistoryEvent } from '../../src/workflows/index.ts';

const ARN = (name: string): string => `arn:aws:states:us-east-1:000000000000:execution:Old:${name}`;
const LATEST = Math.max(...workflowMigrations.migrations.map((m) => m.version));
const DEFINITION = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } });

type Query = { after?: number; limit: number; reverse?: boolean };
/** A history page as GetExecutionHistory reads it: the store's blocks, decoded. */
const page = async (store: WorkflowStore, name: string, query: Query): Promise<HistoryEvent[]> => pageOfBlocks(await store.history(ARN(name), query), query);
/** A step's block as the engine writes it now (compact), of events `ids`. */
const block = (ids: number[]): NonNullable<StepCommit['history']> => ({
  firstId: ids[0] ?? 0,
  lastId: ids.at(-1) ?? 0,
  text: encodeHistory(ids.map((id) => ({ id, previousEventId: id - 1, timestamp: 1000 + id, type: 'PassStateEntered', details: { name: `s${id}` } }))),
});

test('a database written by schema 1 loads under the current schema and its executions carry on', async (t) => {
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
  assert.equal(db.prepare<[], { version: number }>("SELECT version FROM schema_versions WHERE component = 'workflows'").get()?.version, LATEST);
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
  assert.deepEqual(await page(store, 'failed', { limit: 10 }), [1, 2, 3].map((id) => ({ id })));
  assert.deepEqual(await page(store, 'failed', { after: 3, limit: 10, reverse: true }), [2, 1].map((id) => ({ id })));
  assert.deepEqual(await store.dueTimers(10_000, 10), [{ execution: ARN('waiting'), timerId: 'wait-1', dueAt: 6000 }]);
  assert.equal(await store.nextTimerAt(), 6000);
  assert.deepEqual(await store.pendingTasks(), [{ execution: ARN('waiting'), taskId: 'task-2', invocation: '{"taskId":"task-2"}', token: 'tok-1' }]);
  assert.equal((await store.taskByToken('tok-1'))?.taskId, 'task-2');
  assert.deepEqual((await store.listExecutions({ machine: 'Old', limit: 10 })).map((e) => e.name), ['done', 'failed', 'waiting']);
  assert.deepEqual((await store.listExecutions({ machine: 'Old', after: ARN('done'), limit: 10 })).map((e) => e.name), ['failed', 'waiting']);

  // The waiting execution carries on: its timer fires, the step commits once (compare-and-set).
  const step = {
    execution: ARN('waiting'), expectedEventId: 3, status: 'SUCCEEDED' as const, state: '{"s":2}', nextEventId: 5, output: '{}', stoppedAt: 7000,
    history: block([3, 4]), addTimers: [], removeTimers: ['wait-1'], addTasks: [], removeTasks: [],
  };
  assert.equal(await store.commitStep(step), true);
  assert.equal(await store.commitStep(step), false, 'the same step twice: the second finds the counter moved');
  assert.equal(await store.nextTimerAt(), undefined);
  assert.deepEqual(await store.pendingTasks(), [], 'a finished execution waits for nothing');
  assert.deepEqual((await page(store, 'waiting', { limit: 10 })).map((e) => [e.id, e.details?.['name'] ?? null]), [[1, null], [2, null], [3, 's3'], [4, 's4']], 'old events, then new ones');

  // A new execution comes after the old ones and shares the stored definition.
  const commit = { execution: ARN('new'), expectedEventId: 1, status: 'RUNNING' as const, state: '{}', nextEventId: 2, history: block([1]), addTimers: [], removeTimers: [], addTasks: [], removeTasks: [] };
  assert.equal(await store.createExecution({ arn: ARN('new'), machine: 'Old', name: 'new', status: 'RUNNING', state: '{}', definition: DEFINITION, input: '{}', startedAt: 8000, nextEventId: 2, redriveCount: 0 }, commit), 'created');
  assert.equal(await store.createExecution({ arn: ARN('new'), machine: 'Old', name: 'new', status: 'RUNNING', state: '{}', definition: DEFINITION, input: '{}', startedAt: 8000, nextEventId: 2, redriveCount: 0 }, commit), 'exists-same-input');
  assert.equal((await store.listExecutions({ machine: 'Old', limit: 1 }))[0]?.name, 'new');
  assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM wf_definitions').get()?.n, 2);
});

test('history written by schema 2 (packed rows, single rows, two executions) reads the same under the current schema', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-migration-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'switchboard.db');
  const upTo2: MigrationSet = { component: 'workflows', migrations: workflowMigrations.migrations.filter((m) => m.version <= 2) };
  const old = openDatabase({ path }, [upTo2]);
  old.prepare("INSERT INTO wf_definitions (id, hash, definition) VALUES (1, 'h', ?)").run(DEFINITION);
  const insert = old.prepare(
    `INSERT INTO wf_executions (seq, arn, machine, name, status, state, definition_id, input, started_at, next_event_id)
     VALUES (?, ?, 'Old', ?, 'RUNNING', '{}', 1, '{}', 1000, ?)`,
  );
  insert.run(1, ARN('one'), 'one', 7);
  insert.run(2, ARN('two'), 'two', 3);
  const history = old.prepare('INSERT INTO wf_history (exec, id, first_id, events) VALUES (?, ?, ?, ?)');
  // Execution 1: events 1-4 packed in one row, 5 alone, 6 alone (a text with a newline was stored alone).
  history.run(1, 4, 1, ['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}'].join('\n'));
  history.run(1, 5, 5, '{"id":5}');
  history.run(1, 6, 6, '{"id":6,\n"text":"a"}');
  history.run(2, 2, 1, '{"id":1}\n{"id":2}');
  old.close();

  const db = openDatabase({ path }, [workflowMigrations]);
  t.after(() => db.close());
  assert.equal(db.prepare<[], { version: number }>("SELECT version FROM schema_versions WHERE component = 'workflows'").get()?.version, LATEST);
  const store = createSqliteWorkflowStore(db);
  const ids = async (name: string, query: Query) => (await page(store, name, query)).map((e) => e.id);
  assert.deepEqual(await ids('one', { limit: 100 }), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(await page(store, 'one', { after: 5, limit: 1 }), [{ id: 6, text: 'a' }]);
  assert.deepEqual(await ids('one', { after: 2, limit: 3 }), [3, 4, 5], 'a page starting inside a packed row');
  assert.deepEqual(await ids('one', { after: 4, limit: 100, reverse: true }), [3, 2, 1]);
  assert.deepEqual(await ids('one', { limit: 2, reverse: true }), [6, 5]);
  assert.deepEqual(await ids('two', { limit: 100 }), [1, 2], "another execution's rows stay its own");
  // New steps append after the migrated rows.
  const step = { execution: ARN('two'), expectedEventId: 3, status: 'RUNNING' as const, state: '{}', nextEventId: 5, history: block([3, 4]), addTimers: [], removeTimers: [], addTasks: [], removeTasks: [] };
  assert.equal(await store.commitStep(step), true);
  assert.deepEqual(await ids('two', { limit: 100 }), [1, 2, 3, 4]);
  assert.deepEqual(await ids('one', { limit: 100 }), [1, 2, 3, 4, 5, 6]);
  // Schema 4: rows are appended in write order (the new step's row is last), whatever the execution.
  assert.deepEqual(db.prepare('SELECT exec, id FROM wf_history ORDER BY pos').all().at(-1), { exec: 2, id: 4 });
  const step1 = { ...step, execution: ARN('one'), expectedEventId: 7, nextEventId: 8, history: block([7]) };
  assert.equal(await store.commitStep(step1), true);
  assert.deepEqual(db.prepare('SELECT exec, id FROM wf_history ORDER BY pos').all().slice(-2), [{ exec: 2, id: 4 }, { exec: 1, id: 7 }]);
  assert.deepEqual(await ids('one', { after: 5, limit: 100 }), [6, 7]);
});
