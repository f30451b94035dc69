/**
 * `WorkflowStore` on SQLite. Every write is one job of the shared write batcher: a step's state,
 * history, timers and tasks commit together, after the compare on `next_event_id`.
 */
import type {
  CreateExecutionOutcome,
  ExecutionStatusValue,
  StepCommit,
  StoredExecution,
  StoredHistoryEvent,
  StoredStateMachine,
  StoredTask,
  StoredTimer,
  WorkflowStore,
} from '../workflow-store.ts';
import type { MigrationSet, SqliteDb } from './database.ts';
import { writeBatcherFor } from './write-batcher.ts';

export const workflowMigrations: MigrationSet = {
  component: 'workflows',
  migrations: [
    {
      version: 1,
      description: 'state machines, executions, history, timers and pending tasks',
      up(db) {
        db.exec(`
          CREATE TABLE wf_machines (
            name       TEXT    PRIMARY KEY,
            definition TEXT    NOT NULL,
            role_arn   TEXT    NOT NULL,
            type       TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            revision   INTEGER NOT NULL
          ) WITHOUT ROWID;
          CREATE TABLE wf_executions (
            seq           INTEGER PRIMARY KEY AUTOINCREMENT,
            arn           TEXT    NOT NULL UNIQUE,
            machine       TEXT    NOT NULL,
            name          TEXT    NOT NULL,
            status        TEXT    NOT NULL,
            state         TEXT    NOT NULL,
            definition    TEXT    NOT NULL,
            input         TEXT    NOT NULL,
            output        TEXT,
            error         TEXT,
            has_error     INTEGER NOT NULL DEFAULT 0,
            cause         TEXT,
            started_at    INTEGER NOT NULL,
            stopped_at    INTEGER,
            next_event_id INTEGER NOT NULL,
            redrive_count INTEGER NOT NULL DEFAULT 0,
            UNIQUE (machine, name)
          );
          CREATE INDEX wf_executions_by_machine ON wf_executions (machine, seq);
          CREATE TABLE wf_history (
            execution TEXT    NOT NULL,
            id        INTEGER NOT NULL,
            event     TEXT    NOT NULL,
            PRIMARY KEY (execution, id)
          ) WITHOUT ROWID;
          CREATE TABLE wf_timers (
            execution TEXT    NOT NULL,
            timer_id  TEXT    NOT NULL,
            due_at    INTEGER NOT NULL,
            PRIMARY KEY (execution, timer_id)
          ) WITHOUT ROWID;
          CREATE INDEX wf_timers_by_due ON wf_timers (due_at);
          CREATE TABLE wf_tasks (
            execution  TEXT NOT NULL,
            task_id    TEXT NOT NULL,
            invocation TEXT NOT NULL,
            token      TEXT,
            PRIMARY KEY (execution, task_id)
          ) WITHOUT ROWID;
          CREATE INDEX wf_tasks_by_token ON wf_tasks (token) WHERE token IS NOT NULL;
        `);
      },
    },
  ],
};

interface MachineRow {
  name: string;
  definition: string;
  role_arn: string;
  type: 'STANDARD' | 'EXPRESS';
  created_at: number;
  updated_at: number;
  revision: number;
}

interface ExecutionRow {
  seq: number;
  arn: string;
  machine: string;
  name: string;
  status: ExecutionStatusValue;
  state: string;
  definition: string;
  input: string;
  output: string | null;
  error: string | null;
  has_error: number;
  cause: string | null;
  started_at: number;
  stopped_at: number | null;
  next_event_id: number;
  redrive_count: number;
}

const toMachine = (r: MachineRow): StoredStateMachine => ({
  name: r.name,
  definition: r.definition,
  roleArn: r.role_arn,
  type: r.type,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  revision: r.revision,
});

const toExecution = (r: ExecutionRow): StoredExecution => ({
  arn: r.arn,
  machine: r.machine,
  name: r.name,
  status: r.status,
  state: r.state,
  definition: r.definition,
  input: r.input,
  ...(r.output !== null ? { output: r.output } : {}),
  // A Fail state may have no Error: `has_error` tells a stored null from an absent one.
  ...(r.has_error === 1 ? { error: r.error } : {}),
  ...(r.cause !== null ? { cause: r.cause } : {}),
  startedAt: r.started_at,
  ...(r.stopped_at !== null ? { stoppedAt: r.stopped_at } : {}),
  nextEventId: r.next_event_id,
  redriveCount: r.redrive_count,
});

export function createSqliteWorkflowStore(db: SqliteDb): WorkflowStore {
  const batcher = writeBatcherFor(db);
  const getMachine = db.prepare<[string], MachineRow>('SELECT * FROM wf_machines WHERE name = ?');
  const listMachines = db.prepare<[string, number], MachineRow>('SELECT * FROM wf_machines WHERE name > ? ORDER BY name LIMIT ?');
  const insertMachine = db.prepare('INSERT INTO wf_machines (name, definition, role_arn, type, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updateMachine = db.prepare('UPDATE wf_machines SET definition = ?, role_arn = ?, updated_at = ?, revision = revision + 1 WHERE name = ?');
  const deleteMachine = db.prepare('DELETE FROM wf_machines WHERE name = ?');

  const getExecution = db.prepare<[string], ExecutionRow>('SELECT * FROM wf_executions WHERE arn = ?');
  const byName = db.prepare<[string, string], ExecutionRow>('SELECT * FROM wf_executions WHERE machine = ? AND name = ?');
  const listExecutions = db.prepare<[string, string, string, number, number], ExecutionRow>(
    "SELECT * FROM wf_executions WHERE machine = ? AND (? = '' OR status = ?) AND seq < ? ORDER BY seq DESC LIMIT ?",
  );
  const insertExecution = db.prepare(
    `INSERT INTO wf_executions (arn, machine, name, status, state, definition, input, output, error, has_error, cause, started_at, stopped_at, next_event_id, redrive_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateExecution = db.prepare(
    `UPDATE wf_executions SET status = ?, state = ?, output = ?, error = ?, has_error = ?, cause = ?, stopped_at = ?, next_event_id = ?,
       redrive_count = coalesce(?, redrive_count)
     WHERE arn = ? AND next_event_id = ?`,
  );
  const insertHistory = db.prepare('INSERT INTO wf_history (execution, id, event) VALUES (?, ?, ?)');
  const historyAsc = db.prepare<[string, number, number], StoredHistoryEvent>('SELECT id, event FROM wf_history WHERE execution = ? AND id > ? ORDER BY id LIMIT ?');
  const historyDesc = db.prepare<[string, number, number], StoredHistoryEvent>('SELECT id, event FROM wf_history WHERE execution = ? AND id < ? ORDER BY id DESC LIMIT ?');
  const insertTimer = db.prepare('INSERT OR REPLACE INTO wf_timers (execution, timer_id, due_at) VALUES (?, ?, ?)');
  const deleteTimer = db.prepare('DELETE FROM wf_timers WHERE execution = ? AND timer_id = ?');
  const deleteTimers = db.prepare('DELETE FROM wf_timers WHERE execution = ?');
  const dueTimers = db.prepare<[number, number], { execution: string; timer_id: string; due_at: number }>('SELECT * FROM wf_timers WHERE due_at <= ? ORDER BY due_at LIMIT ?');
  const nextTimer = db.prepare<[], { due_at: number | null }>('SELECT min(due_at) AS due_at FROM wf_timers');
  const insertTask = db.prepare('INSERT OR REPLACE INTO wf_tasks (execution, task_id, invocation, token) VALUES (?, ?, ?, ?)');
  const deleteTask = db.prepare('DELETE FROM wf_tasks WHERE execution = ? AND task_id = ?');
  const deleteTasks = db.prepare('DELETE FROM wf_tasks WHERE execution = ?');
  const pendingTasks = db.prepare<[], { execution: string; task_id: string; invocation: string; token: string | null }>('SELECT * FROM wf_tasks');
  const taskByToken = db.prepare<[string], { execution: string; task_id: string; invocation: string; token: string | null }>('SELECT * FROM wf_tasks WHERE token = ?');
  const countRunning = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM wf_executions WHERE status = 'RUNNING'");

  const toTask = (r: { execution: string; task_id: string; invocation: string; token: string | null }): StoredTask => ({
    execution: r.execution,
    taskId: r.task_id,
    invocation: r.invocation,
    ...(r.token !== null ? { token: r.token } : {}),
  });

  /** The step's history, timers and tasks (inside the caller's transaction). */
  const applyEffects = (c: StepCommit): void => {
    for (const h of c.history) insertHistory.run(c.execution, h.id, h.event);
    for (const id of c.removeTimers) deleteTimer.run(c.execution, id);
    for (const id of c.removeTasks) deleteTask.run(c.execution, id);
    if (c.status !== 'RUNNING') {
      // A finished execution waits for nothing.
      deleteTimers.run(c.execution);
      deleteTasks.run(c.execution);
      return;
    }
    for (const t of c.addTimers) insertTimer.run(t.execution, t.timerId, t.dueAt);
    for (const t of c.addTasks) insertTask.run(t.execution, t.taskId, t.invocation, t.token ?? null);
  };

  return {
    createStateMachine(m) {
      return batcher.run(() => {
        if (getMachine.get(m.name) !== undefined) return 'exists' as const;
        insertMachine.run(m.name, m.definition, m.roleArn, m.type, m.createdAt, m.updatedAt, m.revision);
        return 'created' as const;
      });
    },
    async getStateMachine(name) {
      const row = getMachine.get(name);
      return row === undefined ? undefined : toMachine(row);
    },
    async listStateMachines({ after = '', limit }) {
      return listMachines.all(after, limit).map(toMachine);
    },
    updateStateMachine(name, change, now) {
      return batcher.run(() => {
        const row = getMachine.get(name);
        if (row === undefined) return false;
        updateMachine.run(change.definition ?? row.definition, change.roleArn ?? row.role_arn, now, name);
        return true;
      });
    },
    deleteStateMachine(name) {
      return batcher.run(() => deleteMachine.run(name).changes > 0);
    },

    createExecution(e, c) {
      return batcher.run((): CreateExecutionOutcome => {
        const existing = byName.get(e.machine, e.name);
        if (existing !== undefined) return existing.input === e.input && existing.status === 'RUNNING' ? 'exists-same-input' : 'exists';
        insertExecution.run(
          e.arn, e.machine, e.name, c.status, c.state, e.definition, e.input, c.output ?? null,
          c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, e.startedAt, c.stoppedAt ?? null, c.nextEventId, e.redriveCount,
        );
        applyEffects(c);
        return 'created';
      });
    },
    async getExecution(arn) {
      const row = getExecution.get(arn);
      return row === undefined ? undefined : toExecution(row);
    },
    async listExecutions({ machine, status, after, limit }) {
      const before = after === undefined ? Number.MAX_SAFE_INTEGER : (getExecution.get(after)?.seq ?? 0);
      return listExecutions.all(machine, status ?? '', status ?? '', before, limit).map(toExecution);
    },
    commitStep(c) {
      return batcher.run(() => {
        const changed = updateExecution.run(
          c.status, c.state, c.output ?? null, c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, c.stoppedAt ?? null, c.nextEventId,
          c.redriveCount ?? null, c.execution, c.expectedEventId,
        ).changes;
        if (changed === 0) return false;
        applyEffects(c);
        return true;
      });
    },
    async history(execution, { after, limit, reverse }) {
      return reverse === true ? historyDesc.all(execution, after ?? Number.MAX_SAFE_INTEGER, limit) : historyAsc.all(execution, after ?? 0, limit);
    },

    async dueTimers(until, limit) {
      return dueTimers.all(until, limit).map((r): StoredTimer => ({ execution: r.execution, timerId: r.timer_id, dueAt: r.due_at }));
    },
    async nextTimerAt() {
      return nextTimer.get()?.due_at ?? undefined;
    },
    async pendingTasks() {
      return pendingTasks.all().map(toTask);
    },
    async taskByToken(token) {
      const row = taskByToken.get(token);
      return row === undefined ? undefined : toTask(row);
    },
    async runningExecutions() {
      return countRunning.get()?.n ?? 0;
    },
  };
}
