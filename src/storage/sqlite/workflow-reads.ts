/**
 * The SQLite workflow store's reads: state machines, executions (found from the ARN by the
 * (machine, name) it ends with), history (a step's events packed in one row), timers and pending
 * tasks. On any connection to the database, including one that never writes (the writer thread
 * owns the writes, `workflow-writer-thread.ts`): in WAL mode a read sees every transaction
 * committed before it started, whichever connection committed it.
 */
import type { StoredExecution, StoredHistoryBlock, WorkflowStore } from '../workflow-store.ts';
import { executionKey, toExecution, toMachine, toTask, toTimer, type ExecutionRow, type MachineRow, type TaskRow, type TimerRow } from '../rows/workflow-rows.ts';
import type { SqliteDb } from './database.ts';

export type WorkflowReads = Pick<
  WorkflowStore,
  'getStateMachine' | 'listStateMachines' | 'getExecution' | 'listExecutions' | 'history' | 'dueTimers' | 'nextTimerAt' | 'pendingTasks' | 'taskByToken' | 'runningExecutions'
>;

/** SQLite has no boolean: `has_error` is an INTEGER, 0 or 1. */
type SqliteExecutionRow = ExecutionRow & { has_error: number };
const fromExecutionRow = (r: SqliteExecutionRow): StoredExecution => toExecution(r, r.has_error === 1);

type HistoryRow = { id: number; first_id: number; events: string };

const toBlock = (row: HistoryRow): StoredHistoryBlock => ({ firstId: row.first_id, lastId: row.id, text: row.events });

const EXECUTION = `SELECT e.seq, e.arn, e.machine, e.name, e.status, e.state, d.definition, e.input, e.output, e.error, e.has_error, e.cause, e.started_at, e.stopped_at, e.next_event_id, e.redrive_count
  FROM wf_executions e JOIN wf_definitions d ON d.id = e.definition_id`;

export function workflowReads(db: SqliteDb): WorkflowReads {
  const getMachine = db.prepare<[string], MachineRow>('SELECT * FROM wf_machines WHERE name = ?');
  const listMachines = db.prepare<[string, number], MachineRow>('SELECT * FROM wf_machines WHERE name > ? ORDER BY name LIMIT ?');
  const byName = db.prepare<[string, string], SqliteExecutionRow>(`${EXECUTION} WHERE e.machine = ? AND e.name = ?`);
  const seqOf = db.prepare<[string, string, string], { seq: number }>('SELECT seq FROM wf_executions WHERE machine = ? AND name = ? AND arn = ?');
  const listExecutions = db.prepare<[string, string, string, number, number], SqliteExecutionRow>(
    `${EXECUTION} WHERE e.machine = ? AND (? = '' OR e.status = ?) AND e.seq < ? ORDER BY e.seq DESC LIMIT ?`,
  );
  const historyAsc = db.prepare<[number, number, number], HistoryRow>('SELECT id, first_id, events FROM wf_history WHERE exec = ? AND id > ? ORDER BY id LIMIT ?');
  const historyDesc = db.prepare<[number, number, number], HistoryRow>('SELECT id, first_id, events FROM wf_history WHERE exec = ? AND first_id < ? ORDER BY id DESC LIMIT ?');
  const dueTimers = db.prepare<[number, number], TimerRow>(
    'SELECT e.arn, t.timer_id, t.due_at FROM wf_timers t JOIN wf_executions e ON e.seq = t.exec WHERE t.due_at <= ? ORDER BY t.due_at LIMIT ?',
  );
  const nextTimer = db.prepare<[], { due_at: number | null }>('SELECT min(due_at) AS due_at FROM wf_timers');
  const pendingTasks = db.prepare<[], TaskRow>('SELECT e.arn, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.seq = t.exec');
  const taskByToken = db.prepare<[string], TaskRow>('SELECT e.arn, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.seq = t.exec WHERE t.token = ?');
  const countRunning = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM wf_executions WHERE status = 'RUNNING'");

  const findSeq = (arn: string): number | undefined => {
    const [machine, name] = executionKey(arn);
    return seqOf.get(machine, name, arn)?.seq;
  };

  return {
    async getStateMachine(name) {
      const row = getMachine.get(name);
      return row === undefined ? undefined : toMachine(row);
    },
    async listStateMachines({ after = '', limit }) {
      return listMachines.all(after, limit).map(toMachine);
    },
    async getExecution(arn) {
      const [machine, name] = executionKey(arn);
      const row = byName.get(machine, name);
      return row === undefined || row.arn !== arn ? undefined : fromExecutionRow(row);
    },
    async listExecutions({ machine, status, after, limit }) {
      const before = after === undefined ? Number.MAX_SAFE_INTEGER : (findSeq(after) ?? 0);
      return listExecutions.all(machine, status ?? '', status ?? '', before, limit).map(fromExecutionRow);
    },
    async history(execution, { after, limit, reverse }) {
      const seq = findSeq(execution);
      if (seq === undefined) return [];
      const rows = reverse === true ? historyDesc.all(seq, after ?? Number.MAX_SAFE_INTEGER, limit) : historyAsc.all(seq, after ?? 0, limit);
      return rows.map(toBlock);
    },
    async dueTimers(until, limit) {
      return dueTimers.all(until, limit).map(toTimer);
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
