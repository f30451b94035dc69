/**
 * The messages between the workflow store (`workflow-writer.ts`, on the event loop) and its writer
 * thread (`workflow-writer-thread.ts`). Jobs are answered in the order they were sent: each
 * `done` message answers the oldest jobs still waiting, one outcome each.
 *
 * A message's jobs travel as one flat array of strings and numbers (`JobEncoder`, `decodeJobs`):
 * the structured clone of a step's objects (some 40 values, each object with its property names)
 * was about a tenth of the event loop's time per step, and their rebuilding as much on the thread.
 * Steps and new executions are flattened field by field; the rare writes (state machines,
 * retention) travel as they are.
 *
 * A new execution's definition travels by number: its text (up to 1 MB, and sent with every start
 * before) goes to a thread once, in the first message that needs it, and the thread keeps it by
 * that number. A new thread (after one died) gets each text again before its first use.
 */
import type { Mutable } from '../../core/index.ts';
import type { StepCommit, StoredExecution, StoredHistoryBlock, StoredStateMachine, StoredTask, StoredTimer } from '../workflow-store.ts';

export type WriterJob =
  | readonly ['createStateMachine', StoredStateMachine]
  | readonly ['updateStateMachine', string, { readonly definition?: string; readonly roleArn?: string }, number]
  | readonly ['deleteStateMachine', string]
  | readonly ['createExecution', StoredExecution, StepCommit]
  | readonly ['commitStep', StepCommit]
  | readonly ['deleteClosedExecutions', number, number];

/** A thrown error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type WireOutcome = readonly [ok: 1, value: unknown] | readonly [ok: 0, error: WireError];

export type ToWriter = ({ readonly type: 'jobs' } & JobMessage) | { readonly type: 'close' };
export type FromWriter = { readonly type: 'done'; readonly outcomes: readonly WireOutcome[] } | { readonly type: 'closed' };

export interface WriterData {
  readonly path: string;
  readonly fsync: boolean;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.code !== undefined) Object.assign(error, { code: wire.code });
  return error;
}

const STEP = 0;
const NEW_EXECUTION = 1;
const AS_IS = 2;

/** Definitions numbered at most; past it the numbering starts again (each text is sent again). */
const DEFINITION_NUMBERS = 256;

/** One message's jobs and the definition texts they use that the thread has not had yet. */
export interface JobMessage {
  readonly jobs: readonly unknown[];
  readonly definitions: readonly unknown[];
}

/** Jobs appended to one flat array (see the header), for one message. */
export class JobEncoder {
  data: unknown[] = [];
  /** Definition text → its number, and the other way round. */
  private readonly numbers = new Map<string, number>();
  private texts: string[] = [];
  /** The numbers whose text the thread has. */
  private sent = new Set<number>();
  /** The numbers the jobs of this message use. */
  private used: number[] = [];

  /** The message so far (with the texts it uses that the thread lacks), and a new one for the next. */
  take(): JobMessage {
    const jobs = this.data;
    this.data = [];
    const definitions: unknown[] = [];
    for (const n of this.used) {
      if (this.sent.has(n)) continue;
      this.sent.add(n);
      definitions.push(n, this.texts[n]);
    }
    this.used = [];
    if (this.texts.length >= DEFINITION_NUMBERS) {
      this.numbers.clear();
      this.texts = [];
      this.sent = new Set();
    }
    return { jobs, definitions };
  }

  /** The messages from now on go to a new thread, which has no definition yet. */
  newThread(): void {
    this.sent = new Set();
  }

  private definition(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.numbers.set(text, n);
      this.texts.push(text);
    }
    this.used.push(n);
    return n;
  }

  add(job: WriterJob): void {
    const d = this.data;
    if (job[0] === 'commitStep') {
      d.push(STEP);
      this.commit(job[1]);
    } else if (job[0] === 'createExecution') {
      const e = job[1];
      d.push(NEW_EXECUTION, e.arn, e.machine, e.name, this.definition(e.definition), e.input, e.startedAt, e.redriveCount);
      this.commit(job[2]);
    } else d.push(AS_IS, job);
  }

  private commit(c: StepCommit): void {
    const d = this.data;
    // Optional fields go as they are: a clone keeps undefined and null apart.
    d.push(c.execution, c.expectedEventId, c.status, c.state, c.nextEventId, c.output, c.error, c.cause, c.stoppedAt, c.redriveCount);
    // 0 for none: event ids start at 1.
    if (c.history === undefined) d.push(0);
    else d.push(c.history.firstId, c.history.lastId, c.history.text);
    d.push(c.addTimers.length);
    for (const t of c.addTimers) d.push(t.timerId, t.dueAt);
    d.push(c.removeTimers.length, ...c.removeTimers);
    d.push(c.addTasks.length);
    for (const t of c.addTasks) d.push(t.taskId, t.invocation, t.token);
    d.push(c.removeTasks.length, ...c.removeTasks);
  }
}

/**
 * The jobs `JobEncoder` flattened, rebuilt (a timer's or task's execution is the step's).
 * `definitions` holds the texts by number: those of earlier messages, and this one's added.
 */
export function decodeJobs({ jobs: data, definitions: added }: JobMessage, definitions: string[]): WriterJob[] {
  for (let k = 0; k < added.length; k += 2) definitions[added[k] as number] = added[k + 1] as string;
  const jobs: WriterJob[] = [];
  let i = 0;
  const next = (): unknown => data[i++];
  const commit = (): StepCommit => {
    const execution = next() as string;
    const expectedEventId = next() as number;
    const status = next() as StepCommit['status'];
    const state = next() as string;
    const nextEventId = next() as number;
    const output = next() as string | undefined;
    const error = next() as string | null | undefined;
    const cause = next() as string | undefined;
    const stoppedAt = next() as number | undefined;
    const redriveCount = next() as number | undefined;
    const firstId = next() as number;
    const history: StoredHistoryBlock | undefined = firstId === 0 ? undefined : { firstId, lastId: next() as number, text: next() as string };
    const addTimers: StoredTimer[] = [];
    for (let n = next() as number; n > 0; n--) addTimers.push({ execution, timerId: next() as string, dueAt: next() as number });
    const removeTimers: string[] = [];
    for (let n = next() as number; n > 0; n--) removeTimers.push(next() as string);
    const addTasks: StoredTask[] = [];
    for (let n = next() as number; n > 0; n--) {
      const taskId = next() as string;
      const invocation = next() as string;
      const token = next() as string | undefined;
      const task: Mutable<StoredTask> = { execution, taskId, invocation };
      if (token !== undefined) task.token = token;
      addTasks.push(task);
    }
    const removeTasks: string[] = [];
    for (let n = next() as number; n > 0; n--) removeTasks.push(next() as string);
    // Optional members set one by one: a literal of conditional spreads costs a copy per member.
    const c: Mutable<StepCommit> = { execution, expectedEventId, status, state, nextEventId, addTimers, removeTimers, addTasks, removeTasks };
    if (output !== undefined) c.output = output;
    if (error !== undefined) c.error = error;
    if (cause !== undefined) c.cause = cause;
    if (stoppedAt !== undefined) c.stoppedAt = stoppedAt;
    if (redriveCount !== undefined) c.redriveCount = redriveCount;
    if (history !== undefined) c.history = history;
    return c;
  };
  while (i < data.length) {
    const kind = next();
    if (kind === STEP) jobs.push(['commitStep', commit()]);
    else if (kind === NEW_EXECUTION) {
      const arn = next() as string;
      const machine = next() as string;
      const name = next() as string;
      const number = next() as number;
      const definition = definitions[number];
      if (definition === undefined) throw new Error(`workflow writer: definition ${number} was never sent to this thread`);
      const input = next() as string;
      const startedAt = next() as number;
      const redriveCount = next() as number;
      const c = commit();
      jobs.push(['createExecution', { arn, machine, name, definition, input, startedAt, redriveCount, status: c.status, state: c.state, nextEventId: c.nextEventId }, c]);
    } else jobs.push(next() as WriterJob);
  }
  return jobs;
}
