/**
 * A tiny in-memory driver: runs an execution to its end by carrying out the interpreter's
 * effects — calling a task handler, keeping timers on a virtual clock — and feeding the outcomes
 * back, one step at a time. Wait states and retry backoffs cost no real time: when nothing else
 * can happen, the clock jumps to the next timer. For tests, the conformance suite and embedding;
 * the durable engine replaces it.
 *
 * Task handlers run in zero virtual time: the driver awaits their promise before it moves the
 * clock. A handler that wants the clock to run while its task is pending (to exercise
 * TimeoutSeconds, HeartbeatSeconds or a callback) returns `PARK` and later calls `succeed`,
 * `fail` or `heartbeat` on its invocation — for example from a timer on the same virtual clock.
 * What such a timer reports while the driver moves the clock to its next timer is handled before
 * that timer fires (at the later time: the resolution is the driver's next timer).
 */
import { randomUUID } from 'node:crypto';
import { merged, VirtualClock } from '../../core/index.ts';
import type { Effect, ExecutionEvent, ExecutionState, ExecutionStatus, HistoryEvent, InterpreterEnv, StepResult } from './execution-state.ts';
import type { Json } from './json.ts';
import { compileMachine, type Machine } from './machine.ts';
import { startExecution, step, type StartOptions } from './step.ts';

export const PARK: unique symbol = Symbol('PARK');

export interface TaskInvocation {
  readonly taskId: string;
  readonly stateName: string;
  readonly resource: string;
  readonly input: Json;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  readonly credentials?: Json;
  /** For a parked task: report its result, its failure, or a heartbeat. */
  succeed(output: Json): void;
  fail(error: string | null, cause?: string): void;
  heartbeat(): void;
}

/** Returns the task's result, throws `TaskFailure` (or any error: `error` = its name), or returns `PARK`. */
export type TaskHandler = (invocation: TaskInvocation) => Json | typeof PARK | Promise<Json | typeof PARK>;

export class TaskFailure extends Error {
  override readonly name = 'TaskFailure';
  readonly error: string | null;
  readonly errorCause: string | undefined;

  constructor(error: string | null, cause?: string) {
    super(`${error ?? 'null'}${cause === undefined ? '' : `: ${cause}`}`);
    this.error = error;
    this.errorCause = cause;
  }
}

export interface RunOptions extends StartOptions {
  readonly taskHandler?: TaskHandler;
  /** The virtual clock; a new one (at 2026-01-01T00:00:00Z) when omitted. */
  readonly clock?: VirtualClock;
  readonly random?: () => number;
  readonly uuid?: () => string;
  /** Guard against runaway executions (default 100,000 steps). */
  readonly maxSteps?: number;
}

export interface RunOutcome {
  readonly status: ExecutionStatus;
  readonly output?: Json;
  readonly error?: string | null;
  readonly cause?: string;
  readonly events: readonly HistoryEvent[];
  readonly state: ExecutionState;
}

const noTaskHandler: TaskHandler = (invocation) => {
  throw new TaskFailure('States.TaskFailed', `No task handler is configured for resource '${invocation.resource}'`);
};

export async function runToCompletion(definition: unknown, input: Json, options: RunOptions = {}): Promise<RunOutcome> {
  const machine: Machine = isMachine(definition) ? definition : compileMachine(definition);
  const clock = options.clock ?? new VirtualClock();
  const env: InterpreterEnv = { now: () => clock.now(), random: options.random ?? Math.random, uuid: options.uuid ?? randomUUID };
  const handler = options.taskHandler ?? noTaskHandler;
  const timers = new Map<string, number>();
  const inbox: ExecutionEvent[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const cancelled = new Set<string>();
  const events: HistoryEvent[] = [];

  const post = (taskId: string, event: ExecutionEvent): void => {
    if (!cancelled.has(taskId)) inbox.push(event);
  };
  const perform = (effect: Effect): void => {
    switch (effect.type) {
      case 'startTimer':
        timers.set(effect.timerId, effect.dueAt);
        return;
      case 'cancelTimer':
        timers.delete(effect.timerId);
        return;
      case 'cancelTask':
        cancelled.add(effect.taskId);
        return;
      case 'invokeTask': {
        const { taskId } = effect;
        const invocation: TaskInvocation = merged(effect, {
          succeed: (output: Json) => post(taskId, { type: 'taskSucceeded', taskId, output }),
          fail: (error: string | null, cause?: string) => post(taskId, { type: 'taskFailed', taskId, error, ...(cause === undefined ? {} : { cause }) }),
          heartbeat: () => post(taskId, { type: 'taskHeartbeat', taskId }),
        });
        // The handler starts on a later microtask, so the task is registered before it can settle.
        const done = Promise.resolve()
          .then(() => handler(invocation))
          .then(
            (result) => {
              if (result !== PARK) invocation.succeed(result);
            },
            (thrown: unknown) => {
              if (thrown instanceof TaskFailure) invocation.fail(thrown.error, thrown.errorCause);
              else invocation.fail(thrown instanceof Error ? thrown.name : 'Error', thrown instanceof Error ? thrown.message : String(thrown));
            },
          )
          .finally(() => inFlight.delete(taskId));
        inFlight.set(taskId, done);
        return;
      }
      default:
        return;
    }
  };
  const absorb = (result: StepResult): ExecutionState => {
    events.push(...result.events);
    for (const effect of result.effects) perform(effect);
    return result.state;
  };

  let state = absorb(await startExecution(machine, input, options, env));
  const maxSteps = options.maxSteps ?? 100_000;
  for (let steps = 0; state.status === 'RUNNING'; steps++) {
    if (steps >= maxSteps) throw new Error(`the execution did not finish within ${maxSteps} steps`);
    let next = inbox.shift();
    if (next === undefined && inFlight.size > 0) {
      await Promise.race(inFlight.values());
      continue;
    }
    if (next === undefined) {
      const due = earliest(timers);
      if (due === undefined) throw new Error('the execution is waiting for something that will never happen (a parked task with no timeout)');
      if (due.dueAt > clock.now()) {
        await clock.advance(due.dueAt - clock.now());
        // Something the clock's own timers triggered (a parked task's heartbeat or result) goes first:
        // it may cancel this timer.
        if (inbox.length > 0 || inFlight.size > 0) continue;
      }
      timers.delete(due.timerId);
      next = { type: 'timerFired', timerId: due.timerId };
    }
    state = absorb(await step(machine, state, next, env));
  }
  return {
    status: state.status,
    ...(state.output === undefined ? {} : { output: state.output }),
    ...(state.error === undefined ? {} : { error: state.error }),
    ...(state.cause === undefined ? {} : { cause: state.cause }),
    events,
    state,
  };
}

function earliest(timers: ReadonlyMap<string, number>): { timerId: string; dueAt: number } | undefined {
  let best: { timerId: string; dueAt: number } | undefined;
  for (const [timerId, dueAt] of timers) if (best === undefined || dueAt < best.dueAt) best = { timerId, dueAt };
  return best;
}

function isMachine(value: unknown): value is Machine {
  return typeof value === 'object' && value !== null && 'graphs' in value && 'root' in value && 'definition' in value;
}
