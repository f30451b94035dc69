/**
 * The interpreter state as the durable engine stores it. Its `execution` part (what `$$.Execution`
 * and `$$.StateMachine` show) is fixed when the execution starts, and the execution's row holds
 * most of it already: the ARN, the name, the state machine and the input. Stored whole, every step
 * wrote the execution's input again (up to 256 KiB) and some 400 bytes of names. So the stored
 * text keeps only what the row does not hold (role ARN, start time, redrive count), and
 * `restoreState` rebuilds the rest from the row. A text stored whole (before this) is read as is.
 * A SUCCEEDED execution stores no state at all (an empty text): nothing resumes or redrives it.
 */
import { merged } from '../../core/index.ts';
import type { StoredExecution } from '../../storage/index.ts';
import type { ExecutionInfo, ExecutionState, Json } from '../asl/index.ts';

type Slim = Pick<ExecutionInfo, 'roleArn' | 'startTime' | 'redriveCount'>;

/** The text to store for `state` (empty for a SUCCEEDED execution). */
export function stateText(state: ExecutionState): string {
  if (state.status === 'SUCCEEDED') return '';
  const { roleArn, startTime, redriveCount } = state.execution;
  const execution: Slim = { roleArn, startTime, redriveCount };
  return JSON.stringify(merged(state, { execution }));
}

/** The state `stateText` stored for the execution of row `row`; undefined when none was (SUCCEEDED). */
export function restoreState(text: string, row: Pick<StoredExecution, 'arn' | 'name' | 'machine' | 'input'>): ExecutionState | undefined {
  if (text === '') return undefined;
  const stored = JSON.parse(text) as Omit<ExecutionState, 'execution'> & { execution: Slim & Partial<ExecutionInfo> };
  if (typeof stored.execution.id === 'string') return stored as ExecutionState;
  const { roleArn, startTime, redriveCount } = stored.execution;
  // arn:aws:states:<region>:<account>:execution:<machine>:<name> → ...:stateMachine:<machine>
  const stateMachineId = `${row.arn.slice(0, row.arn.indexOf(':execution:'))}:stateMachine:${row.machine}`;
  const execution: ExecutionInfo = { id: row.arn, name: row.name, roleArn, startTime, input: JSON.parse(row.input) as Json, stateMachineId, stateMachineName: row.machine, redriveCount };
  return merged(stored, { execution });
}
