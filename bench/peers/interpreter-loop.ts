/**
 * The pure interpreter driven by the smallest possible loop: `startExecution`, then `step` with each
 * task's result, no engine, no history kept, no timers (the bench machines have no Wait). What an
 * in-memory engine could reach at best with this interpreter: bench/workflows prints it as the
 * ceiling of Express executions.
 */
import { randomUUID } from 'node:crypto';
import { compileMachine, startExecution, step, type Json, type StepResult } from '../../src/workflows/index.ts';

export function interpreterLoop(definition: object, handler: (input: unknown) => unknown): (input: Json) => Promise<Json | undefined> {
  const machine = compileMachine(definition);
  const env = { now: () => Date.now(), random: Math.random, uuid: randomUUID };
  return async (input) => {
    let result: StepResult = await startExecution(machine, input, {}, env);
    while (result.state.status === 'RUNNING') {
      const task = result.effects.find((e) => e.type === 'invokeTask');
      if (task?.type !== 'invokeTask') throw new Error('the bench machines only wait for tasks');
      const output = (await handler(task.input)) as Json;
      result = await step(machine, result.state, { type: 'taskSucceeded', taskId: task.taskId, output }, env);
    }
    if (result.state.status !== 'SUCCEEDED') throw new Error(`interpreter loop: ${result.state.status}`);
    return result.state.output;
  };
}
