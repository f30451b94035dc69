/**
 * One task invocation, as both engines run it: the integration for its resource is called with
 * its input, and the outcome becomes the event to feed back to the execution. A callback task
 * (`.waitForTaskToken`) feeds back nothing: it waits for SendTaskSuccess/Failure with its token.
 */
import { TaskFailure, type ExecutionEvent, type Json } from '../asl/index.ts';
import type { Integration } from './integrations.ts';

/** What a task needs to run (an `invokeTask` effect, or the record stored for it). */
export interface TaskCall {
  readonly taskId: string;
  readonly resource: string;
  readonly input: unknown;
  readonly taskToken?: string;
}

/** `integrations` answers the integration of a resource (undefined: Switchboard has none). */
export async function runTaskCall(call: TaskCall, integrations: (resource: string) => Integration | undefined): Promise<ExecutionEvent | undefined> {
  const integration = integrations(call.resource);
  try {
    if (integration === undefined) throw new TaskFailure('States.TaskFailed', `Switchboard has no integration for resource ${call.resource}.`);
    const output = await integration(call.input as Json);
    return call.taskToken === undefined ? { type: 'taskSucceeded', taskId: call.taskId, output } : undefined;
  } catch (error) {
    return failureEvent(call.taskId, error);
  }
}

/** The event of a task whose integration threw `error`. */
export function failureEvent(taskId: string, error: unknown): ExecutionEvent {
  if (error instanceof TaskFailure) return { type: 'taskFailed', taskId, error: error.error, ...(error.errorCause !== undefined ? { cause: error.errorCause } : {}) };
  return { type: 'taskFailed', taskId, error: error instanceof Error ? error.name : 'Error', cause: error instanceof Error ? error.message : String(error) };
}

/** The event a SendTaskSuccess/Failure/Heartbeat makes for task `taskId`. */
export type TaskOutcome = { readonly output: Json } | { readonly error: string | null; readonly cause?: string } | 'heartbeat';

export function outcomeEvent(taskId: string, outcome: TaskOutcome): ExecutionEvent {
  if (outcome === 'heartbeat') return { type: 'taskHeartbeat', taskId };
  if ('output' in outcome) return { type: 'taskSucceeded', taskId, output: outcome.output };
  return { type: 'taskFailed', taskId, error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) };
}
