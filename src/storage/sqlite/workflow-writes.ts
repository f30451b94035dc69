/**
 * The SQLite workflow store's writes, as synchronous functions that run inside a transaction their
 * caller opens and commits: the write batcher's on the shared database (`workflow-store.ts`), or
 * the writer thread's on the workflow database (`workflow-writer-thread.ts`). A step's state,
 * history, timers and tasks are written after the compare on `next_event_id`. An execution's
 * history rows are appended in write order (schema 4, `workflow-migrations.ts`).
 *
 * What the writes know of the executions they created (`Known`): the connection that runs them is
 * the only writer of the workflow tables, so it knows each such execution's row (`seq`) and the
 * timers and tasks it stored for it. A step then updates the row by `seq` rather than through the
 * (machine, name) index, and the final step of an execution whose timers and tasks were all
 * removed by name skips the two sweeps that delete whatever is left: of the eight statements a
 * one-Task execution cost, two are gone and one no longer looks the row up by name. The
 * knowledge is only ever on the safe side: a `seq` is checked against the ARN (a stale one falls
 * back to the index); an execution is forgotten when one of its writes throws (its job is rolled
 * back) and all are when a transaction fails as a whole (`forget`), so the sweeps run whenever a
 * row might be left.
 *
 * Concurrency contract: one caller at a time, on the connection's own thread.
 * `rememberDefinition` is called once the transaction that stored the definition has committed,
 * never before: a rolled-back row must not stay in the cache. `forget` is called when a
 * transaction that ran these writes was rolled back as a whole.
 */
import { ChurnMap } from '../../core/index.ts';
import type { CreateExecutionOutcome, StepCommit, StoredExecution, StoredStateMachine } from '../workflow-store.ts';
import { executionKey, machineValues, pickClosedBefore, RETENTION_SCAN_PAGE, type MachineRow, type RetentionScanRow } from '../rows/workflow-rows.ts';
import type { SqliteDb } from './database.ts';
import { definitionHash } from './workflow-migrations.ts';

const DEFINITION_CACHE = 256;
/** Executions known at most (the oldest is forgotten first); the engine keeps 4,096 in memory. */
const KNOWN_MAX = 8192;

/** A running execution these writes created: its row, and its timers and tasks not removed yet. */
interface Known {
  readonly seq: number;
  readonly timers: Set<string>;
  readonly tasks: Set<string>;
}

/** The definition row a `createExecution` stored, to remember once committed. */
export type AddedDefinition = readonly [definition: string, id: number];

export interface WorkflowWrites {
  createStateMachine(machine: StoredStateMachine): 'created' | 'exists';
  updateStateMachine(name: string, change: { readonly definition?: string; readonly roleArn?: string }, now: number): boolean;
  deleteStateMachine(name: string): boolean;
  createExecution(execution: StoredExecution, commit: StepCommit): readonly [CreateExecutionOutcome, AddedDefinition | undefined];
  rememberDefinition(added: AddedDefinition): void;
  /** A transaction that ran these writes was rolled back as a whole: what they knew may be wrong. */
  forget(): void;
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
  // No RETURNING: the seq is known (and a RETURNING clause costs half an insert again).
  const updateExecutionBySeq = db.prepare<unknown[]>(
    `UPDATE wf_executions SET status = ?, state = ?, output = ?, error = ?, has_error = ?, cause = ?, stopped_at = ?, next_event_id = ?,
       redrive_count = coalesce(?, redrive_count)
     WHERE seq = ? AND arn = ? AND next_event_id = ?`,
  );
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

  /** By ARN, oldest first; a ChurnMap: an entry per running execution, come and gone. */
  const known = new ChurnMap<string, Known>();

  /** The step's history, timers and tasks; `k` what is known of the execution, if anything. */
  const applyEffects = (seq: number, c: StepCommit, k: Known | undefined): void => {
    if (c.history !== undefined) insertHistory.run(seq, c.history.lastId, c.history.firstId, c.history.text);
    const finished = c.status !== 'RUNNING';
    // Finished and not known: the sweeps below delete these anyway.
    if (!finished || k !== undefined) {
      for (const id of c.removeTimers) {
        deleteTimer.run(seq, id);
        k?.timers.delete(id);
      }
      for (const id of c.removeTasks) {
        deleteTask.run(seq, id);
        k?.tasks.delete(id);
      }
    }
    if (finished) {
      // A finished execution waits for nothing.
      if (k === undefined || k.timers.size > 0) deleteTimers.run(seq);
      if (k === undefined || k.tasks.size > 0) deleteTasks.run(seq);
      known.delete(c.execution);
      return;
    }
    for (const t of c.addTimers) {
      insertTimer.run(seq, t.timerId, t.dueAt);
      k?.timers.add(t.timerId);
    }
    for (const t of c.addTasks) {
      insertTask.run(seq, t.taskId, t.invocation, t.token ?? null);
      k?.tasks.add(t.taskId);
    }
  };

  /** Runs one execution's write; if it throws (its job is rolled back), the execution is forgotten. */
  function guarded<T>(arn: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      known.delete(arn);
      throw error;
    }
  }

  function learn(arn: string, seq: number): Known {
    if (known.size >= KNOWN_MAX) {
      const oldest = known.keys().next();
      if (oldest.done !== true) known.delete(oldest.value);
    }
    const k: Known = { seq, timers: new Set(), tasks: new Set() };
    known.set(arn, k);
    return k;
  }

  /** The row a step updates: by the known `seq` (checked against the ARN), else by (machine, name). */
  function updated(c: StepCommit, k: Known | undefined): number | undefined {
    const values = [c.status, c.state, c.output ?? null, c.error ?? null, c.error !== undefined ? 1 : 0, c.cause ?? null, c.stoppedAt ?? null, c.nextEventId, c.redriveCount ?? null] as const;
    if (k !== undefined) {
      if (updateExecutionBySeq.run(...values, k.seq, c.execution, c.expectedEventId).changes > 0) return k.seq;
      // A stale counter (the engine reads the execution again), or a seq not this ARN's any more.
      known.delete(c.execution);
    }
    const [machine, name] = executionKey(c.execution);
    return updateExecution.get(...values, machine, name, c.execution, c.expectedEventId)?.seq;
  }

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

    createExecution: (e, c) => guarded(e.arn, () => {
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
      const seq = Number(inserted.lastInsertRowid);
      applyEffects(seq, c, c.status === 'RUNNING' ? learn(e.arn, seq) : undefined);
      return ['created', added];
    }),
    rememberDefinition([definition, id]) {
      if (definitionIds.size >= DEFINITION_CACHE) definitionIds.clear();
      definitionIds.set(definition, id);
    },
    commitStep: (c) => guarded(c.execution, () => {
      const k = known.get(c.execution);
      const seq = updated(c, k);
      if (seq === undefined) return false;
      applyEffects(seq, c, k !== undefined && k.seq === seq ? k : undefined);
      return true;
    }),
    forget: () => known.clear(),
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
