/**
 * Which states of an execution were visited and how they ended, from its history: a state entered
 * and exited is `succeeded` (`recovered` if it failed on the way: retried or caught); a state
 * still open is `running` while the execution runs, `failed` (or `aborted`) when the execution
 * ended in it. States never entered have no status. Transitions taken are the pairs (a state
 * exited, the next state entered after it).
 */
import type { HistoryEvent } from './types.ts';

export type StateStatus = 'succeeded' | 'running' | 'failed' | 'recovered' | 'aborted';

function stateName(event: HistoryEvent): string | undefined {
  for (const key of ['stateEnteredEventDetails', 'stateExitedEventDetails']) {
    const details = event[key] as { name?: unknown } | undefined;
    if (typeof details?.name === 'string') return details.name;
  }
  return undefined;
}

const isStateFailure = (type: string): boolean => !type.startsWith('Execution') && !type.startsWith('MapIteration') && (type.endsWith('Failed') || type.endsWith('TimedOut'));

export interface ExecutionProgress {
  readonly statuses: ReadonlyMap<string, StateStatus>;
  /** `transitionKey(from, to)` of each transition the execution took. */
  readonly transitions: ReadonlySet<string>;
}

export const transitionKey = (from: string, to: string): string => `${from}\n${to}`;

export function executionProgress(history: readonly HistoryEvent[], executionStatus: string): ExecutionProgress {
  const statuses = new Map<string, StateStatus>();
  const transitions = new Set<string>();
  let exited: string | undefined;
  const open: string[] = [];
  const failedIn = new Set<string>();
  for (const event of history) {
    const type = event.type;
    if (type.endsWith('StateEntered')) {
      const name = stateName(event);
      if (name === undefined) continue;
      if (exited !== undefined) transitions.add(transitionKey(exited, name));
      exited = undefined;
      open.push(name);
      statuses.set(name, 'running');
    } else if (type.endsWith('StateExited')) {
      const name = stateName(event);
      if (name === undefined) continue;
      exited = name;
      const at = open.lastIndexOf(name);
      if (at >= 0) open.splice(at, 1);
      // A Map's iterations enter the same states many times: it runs while any copy is open.
      if (!open.includes(name)) statuses.set(name, failedIn.has(name) ? 'recovered' : 'succeeded');
    } else if (isStateFailure(type)) {
      const current = open[open.length - 1];
      if (current !== undefined) failedIn.add(current);
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
      for (const name of open) statuses.set(name, type === 'ExecutionAborted' ? 'aborted' : 'failed');
      open.length = 0;
    }
  }
  if (executionStatus !== 'RUNNING' && executionStatus !== 'PENDING_REDRIVE') {
    const ended: StateStatus = executionStatus === 'ABORTED' ? 'aborted' : executionStatus === 'SUCCEEDED' ? 'succeeded' : 'failed';
    for (const name of open) statuses.set(name, ended);
  }
  return { statuses, transitions };
}
