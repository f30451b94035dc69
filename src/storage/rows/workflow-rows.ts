/**
 * The workflow tables' rows (`wf_machines`, `wf_executions` joined with its definition, the
 * timers and tasks joined with their execution's ARN) as both the SQLite and the PostgreSQL
 * adapter read them, and their mapping to the `WorkflowStore` types and back. PostgreSQL's
 * BIGINTs arrive as JS numbers (`postgres/database.ts`). Not shared, because the databases differ:
 * `has_error` (SQLite has no boolean: 0/1; PostgreSQL: BOOLEAN), so each adapter types that column
 * and tells `toExecution` what it holds; history rows (a step's block in one row, but rows of
 * earlier schemas differ: SQLite's key, PostgreSQL's missing `first_id`); how a definition is keyed.
 */
import type { ExecutionStatusValue, StoredExecution, StoredStateMachine, StoredTask, StoredTimer } from '../workflow-store.ts';

export interface MachineRow {
  name: string;
  definition: string;
  role_arn: string;
  type: 'STANDARD' | 'EXPRESS';
  created_at: number;
  updated_at: number;
  revision: number;
}

/** An execution row with its definition's text, every column but `has_error` (see the header). */
export interface ExecutionRow {
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
  cause: string | null;
  started_at: number;
  stopped_at: number | null;
  next_event_id: number;
  redrive_count: number;
}

export interface TimerRow {
  arn: string;
  timer_id: string;
  due_at: number;
}

export interface TaskRow {
  arn: string;
  task_id: string;
  invocation: string;
  token: string | null;
}

export const toMachine = (r: MachineRow): StoredStateMachine => ({
  name: r.name,
  definition: r.definition,
  roleArn: r.role_arn,
  type: r.type,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  revision: r.revision,
});

/** `hasError`: the row's `has_error`, read as its driver returns it. */
export const toExecution = (r: ExecutionRow, hasError: boolean): StoredExecution => ({
  arn: r.arn,
  machine: r.machine,
  name: r.name,
  status: r.status,
  state: r.state,
  definition: r.definition,
  input: r.input,
  ...(r.output !== null ? { output: r.output } : {}),
  // A Fail state may have no Error: `has_error` tells a stored null from an absent one.
  ...(hasError ? { error: r.error } : {}),
  ...(r.cause !== null ? { cause: r.cause } : {}),
  startedAt: r.started_at,
  ...(r.stopped_at !== null ? { stoppedAt: r.stopped_at } : {}),
  nextEventId: r.next_event_id,
  redriveCount: r.redrive_count,
});

export const toTimer = (r: TimerRow): StoredTimer => ({ execution: r.arn, timerId: r.timer_id, dueAt: r.due_at });

export const toTask = (r: TaskRow): StoredTask => ({ execution: r.arn, taskId: r.task_id, invocation: r.invocation, ...(r.token !== null ? { token: r.token } : {}) });

/**
 * A machine's values in the column order of both adapters' insert:
 * (name, definition, role_arn, type, created_at, updated_at, revision).
 */
export const machineValues = (m: StoredStateMachine): (string | number)[] => [m.name, m.definition, m.roleArn, m.type, m.createdAt, m.updatedAt, m.revision];

/** The (machine, name) an execution ARN (`...:execution:<machine>:<name>`) ends with: the key both schemas find an execution by. */
export function executionKey(arn: string): readonly [string, string] {
  const last = arn.lastIndexOf(':');
  const previous = arn.lastIndexOf(':', last - 1);
  return [arn.slice(previous + 1, last), arn.slice(last + 1)];
}

/** A row of the retention scan: executions in start (`seq`) order. */
export interface RetentionScanRow {
  readonly seq: number;
  readonly status: string;
  readonly started_at: number;
  readonly stopped_at: number | null;
}

/** Rows read per page by the retention scan. */
export const RETENTION_SCAN_PAGE = 500;

/**
 * The retention scan's choice over one page of executions in start order: adds to `picked` those
 * that ended before `before`, up to `limit`, passing over running ones; answers whether the scan
 * goes on to the next page. It stops at the first execution started at or after `before` (none
 * started later can have ended before it), so a scan reads the executions started before the
 * cutoff that are left, not the table.
 */
export function pickClosedBefore(page: readonly RetentionScanRow[], before: number, limit: number, picked: number[]): boolean {
  for (const row of page) {
    if (row.started_at >= before || picked.length >= limit) return false;
    if (row.status !== 'RUNNING' && row.stopped_at !== null && row.stopped_at < before) picked.push(row.seq);
  }
  return page.length === RETENTION_SCAN_PAGE && picked.length < limit;
}
