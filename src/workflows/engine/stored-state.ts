/**
 * The interpreter state as the durable engine stores it: only what the execution's row does not
 * hold. Every step writes this text, so its bytes are paid on every transition (the stringify, the
 * copy to the writer thread, the row update and its WAL page).
 *
 * - The `execution` part (what `$$.Execution` and `$$.StateMachine` show) is fixed when the
 *   execution starts, and the row holds most of it: the ARN, the name, the state machine, the
 *   input (up to 256 KiB, written again by every step when the state was stored whole), the
 *   redrive count and the start time (`started_at`, taken from the state's `startTime` at the
 *   start). The text keeps the role ARN, and the start time only when the row's differs (an
 *   execution started by a release that took the two from separate clock readings).
 * - `status` and `nextEventId` are the row's columns, written by the same commit; `version` is the
 *   one this release writes (a release with another version must store it).
 * Without those, a 20-state bench step stores some 360 bytes instead of 500, and 20-state
 * Standard executions ran about 5% faster.
 *
 * Three forms are read: the state whole (`execution.id` present, an older release), the slim one
 * of the releases before this (`execution` with `startTime` and `redriveCount`, and `version`,
 * `status`, `nextEventId` in the text), and this one; a member missing from the text comes from
 * the row. A SUCCEEDED execution stores no state at all (an empty text): nothing resumes or
 * redrives it.
 */
import type { Mutable } from '../../core/index.ts';
import type { StoredExecution } from '../../storage/index.ts';
import { EXECUTION_STATE_VERSION, type ExecutionInfo, type ExecutionState, type Json } from '../asl/index.ts';

/** What `restoreState` reads of the execution's row. */
export type StateRow = Pick<StoredExecution, 'arn' | 'name' | 'machine' | 'input' | 'status' | 'nextEventId' | 'startedAt' | 'redriveCount'>;

/** The state's members `stateText` writes or leaves to the row: the compiler checks none is forgotten. */
const MEMBERS = ['version', 'status', 'execution', 'root', 'nextEventId', 'nextSeq', 'executionTimerId', 'output', 'error', 'cause'] as const;
type Unwritten = Exclude<keyof ExecutionState, (typeof MEMBERS)[number]>;
const everyMember: [Unwritten] extends [never] ? true : Unwritten = true;
void everyMember;

/** The start time as the row holds it (`started_at`, ms). */
const rowStartTime = (startedAt: number): string => new Date(startedAt).toISOString();

/** Whether the row's `started_at` is `state`'s start time (then `stateText` leaves it out). */
export const startTimeInRow = (startedAt: number, state: ExecutionState): boolean => rowStartTime(startedAt) === state.execution.startTime;

/**
 * The text to store for `state` (empty for a SUCCEEDED execution). `startTimeInRow`: the row's
 * `started_at` is the state's start time, so the text leaves it out.
 */
export function stateText(state: ExecutionState, startTimeInRow: boolean): string {
  if (state.status === 'SUCCEEDED') return '';
  const { roleArn, startTime } = state.execution;
  const execution = startTimeInRow ? `{"roleArn":${JSON.stringify(roleArn)}}` : JSON.stringify({ roleArn, startTime });
  let out = `{"execution":${execution},"root":${JSON.stringify(state.root)},"nextSeq":${state.nextSeq}`;
  if (state.executionTimerId !== undefined) out += `,"executionTimerId":${JSON.stringify(state.executionTimerId)}`;
  if (state.output !== undefined) out += `,"output":${JSON.stringify(state.output)}`;
  if (state.error !== undefined) out += `,"error":${JSON.stringify(state.error)}`;
  if (state.cause !== undefined) out += `,"cause":${JSON.stringify(state.cause)}`;
  return `${out}}`;
}

type StoredForm = Partial<Omit<ExecutionState, 'execution'>> & Pick<ExecutionState, 'root' | 'nextSeq'> & { execution: Pick<ExecutionInfo, 'roleArn'> & Partial<ExecutionInfo> };

/** The state `stateText` stored for the execution of row `row`; undefined when none was (SUCCEEDED). */
export function restoreState(text: string, row: StateRow): ExecutionState | undefined {
  if (text === '') return undefined;
  const stored = JSON.parse(text) as StoredForm;
  if (typeof stored.execution.id === 'string') return stored as ExecutionState;
  const { roleArn } = stored.execution;
  // arn:aws:states:<region>:<account>:execution:<machine>:<name> → ...:stateMachine:<machine>
  const stateMachineId = `${row.arn.slice(0, row.arn.indexOf(':execution:'))}:stateMachine:${row.machine}`;
  const execution: ExecutionInfo = {
    id: row.arn,
    name: row.name,
    roleArn,
    startTime: stored.execution.startTime ?? rowStartTime(row.startedAt),
    input: JSON.parse(row.input) as Json,
    stateMachineId,
    stateMachineName: row.machine,
    redriveCount: stored.execution.redriveCount ?? row.redriveCount,
  };
  const state: Mutable<ExecutionState> = {
    version: stored.version ?? EXECUTION_STATE_VERSION,
    // A stored state's row never has the one status that is not a state's (PENDING_REDRIVE is a filter).
    status: stored.status ?? (row.status as ExecutionState['status']),
    execution,
    root: stored.root,
    nextEventId: stored.nextEventId ?? row.nextEventId,
    nextSeq: stored.nextSeq,
  };
  if (stored.executionTimerId !== undefined) state.executionTimerId = stored.executionTimerId;
  if (stored.output !== undefined) state.output = stored.output;
  if (stored.error !== undefined) state.error = stored.error;
  if (stored.cause !== undefined) state.cause = stored.cause;
  return state;
}
