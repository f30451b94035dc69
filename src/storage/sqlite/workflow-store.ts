/**
 * `WorkflowStore` on SQLite. Every write is one job of the shared write batcher: a step's state,
 * history, timers and tasks commit together, after the compare on `next_event_id`. The schema
 * (`workflow-migrations.ts`) keys what an execution owns by its integer `seq` (its history rows are
 * appended in write order and found by an (exec, id) index); an execution is found from its ARN by
 * the (machine, name) the ARN ends with.
 */
import type { CreateExecutionOutcome, StepCommit, StoredExecution, StoredHistoryEvent, WorkflowStore } from '../workflow-store.ts';
import { executionKey, machineValues, pickClosedBefore, RETENTION_SCAN_PAGE, toExecution, toMachine, toTask, toTimer, type ExecutionRow, type MachineRow, type RetentionScanRow, type TaskRow, type TimerRow } from '../rows/workflow-rows.ts';
import type { SqliteDb } from './database.ts';
import { definitionHash } from './workflow-migrations.ts';
import { writeBatcherFor } from './write-batcher.ts';

export { workflowMigrations } from './workflow-migrations.ts';

/** SQLite has no boolean: `has_error` is an INTEGER, 0 or 1. */
type SqliteExecutionRow = ExecutionRow & { has_error: number };
const fromExecutionRow = (r: SqliteExecutionRow): StoredExecution => toExecution(r, r.has_error === 1);

type HistoryRow = { id: number; first_id: number; events: string };

const eventsOf = (row: HistoryRow): readonly string[] => (row.id === row.first_id ? [row.events] : row.events.split('\n'));

const DEFINITION_CACHE = 256;
const EXECUTION = `SELECT e.seq, e.arn, e.machine, e.name, e.status, e.state, d.definition, e.input, e.output, e.error, e.has_error, e.cause, e.started_at, e.stopped_at, e.next_event_id, e.redrive_count
  FROM wf_executions e JOIN wf_definitions d ON d.id = e.definition_id`;

export function createSqliteWorkflowStore(db: SqliteDb): WorkflowStore {
  const batcher = writeBatcherFor(db);
  const getMachine = db.prepare<[string], MachineRow>('SELECT * FROM wf_machines WHERE name = ?');
  const listMachines = db.prepare<[string, number], MachineRow>('SELECT * FROM wf_machines WHERE name > ? ORDER BY name LIMIT ?');
  const insertMachine = db.prepare('INSERT INTO wf_machines (name, definition, role_arn, type, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updateMachine = db.prepare('UPDATE wf_machines SET definition = ?, role_arn = ?, updated_at = ?, revision = revision + 1 WHERE name = ?');
  const deleteMachine = db.prepare('DELETE FROM wf_machines WHERE name = ?');

  const insertDefinition = db.prepare('INSERT INTO wf_definitions (hash, definition) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING');
  const definitionByHash = db.prepare<[string], { id: number; definition: string }>('SELECT id, definition FROM wf_definitions WHERE hash = ?');
  const byName = db.prepare<[string, string], SqliteExecutionRow>(`${EXECUTION} WHERE e.machine = ? AND e.name = ?`);
  const seqOf = db.prepare<[string, string, string], { seq: number }>('SELECT seq FROM wf_executions WHERE machine = ? AND name = ? AND arn = ?');
  const listExecutions = db.prepare<[string, string, string, number, number], SqliteExecutionRow>(
    `${EXECUTION} WHERE e.machine = ? AND (? = '' OR e.status = ?) AND e.seq < ? ORDER BY e.seq DESC LIMIT ?`,
  );
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
  // A history row holds the events first_id..id of one step (or one event); rows are appended in
  // write order and found by the (exec, id) index.
  const insertHistory = db.prepare('INSERT INTO wf_history (exec, id, first_id, events) VALUES (?, ?, ?, ?)');
  const historyAsc = db.prepare<[number, number, number], HistoryRow>('SELECT id, first_id, events FROM wf_history WHERE exec = ? AND id > ? ORDER BY id LIMIT ?');
  const historyDesc = db.prepare<[number, number, number], HistoryRow>('SELECT id, first_id, events FROM wf_history WHERE exec = ? AND first_id < ? ORDER BY id DESC LIMIT ?');
  const insertTimer = db.prepare('INSERT OR REPLACE INTO wf_timers (exec, timer_id, due_at) VALUES (?, ?, ?)');
  const deleteTimer = db.prepare('DELETE FROM wf_timers WHERE exec = ? AND timer_id = ?');
  const deleteTimers = db.prepare('DELETE FROM wf_timers WHERE exec = ?');
  const dueTimers = db.prepare<[number, number], TimerRow>(
    'SELECT e.arn, t.timer_id, t.due_at FROM wf_timers t JOIN wf_executions e ON e.seq = t.exec WHERE t.due_at <= ? ORDER BY t.due_at LIMIT ?',
  );
  const nextTimer = db.prepare<[], { due_at: number | null }>('SELECT min(due_at) AS due_at FROM wf_timers');
  const insertTask = db.prepare('INSERT OR REPLACE INTO wf_tasks (exec, task_id, invocation, token) VALUES (?, ?, ?, ?)');
  const deleteTask = db.prepare('DELETE FROM wf_tasks WHERE exec = ? AND task_id = ?');
  const deleteTasks = db.prepare('DELETE FROM wf_tasks WHERE exec = ?');
  const pendingTasks = db.prepare<[], TaskRow>('SELECT e.arn, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.seq = t.exec');
  const taskByToken = db.prepare<[string], TaskRow>('SELECT e.arn, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.seq = t.exec WHERE t.token = ?');
  const countRunning = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM wf_executions WHERE status = 'RUNNING'");
  const retentionPage = db.prepare<[number, number], RetentionScanRow>('SELECT seq, status, started_at, stopped_at FROM wf_executions WHERE seq > ? ORDER BY seq LIMIT ?');
  const deleteHistory = db.prepare('DELETE FROM wf_history WHERE exec = ?');
  const deleteExecution = db.prepare('DELETE FROM wf_executions WHERE seq = ?');

  /** Definition text → its row id, for rows known to be committed (filled after the commit). */
  const definitionIds = new Map<string, number>();
  const definitionId = (definition: string): number => {
    const hash = definitionHash(definition);
    insertDefinition.run(hash, definition);
    const row = definitionByHash.get(hash);
    if (row === undefined || row.definition !== definition) throw new Error('workflow definition hash collision');
    return row.id;
  };

  /** One row for the step's events (consecutive ids), or one each if a text has a newline. */
  const insertHistoryRows = (seq: number, events: readonly StoredHistoryEvent[]): void => {
    const first = events[0];
    const last = events[events.length - 1];
    if (first === undefined || last === undefined) return;
    const packable = events.length > 1 && last.id - first.id === events.length - 1 && events.every((e) => !e.event.includes('\n'));
    if (packable) insertHistory.run(seq, last.id, first.id, events.map((e) => e.event).join('\n'));
    else for (const e of events) insertHistory.run(seq, e.id, e.id, e.event);
  };

  const findSeq = (arn: string): number | undefined => {
    const [machine, name] = executionKey(arn);
    return seqOf.get(machine, name, arn)?.seq;
  };

  /** The step's history, timers and tasks (inside the caller's transaction). */
  const applyEffects = (seq: number, c: StepCommit): void => {
    insertHistoryRows(seq, c.history);
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
      return batcher.run(() => {
        if (getMachine.get(m.name) !== undefined) return 'exists' as const;
        insertMachine.run(...machineValues(m));
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

    async createExecution(e, c) {
      let added: number | undefined;
      const outcome = await batcher.run((): CreateExecutionOutcome => {
        let definition = definitionIds.get(e.definition);
        if (definition === undefined) added = definition = definitionId(e.definition);
        const inserted = insertExecution.run(
          e.arn, e.machine, e.name, c.status, c.state, definition, e.input, c.output ?? null,
          c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, e.startedAt, c.stoppedAt ?? null, c.nextEventId, e.redriveCount,
        );
        if (inserted.changes === 0) {
          const existing = byName.get(e.machine, e.name);
          return existing?.input === e.input && existing.status === 'RUNNING' ? 'exists-same-input' : 'exists';
        }
        applyEffects(Number(inserted.lastInsertRowid), c);
        return 'created';
      });
      // Only now is the definition row committed: a rolled-back batch must not leave its id cached.
      if (added !== undefined) {
        if (definitionIds.size >= DEFINITION_CACHE) definitionIds.clear();
        definitionIds.set(e.definition, added);
      }
      return outcome;
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
    commitStep(c) {
      const [machine, name] = executionKey(c.execution);
      return batcher.run(() => {
        const updated = updateExecution.get(
          c.status, c.state, c.output ?? null, c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, c.stoppedAt ?? null, c.nextEventId,
          c.redriveCount ?? null, machine, name, c.execution, c.expectedEventId,
        );
        if (updated === undefined) return false;
        applyEffects(updated.seq, c);
        return true;
      });
    },
    async history(execution, { after, limit, reverse }) {
      const seq = findSeq(execution);
      if (seq === undefined) return [];
      // Each row holds at least one event, so `limit` rows hold enough.
      const out: StoredHistoryEvent[] = [];
      if (reverse === true) {
        const before = after ?? Number.MAX_SAFE_INTEGER;
        for (const row of historyDesc.all(seq, before, limit)) {
          const texts = eventsOf(row);
          for (let i = texts.length - 1; i >= 0 && out.length < limit; i--) if (row.first_id + i < before) out.push({ id: row.first_id + i, event: texts[i] as string });
        }
      } else {
        const from = after ?? 0;
        for (const row of historyAsc.all(seq, from, limit)) {
          const texts = eventsOf(row);
          for (let i = 0; i < texts.length && out.length < limit; i++) if (row.first_id + i > from) out.push({ id: row.first_id + i, event: texts[i] as string });
        }
      }
      return out;
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
    deleteClosedExecutions(before, limit) {
      return batcher.run(() => {
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
      });
    },
  };
}
