/** Routes a state's activity to its type's handler. */
import type { StateCall } from '../run.ts';
import { executeChoice } from './choice.ts';
import { driveMap, executeMap } from './map.ts';
import { driveParallel, executeParallel } from './parallel.ts';
import { executePass } from './pass.ts';
import { continueTask, executeTask } from './task.ts';
import { executeFail, executeSucceed } from './terminal.ts';
import { executeWait, finishWait } from './wait.ts';

/** Runs a state whose activity is `ready` (just entered, or retried after a backoff). */
export async function executeState(call: StateCall): Promise<void> {
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
export async function continueState(call: StateCall): Promise<boolean> {
  const phase = call.act.phase;
  switch (phase.kind) {
    case 'resume':
      await continueTask(call, phase);
      return true;
    case 'waited':
      await finishWait(call);
      return true;
    case 'parallel':
      return driveParallel(call, phase);
    case 'map':
      return driveMap(call, phase);
    default:
      return false;
  }
}
