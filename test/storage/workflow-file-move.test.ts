/**
 * Workflows moved out of the shared database file (`src/storage/sqlite/workflow-file-move.ts`): a
 * data folder written by the release before, with its workflow tables at schema 3 in
 * `switchboard.db`, opens with every state machine, execution, history event, timer and task in
 * `workflows.db`, and the shared file without them. A crash between the copy and the drop copies
 * again without doubling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLogMigrations, openDatabase, openThreadedSqliteWorkflowStore, workflowMigrations, type MigrationSet } from '../../src/storage/index.ts';
import { execution, step } from './contract/workflow-store-contract.ts';

const MACHINE = { name: 'm', definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}', roleArn: 'r', type: 'STANDARD' as const, createdAt: 1, updatedAt: 1, revision: 1 };

/**
 * A shared file as the release before this one left it (workflow schema 3): one machine, one
 * waiting execution with 3 history events (a packed row of 2 and a row of 1), a timer and a task.
 */
async function oldDataFolder(dir: string): Promise<string> {
  const path = join(dir, 'switchboard.db');
  const upTo3: MigrationSet = { component: 'workflows', migrations: workflowMigrations.migrations.filter((m) => m.version <= 3) };
  const db = openDatabase({ path }, [eventLogMigrations, upTo3]);
  const arn = execution('m', 'waiting').arn;
  db.prepare('INSERT INTO wf_machines (name, definition, role_arn, type, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?)').run(MACHINE.name, MACHINE.definition, MACHINE.roleArn, MACHINE.type, 1, 1, 1);
  db.prepare("INSERT INTO wf_definitions (id, hash, definition) VALUES (1, 'h', ?)").run(execution('m', 'waiting').definition);
  db.prepare("INSERT INTO wf_executions (seq, arn, machine, name, status, state, definition_id, input, started_at, next_event_id) VALUES (1, ?, 'm', 'waiting', 'RUNNING', '{}', 1, '{}', 1000, 4)").run(arn);
  const history = db.prepare('INSERT INTO wf_history (key, first_id, events) VALUES (?, ?, ?)');
  // Schema 3 keys a row by exec * 2^20 + its last event id.
  history.run(2 ** 20 + 2, 1, '{"id":1}\n{"id":2}');
  history.run(2 ** 20 + 3, 3, '{"id":3}');
  db.prepare("INSERT INTO wf_timers (exec, timer_id, due_at) VALUES (1, 'wait-1', 5000)").run();
  db.prepare("INSERT INTO wf_tasks (exec, task_id, invocation, token) VALUES (1, 'task-1', '{}', 'tok')").run();
  db.close();
  return path;
}

const tables = (path: string): string[] => {
  const db = openDatabase({ path }, []);
  try {
    return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'wf_%'").all().map((r) => r.name);
  } finally {
    db.close();
  }
};

test('the workflow tables of an earlier release move from switchboard.db into workflows.db, and the executions carry on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-move-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sharedPath = await oldDataFolder(dir);
  const shared = openDatabase({ path: sharedPath }, [eventLogMigrations]);
  const store = openThreadedSqliteWorkflowStore({ path: join(dir, 'workflows.db'), moveFrom: shared });
  t.after(() => store.close());
  const arn = execution('m', 'waiting').arn;
  assert.deepEqual(await store.getStateMachine('m'), MACHINE);
  assert.equal((await store.getExecution(arn))?.nextEventId, 4);
  assert.deepEqual(await store.history(arn, { limit: 10 }), [{ firstId: 1, lastId: 2, text: '{"id":1}\n{"id":2}' }, { firstId: 3, lastId: 3, text: '{"id":3}' }]);
  assert.deepEqual(await store.dueTimers(10_000, 10), [{ execution: arn, timerId: 'wait-1', dueAt: 5000 }]);
  assert.equal((await store.taskByToken('tok'))?.taskId, 'task-1');
  // The shared file keeps its other components and no longer has the workflow ones.
  assert.equal(shared.prepare("SELECT count(*) AS n FROM schema_versions WHERE component = 'workflows'").pluck().get(), 0);
  assert.equal(shared.prepare("SELECT count(*) AS n FROM schema_versions WHERE component = 'eventlog'").pluck().get(), 1);
  shared.close();
  assert.deepEqual(tables(sharedPath), []);
  // It carries on in its new file: the next step commits after the moved ones.
  assert.equal(await store.commitStep(step(arn, 4, { status: 'SUCCEEDED', output: '{}', stoppedAt: 6000 })), true);
  assert.deepEqual((await store.history(arn, { limit: 10 })).map((h) => [h.firstId, h.lastId]), [[1, 2], [3, 3], [4, 4]]);
  assert.deepEqual(await store.pendingTasks(), []);
});

test('a crash after the copy and before the drop copies again on the next start, without doubling anything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-move-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sharedPath = await oldDataFolder(dir);
  // The same shared file twice: the second plays the one whose tables were not dropped yet.
  const copyPath = join(dir, 'switchboard-copy.db');
  copyFileSync(sharedPath, copyPath);
  const workflowsPath = join(dir, 'workflows.db');
  for (const path of [sharedPath, copyPath]) {
    const shared = openDatabase({ path }, []);
    await openThreadedSqliteWorkflowStore({ path: workflowsPath, moveFrom: shared }).close();
    shared.close();
  }
  const store = openThreadedSqliteWorkflowStore({ path: workflowsPath });
  t.after(() => store.close());
  const arn = execution('m', 'waiting').arn;
  assert.equal((await store.listExecutions({ machine: 'm', limit: 10 })).length, 1);
  assert.deepEqual((await store.history(arn, { limit: 10 })).map((h) => [h.firstId, h.lastId]), [[1, 2], [3, 3]]);
  assert.equal((await store.listStateMachines({ limit: 10 })).length, 1);
  assert.equal((await store.dueTimers(10_000, 10)).length, 1);
  assert.equal((await store.pendingTasks()).length, 1);
  assert.deepEqual(tables(copyPath), []);
});
