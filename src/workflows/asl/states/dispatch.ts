/** Routes a state's activity to its type's handler. */
import type { StateCall } from '../run.ts';
import { executeChoice } from './choice.ts';
import { driveMap, executeMap } from './map.ts';
import { driveParallel, executeParallel } from './parallel.ts';
import { executePass } from './pass.ts';
import { continueTask, executeTask } from './task.ts';
import { executeFail, executeSucceed } from './terminal.ts';
import { executeWait, finishWait } from './wait.ts';

/**
 * Runs a state whose activity is `ready` (just entered, or retried after a backoff). A promise
 * only when the state awaits something (JSONata, Parallel, Map): JSONPath Pass, Task, Choice,
 * Succeed and Fail states run to the end at once.
 */
export function executeState(call: StateCall): void | Promise<void> {
  switch (call.def.Type) {
    case 'Pass':
      return executePass(call);
    case 'Task':
      return executeTask(call);
    case 'Choice':
      return executeChoice(call);
    case 'Wait':
      return executeWait(call);
    case 'Succeed':
      return executeSucceed(call);
    case 'Fail':
      return executeFail(call);
    case 'Parallel':
      return executeParallel(call);
    case 'Map':
      return executeMap(call);
  }
}

/** Moves a state that was waiting on something; false when it is still waiting. */
export function continueState(call: StateCall): boolean | Promise<boolean> {
  const phase = call.act.phase;
  switch (phase.kind) {
    case 'resume':
      return moved(continueTask(call, phase));
    case 'waited':
      return moved(finishWait(call));
    case 'parallel':
      return driveParallel(call, phase);
    case 'map':
      return driveMap(call, phase);
    default:
      return false;
  }
}

function moved(pending: void | Promise<void>): true | Promise<true> {
  return pending === undefined ? true : pending.then(() => true);
}
