/**
 * The SQLite workflow store's writes, as synchronous functions that run inside a transaction their
 * caller opens and commits: the write batcher's on the shared database (`workflow-store.ts`), or
 * the writer thread's on the workflow database (`workflow-writer-thread.ts`). A step's state,
 * history, timers and tasks are written after the compare on `next_event_id`. An execution's
 * history rows are appended in write order (schema 4, `workflow-migrations.ts`).
 *
 * Concurrency contract: one caller at a time, on the connection's own thread.
 * `rememberDefinition` is called once the transaction that stored the definition has committed,
 * never before: a rolled-back row must not stay in the cache.
 */
import type { CreateExecutionOutcome, StepCommit, StoredExecution, StoredStateMachine } from '../workflow-store.ts';
import { executionKey, machineValues, pickClosedBefore, RETENTION_SCAN_PAGE, type MachineRow, type RetentionScanRow } from '../rows/workflow-rows.ts';
import type { SqliteDb } from './database.ts';
import { definitionHash } from './workflow-migrations.ts';

const DEFINITION_CACHE = 256;

/** The definition row a `createExecution` stored, to remember once committed. */
export type AddedDefinition = readonly [definition: string, id: number];

export interface WorkflowWrites {
  createStateMachine(machine: StoredStateMachine): 'created' | 'exists';
  updateStateMachine(name: string, change: { readonly definition?: string; readonly roleArn?: string }, now: number): boolean;
  deleteStateMachine(name: string): boolean;
  createExecution(execution: StoredExecution, commit: StepCommit): readonly [CreateExecutionOutcome, AddedDefinition | undefined];
  rememberDefinition(added: AddedDefinition): void;
  commitStep(commit: StepCommit): boolean;
  deleteClosedExecutions(before: number, limit: number): number;
}

export function workflowWrites(db: SqliteDb): WorkflowWrites {
  const getMachine = db.prepare<[string], MachineRow>('SELECT * FROM wf_machines WHERE name = ?');
  const insertMachine = db.prepare('INSERT INTO wf_machines (name, definition, role_arn, type, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updateMachine = db.prepare('UPDATE wf_machines SET definition = ?, role_arn = ?, updated_at = ?, revision = revision + 1 WHERE name = ?');
  const deleteMachine = db.prepare('DELETE FROM wf_machines WHERE name = ?');
  const insertDefinition = db.prepare('INSERT INTO wf_definitions (hash, definition) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING');
  const definitionByHash = db.prepare<[string], { id: number; definition: string }>('SELECT id, definition FROM wf_definitions WHERE hash = ?');
  const existing = db.prepare<[string, string], { input: string; status: string }>('SELECT input, status FROM wf_executions WHERE machine = ? AND name = ?');
  // The (machine, name) key decides whether the execution exists: no read before the insert.
  const insertExecution = db.prepare(
    `INSERT INTO wf_executions (arn, machine, name, status, state, definition_id, input, output, error, has_error, cause, started_at, stopped_at, next_event_id, redrive_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (machine, name) DO NOTHING`,
  );
  const updateExecution = db.prepare<unknown[], { seq: number }>(
    `UPDATE wf_executions SET status = ?, state = ?, output = ?, error = ?, has_error = ?, cause = ?, stopped_at = ?, next_event_id = ?,
       redrive_count = coalesce(?, redrive_count)
     WHERE machine = ? AND name = ? AND arn = ? AND next_event_id = ? RETURNING seq`,
  );
  // A history row holds the events first_id..id of one step.
  const insertHistory = db.prepare('INSERT INTO wf_history (exec, id, first_id, events) VALUES (?, ?, ?, ?)');
  const insertTimer = db.prepare('INSERT OR REPLACE INTO wf_timers (exec, timer_id, due_at) VALUES (?, ?, ?)');
  const deleteTimer = db.prepare('DELETE FROM wf_timers WHERE exec = ? AND timer_id = ?');
  const deleteTimers = db.prepare('DELETE FROM wf_timers WHERE exec = ?');
  const insertTask = db.prepare('INSERT OR REPLACE INTO wf_tasks (exec, task_id, invocation, token) VALUES (?, ?, ?, ?)');
  const deleteTask = db.prepare('DELETE FROM wf_tasks WHERE exec = ? AND task_id = ?');
  const deleteTasks = db.prepare('DELETE FROM wf_tasks WHERE exec = ?');
  const retentionPage = db.prepare<[number, number], RetentionScanRow>('SELECT seq, status, started_at, stopped_at FROM wf_executions WHERE seq > ? ORDER BY seq LIMIT ?');
  const deleteHistory = db.prepare('DELETE FROM wf_history WHERE exec = ?');
  const deleteExecution = db.prepare('DELETE FROM wf_executions WHERE seq = ?');

  /** Definition text → its row id, for rows known to be committed. */
  const definitionIds = new Map<string, number>();
  const definitionId = (definition: string): number => {
    const hash = definitionHash(definition);
    insertDefinition.run(hash, definition);
    const row = definitionByHash.get(hash);
    if (row === undefined || row.definition !== definition) throw new Error('workflow definition hash collision');
    return row.id;
  };

  /** The step's history, timers and tasks. */
  const applyEffects = (seq: number, c: StepCommit): void => {
    if (c.history !== undefined) insertHistory.run(seq, c.history.lastId, c.history.firstId, c.history.text);
    for (const id of c.removeTimers) deleteTimer.run(seq, id);
    for (const id of c.removeTasks) deleteTask.run(seq, id);
    if (c.status !== 'RUNNING') {
      // A finished execution waits for nothing.
      deleteTimers.run(seq);
      deleteTasks.run(seq);
      return;
    }
    for (const t of c.addTimers) insertTimer.run(seq, t.timerId, t.dueAt);
    for (const t of c.addTasks) insertTask.run(seq, t.taskId, t.invocation, t.token ?? null);
  };

  return {
    createStateMachine(m) {
      if (getMachine.get(m.name) !== undefined) return 'exists';
      insertMachine.run(...machineValues(m));
      return 'created';
    },
    updateStateMachine(name, change, now) {
      const row = getMachine.get(name);
      if (row === undefined) return false;
      updateMachine.run(change.definition ?? row.definition, change.roleArn ?? row.role_arn, now, name);
      return true;
    },
    deleteStateMachine: (name) => deleteMachine.run(name).changes > 0,

    createExecution(e, c) {
      let added: AddedDefinition | undefined;
      let definition = definitionIds.get(e.definition);
      if (definition === undefined) {
        definition = definitionId(e.definition);
        added = [e.definition, definition];
      }
      const inserted = insertExecution.run(
        e.arn, e.machine, e.name, c.status, c.state, definition, e.input, c.output ?? null,
        c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, e.startedAt, c.stoppedAt ?? null, c.nextEventId, e.redriveCount,
      );
      if (inserted.changes === 0) {
        const row = existing.get(e.machine, e.name);
        return [row?.input === e.input && row.status === 'RUNNING' ? 'exists-same-input' : 'exists', added];
      }
      applyEffects(Number(inserted.lastInsertRowid), c);
      return ['created', added];
    },
    rememberDefinition([definition, id]) {
      if (definitionIds.size >= DEFINITION_CACHE) definitionIds.clear();
      definitionIds.set(definition, id);
    },
    commitStep(c) {
      const [machine, name] = executionKey(c.execution);
      const updated = updateExecution.get(
        c.status, c.state, c.output ?? null, c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, c.stoppedAt ?? null, c.nextEventId,
        c.redriveCount ?? null, machine, name, c.execution, c.expectedEventId,
      );
      if (updated === undefined) return false;
      applyEffects(updated.seq, c);
      return true;
    },
    deleteClosedExecutions(before, limit) {
      const picked: number[] = [];
      for (let after = 0; ; ) {
        const page = retentionPage.all(after, RETENTION_SCAN_PAGE);
        if (!pickClosedBefore(page, before, limit, picked)) break;
        after = page[page.length - 1]?.seq ?? after;
      }
      for (const seq of picked) {
        deleteHistory.run(seq);
        deleteTimers.run(seq);
        deleteTasks.run(seq);
        deleteExecution.run(seq);
      }
      return picked.length;
    },
  };
}
