/**
 * The durable workflow engine: drives the pure interpreter (`asl/step`) over the `WorkflowStore`.
 *
 * Promise: each transition is stored exactly once; side effects at least once. A step is computed
 * from the stored state, then its new state, history, timers and pending tasks are committed in
 * one transaction (compare-and-set on the event counter); only then are its effects started. A
 * task whose result was not committed before a crash is invoked again on start (at least once);
 * a timer is a stored row, fired by one clock timer armed for the earliest row, so a waiting
 * execution costs no CPU.
 *
 * Concurrency contract: steps of one execution are serialized (a per-execution queue); steps of
 * different executions interleave. `stop` stops arming timers and awaits the steps and tasks in
 * flight. Task results that arrive after `stop` are dropped; their tasks run again on next start.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Timer } from '../../core/index.ts';
import type { StoredExecution, StoredStateMachine, StoredTask, WorkflowStore } from '../../storage/index.ts';
import { compileMachine, redriveExecution as aslRedrive, startExecution as aslStart, step, TaskFailure, type ExecutionEvent, type ExecutionState, type InterpreterEnv, type Json, type Machine, type StepResult } from '../asl/index.ts';
import { integrationFor, type IntegrationPorts } from './integrations.ts';
import { toCommit, type TaskInvocationRecord } from './step-commit.ts';

export interface WorkflowScope {
  readonly region: string;
  readonly accountId: string;
}

export interface WorkflowEngineDeps {
  readonly store: WorkflowStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ports: IntegrationPorts;
  readonly scope: () => WorkflowScope;
  readonly random?: () => number;
  readonly uuid?: () => string;
}

export interface StartRequest {
  readonly name?: string;
  /** JSON text. */
  readonly input: string;
}

export interface WorkflowEngine {
  start(): Promise<void>;
  startExecution(machine: StoredStateMachine, request: StartRequest): Promise<{ readonly arn: string; readonly startedAt: number; readonly outcome: 'created' | 'exists-same-input' | 'exists' }>;
  /** false when the execution is not running. */
  stopExecution(arn: string, error?: string, cause?: string): Promise<boolean>;
  /** Runs a FAILED/TIMED_OUT/ABORTED execution again from where it stopped; false when it cannot be redriven. */
  redriveExecution(arn: string): Promise<boolean>;
  /** false when no running task has this token. */
  sendTaskResult(token: string, outcome: { readonly output: Json } | { readonly error: string | null; readonly cause?: string } | 'heartbeat'): Promise<boolean>;
  /** Resolves with the execution once it is no longer RUNNING. */
  awaitCompletion(arn: string): Promise<StoredExecution>;
  /** Resolves when no step or task is in flight (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_TIMER_MS = 60 * 60 * 1000;
const TIMER_PAGE = 500;
const MACHINE_CACHE = 200;

export const stateMachineArn = (scope: WorkflowScope, name: string): string => `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
export const executionArn = (scope: WorkflowScope, machine: string, name: string): string => `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machine}:${name}`;

export function createWorkflowEngine(deps: WorkflowEngineDeps): WorkflowEngine {
  const env: InterpreterEnv = { now: () => deps.clock.now(), random: deps.random ?? Math.random, uuid: deps.uuid ?? randomUUID };
  const machines = new Map<string, Machine>();
  const queues = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  const waiters = new Map<string, ((e: StoredExecution) => void)[]>();
  let armed: { readonly at: number; readonly timer: Timer } | undefined;
  let stopped = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  function machineFor(definition: string): Machine {
    let machine = machines.get(definition);
    if (machine === undefined) {
      machine = compileMachine(JSON.parse(definition));
      if (machines.size >= MACHINE_CACHE) machines.clear();
      machines.set(definition, machine);
    }
    return machine;
  }

  /** Runs `fn` after every step already queued for `arn`. */
  function serialized<T>(arn: string, fn: () => Promise<T>): Promise<T> {
    const previous = queues.get(arn) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    queues.set(arn, tail);
    void tail.then(() => {
      if (queues.get(arn) === tail) queues.delete(arn);
    });
    return track(next);
  }

  /** Starts what a committed step asked for. */
  function perform(arn: string, result: StepResult, tasks: readonly StoredTask[], finished: StoredExecution | undefined): void {
    for (const task of tasks) runTask(task);
    for (const effect of result.effects) if (effect.type === 'startTimer') arm(effect.dueAt);
    if (finished !== undefined) {
      for (const resolve of waiters.get(arn) ?? []) resolve(finished);
      waiters.delete(arn);
    }
  }

  /** Applies one event to a stored execution; answers false when it is not running. */
  function advance(arn: string, event: ExecutionEvent): Promise<boolean> {
    return serialized(arn, async () => {
      if (stopped) return false;
      const execution = await deps.store.getExecution(arn);
      if (execution === undefined || execution.status !== 'RUNNING') return false;
      const result = await step(machineFor(execution.definition), JSON.parse(execution.state) as ExecutionState, event, env);
      const now = deps.clock.now();
      const commit = toCommit(execution, result, event, now);
      if (!(await deps.store.commitStep(commit))) throw new Error(`execution ${arn} changed under its own queue`);
      const finished = commit.status !== 'RUNNING' ? await deps.store.getExecution(arn) : undefined;
      perform(arn, result, commit.addTasks, finished);
      return !result.ignored;
    });
  }

  function runTask(task: StoredTask): void {
    if (stopped) return;
    const record = JSON.parse(task.invocation) as TaskInvocationRecord;
    const report = (event: ExecutionEvent): Promise<unknown> => (stopped ? Promise.resolve() : advance(task.execution, event));
    void track(
      (async () => {
        const integration = integrationFor(record.resource, deps.ports);
        try {
          if (integration === undefined) throw new TaskFailure('States.TaskFailed', `Switchboard has no integration for resource ${record.resource}.`);
          const output = await integration(record.input as Json);
          // A callback task waits for SendTaskSuccess/Failure with its token.
          if (record.taskToken === undefined) await report({ type: 'taskSucceeded', taskId: record.taskId, output });
        } catch (error) {
          if (error instanceof TaskFailure) await report({ type: 'taskFailed', taskId: record.taskId, error: error.error, ...(error.errorCause !== undefined ? { cause: error.errorCause } : {}) });
          else await report({ type: 'taskFailed', taskId: record.taskId, error: error instanceof Error ? error.name : 'Error', cause: error instanceof Error ? error.message : String(error) });
        }
      })().catch((error: unknown) => deps.logger.log('error', 'workflow task report failed; it runs again on the next start', { execution: task.execution, task: record.taskId, error })),
    );
  }

  function arm(at: number): void {
    if (stopped || (armed !== undefined && armed.at <= at)) return;
    armed?.timer.cancel();
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, at - deps.clock.now()));
    armed = { at, timer: deps.clock.setTimer(wait, () => void track(fireTimers())) };
  }

  async function fireTimers(): Promise<void> {
    armed = undefined;
    if (stopped) return;
    try {
      for (;;) {
        const due = await deps.store.dueTimers(deps.clock.now(), TIMER_PAGE);
        await Promise.all(due.map((t) => advance(t.execution, { type: 'timerFired', timerId: t.timerId })));
        if (due.length < TIMER_PAGE) break;
      }
    } catch (error) {
      deps.logger.log('error', 'workflow timers failed; retried in a second', { error });
      arm(deps.clock.now() + 1000);
      return;
    }
    const next = await deps.store.nextTimerAt();
    if (next !== undefined) arm(next);
  }

  return {
    async start() {
      // Tasks whose outcome was not committed run again (at least once). A callback task is sent
      // again too: whether its integration call got out before the stop is not known.
      for (const task of await deps.store.pendingTasks()) runTask(task);
      await fireTimers();
    },

    async startExecution(machine, request) {
      const scope = deps.scope();
      const name = request.name ?? env.uuid();
      const arn = executionArn(scope, machine.name, name);
      const compiled = machineFor(machine.definition);
      const result = await aslStart(compiled, JSON.parse(request.input) as Json, { executionArn: arn, name, stateMachineArn: stateMachineArn(scope, machine.name), stateMachineName: machine.name, roleArn: machine.roleArn }, env);
      const now = deps.clock.now();
      const commit = toCommit({ arn, nextEventId: 1 }, result, undefined, now);
      const outcome = await serialized(arn, () =>
        deps.store.createExecution(
          { arn, machine: machine.name, name, status: commit.status, state: commit.state, definition: machine.definition, input: request.input, startedAt: now, nextEventId: commit.nextEventId, redriveCount: 0 },
          commit,
        ),
      );
      if (outcome === 'created') perform(arn, result, commit.addTasks, commit.status !== 'RUNNING' ? await deps.store.getExecution(arn) : undefined);
      const stored = outcome === 'created' ? undefined : await deps.store.getExecution(arn);
      return { arn, startedAt: stored?.startedAt ?? now, outcome };
    },

    stopExecution(arn, error, cause) {
      return advance(arn, { type: 'stopExecution', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    },

    redriveExecution(arn) {
      return serialized(arn, async () => {
        if (stopped) return false;
        const execution = await deps.store.getExecution(arn);
        if (execution === undefined) return false;
        const result = await aslRedrive(machineFor(execution.definition), JSON.parse(execution.state) as ExecutionState, env);
        if (result === undefined) return false;
        const commit = { ...toCommit(execution, result, undefined, deps.clock.now()), redriveCount: result.state.execution.redriveCount };
        if (!(await deps.store.commitStep(commit))) throw new Error(`execution ${arn} changed under its own queue`);
        perform(arn, result, commit.addTasks, commit.status !== 'RUNNING' ? await deps.store.getExecution(arn) : undefined);
        return true;
      });
    },

    async sendTaskResult(token, outcome) {
      const task = await deps.store.taskByToken(token);
      if (task === undefined) return false;
      const taskId = (JSON.parse(task.invocation) as TaskInvocationRecord).taskId;
      const event: ExecutionEvent =
        outcome === 'heartbeat'
          ? { type: 'taskHeartbeat', taskId }
          : 'output' in outcome
            ? { type: 'taskSucceeded', taskId, output: outcome.output }
            : { type: 'taskFailed', taskId, error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) };
      return advance(task.execution, event);
    },

    async awaitCompletion(arn) {
      const current = await deps.store.getExecution(arn);
      if (current === undefined) throw new Error(`no execution ${arn}`);
      if (current.status !== 'RUNNING') return current;
      return new Promise((resolve) => {
        const list = waiters.get(arn) ?? [];
        list.push(resolve);
        waiters.set(arn, list);
      });
    },

    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    async stop() {
      stopped = true;
      armed?.timer.cancel();
      armed = undefined;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
