/**
 * What one interpreter step writes: the new state, its history events, the timers and tasks its
 * effects start, and the removal of what it consumed (the fired timer, the finished task) or
 * cancelled. Pure: the engine commits the result in one transaction before it performs any effect.
 */
import type { Mutable } from '../../core/index.ts';
import type { ExecutionStatusValue, StepCommit, StoredHistoryBlock, StoredTask, StoredTimer } from '../../storage/index.ts';
import type { ExecutionEvent, HistoryEvent, StepResult } from '../asl/index.ts';
import { encodeHistory } from './history-codec.ts';
import { stateText } from './stored-state.ts';

/** The invocation as stored in a task row and handed to the integrations. */
export interface TaskInvocationRecord {
  readonly taskId: string;
  readonly stateName: string;
  readonly resource: string;
  readonly input: unknown;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

export function consumedBy(event: ExecutionEvent | undefined): { readonly timers: string[]; readonly tasks: string[] } {
  if (event === undefined) return { timers: [], tasks: [] };
  if (event.type === 'timerFired') return { timers: [event.timerId], tasks: [] };
  if (event.type === 'taskSucceeded' || event.type === 'taskFailed') return { timers: [], tasks: [event.taskId] };
  return { timers: [], tasks: [] };
}

/** The step's history events as one stored block (consecutive ids, as a step writes them). */
function historyOf(events: readonly HistoryEvent[]): StoredHistoryBlock | undefined {
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return undefined;
  return { firstId: first.id, lastId: last.id, text: encodeHistory(events) };
}

/** The execution a step is committed for. */
export interface CommitTarget {
  readonly arn: string;
  /** The counter the commit compares (the row's next_event_id before it). */
  readonly nextEventId: number;
  /** The row's `started_at` is the state's start time (`stored-state.ts`). */
  readonly startTimeInRow: boolean;
}

export function toCommit(execution: CommitTarget, result: StepResult, event: ExecutionEvent | undefined, now: number): StepCommit {
  const consumed = consumedBy(event);
  const addTimers: StoredTimer[] = [];
  const addTasks: StoredTask[] = [];
  const removeTimers = [...consumed.timers];
  const removeTasks = [...consumed.tasks];
  for (const effect of result.effects) {
    switch (effect.type) {
      case 'startTimer':
        addTimers.push({ execution: execution.arn, timerId: effect.timerId, dueAt: effect.dueAt });
        break;
      case 'cancelTimer':
        removeTimers.push(effect.timerId);
        break;
      case 'invokeTask': {
        const record: Mutable<TaskInvocationRecord> = { taskId: effect.taskId, stateName: effect.stateName, resource: effect.resource, input: effect.input };
        if (effect.taskToken !== undefined) record.taskToken = effect.taskToken;
        if (effect.timeoutSeconds !== undefined) record.timeoutSeconds = effect.timeoutSeconds;
        if (effect.heartbeatSeconds !== undefined) record.heartbeatSeconds = effect.heartbeatSeconds;
        const task: Mutable<StoredTask> = { execution: execution.arn, taskId: effect.taskId, invocation: JSON.stringify(record) };
        if (effect.taskToken !== undefined) task.token = effect.taskToken;
        addTasks.push(task);
        break;
      }
      case 'cancelTask':
        removeTasks.push(effect.taskId);
        break;
      default:
        break;
    }
  }
  const state = result.state;
  // Optional members set one by one: a literal of conditional spreads costs a copy per member.
  const commit: Mutable<StepCommit> = {
    execution: execution.arn,
    expectedEventId: execution.nextEventId,
    status: state.status as ExecutionStatusValue,
    state: stateText(state, execution.startTimeInRow),
    nextEventId: state.nextEventId,
    addTimers,
    removeTimers,
    addTasks,
    removeTasks,
  };
  if (state.output !== undefined) commit.output = JSON.stringify(state.output);
  if (state.error !== undefined) commit.error = state.error;
  if (state.cause !== undefined) commit.cause = state.cause;
  if (state.status !== 'RUNNING') commit.stoppedAt = now;
  const history = historyOf(result.events);
  if (history !== undefined) commit.history = history;
  return commit;
}
