/**
 * The `WorkflowStore` port: state machines, executions, their history, and the work an execution
 * waits for (timers and task invocations), for the durable (Standard) workflow engine.
 *
 * Guarantees every adapter gives:
 * - Every write resolves only once durable: it survives `kill -9` of the process.
 * - `commitStep` writes an execution's new state, its new history events, the timers and tasks
 *   it starts and the removal of the ones it consumed or cancelled in ONE transaction, and only if
 *   the stored state is still at `expectedEventId` (otherwise it writes nothing and answers
 *   false). So each transition is stored exactly once, and the side effects it asks for are
 *   recorded (as pending task rows) before any of them is started.
 * - History events of an execution are kept in id order.
 * The store knows nothing of ASL: states and history details are opaque JSON text.
 */

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface StoredStateMachine {
  readonly name: string;
  /** The definition as given (JSON text). */
  readonly definition: string;
  readonly roleArn: string;
  readonly type: StateMachineType;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Grows with each update; executions keep the revision they started with. */
  readonly revision: number;
}

export type ExecutionStatusValue = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface StoredExecution {
  readonly arn: string;
  readonly machine: string;
  readonly name: string;
  readonly status: ExecutionStatusValue;
  /** The interpreter's execution state (JSON text); empty for a SUCCEEDED execution, which nothing resumes or redrives. */
  readonly state: string;
  /** The definition the execution runs (JSON text): updates of the machine do not change it. */
  readonly definition: string;
  readonly input: string;
  readonly output?: string;
  readonly error?: string | null;
  readonly cause?: string;
  readonly startedAt: number;
  readonly stoppedAt?: number;
  /** The id the next history event will get: the optimistic-concurrency token of `commitStep`. */
  readonly nextEventId: number;
  readonly redriveCount: number;
}

/**
 * The history events of one step, ids `firstId`..`lastId`, as one text the store keeps as it is
 * (the engine's encoding, `workflows/engine/history-codec.ts`).
 */
export interface StoredHistoryBlock {
  readonly firstId: number;
  readonly lastId: number;
  readonly text: string;
}

export interface StoredTimer {
  readonly execution: string;
  readonly timerId: string;
  readonly dueAt: number;
}

export interface StoredTask {
  readonly execution: string;
  readonly taskId: string;
  /** The invocation (JSON text: resource, input, token, timeouts). */
  readonly invocation: string;
  /** Set for `.waitForTaskToken` tasks: SendTask* find the task by it. */
  readonly token?: string;
}

export interface StepCommit {
  readonly execution: string;
  readonly expectedEventId: number;
  readonly status: ExecutionStatusValue;
  readonly state: string;
  readonly nextEventId: number;
  readonly output?: string;
  readonly error?: string | null;
  readonly cause?: string;
  readonly stoppedAt?: number;
  /** Set by a redrive: the execution's new redrive count. */
  readonly redriveCount?: number;
  /** The step's history events; none when the step wrote none. */
  readonly history?: StoredHistoryBlock;
  readonly addTimers: readonly StoredTimer[];
  readonly removeTimers: readonly string[];
  readonly addTasks: readonly StoredTask[];
  readonly removeTasks: readonly string[];
}

export type CreateExecutionOutcome = 'created' | 'exists-same-input' | 'exists';

export interface WorkflowStore {
  /** `exists` when a machine with that name exists already (with its stored record). */
  createStateMachine(machine: StoredStateMachine): Promise<'created' | 'exists'>;
  getStateMachine(name: string): Promise<StoredStateMachine | undefined>;
  listStateMachines(query: { readonly after?: string; readonly limit: number }): Promise<readonly StoredStateMachine[]>;
  /** false when absent. */
  updateStateMachine(name: string, change: { readonly definition?: string; readonly roleArn?: string }, now: number): Promise<boolean>;
  deleteStateMachine(name: string): Promise<boolean>;

  /**
   * Stores a new execution with its first step (`commit.expectedEventId` is ignored). An
   * execution with the same name on the machine: `exists-same-input` (StartExecution is
   * idempotent for the same input while it runs) or `exists`.
   */
  createExecution(execution: StoredExecution, commit: StepCommit): Promise<CreateExecutionOutcome>;
  getExecution(arn: string): Promise<StoredExecution | undefined>;
  /** Newest first; `after` is the arn of the previous page's last execution. */
  listExecutions(query: { readonly machine: string; readonly status?: ExecutionStatusValue; readonly after?: string; readonly limit: number }): Promise<readonly StoredExecution[]>;
  commitStep(commit: StepCommit): Promise<boolean>;
  /**
   * The blocks holding events with id > `after` (reversed: id < `after`), in id order (or
   * reversed), at most `limit` blocks: enough for `limit` events, each block holding one at least.
   */
  history(execution: string, query: { readonly after?: number; readonly limit: number; readonly reverse?: boolean }): Promise<readonly StoredHistoryBlock[]>;

  /** The earliest timers due at or before `until`, at most `limit`. */
  dueTimers(until: number, limit: number): Promise<readonly StoredTimer[]>;
  /** The earliest pending timer's due time, if any. */
  nextTimerAt(): Promise<number | undefined>;
  /** Every pending task of RUNNING executions (resumed on start). */
  pendingTasks(): Promise<readonly StoredTask[]>;
  taskByToken(token: string): Promise<StoredTask | undefined>;
  runningExecutions(): Promise<number>;
  /**
   * Retention: deletes up to `limit` executions that ended before `before` (ms), with their
   * history, oldest started first, in one short transaction; answers how many (fewer than
   * `limit`: none is left). Running executions stay whatever their age. Executions are kept in
   * start order, so the cost follows the executions started before `before`, not the table.
   */
  deleteClosedExecutions(before: number, limit: number): Promise<number>;
}
