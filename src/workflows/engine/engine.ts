/**
 * The workflow engine: Standard executions durable over the `WorkflowStore`
 * (`durable-engine.ts`: each transition stored exactly once, side effects at least once, a waiting
 * execution is a stored timer row), Express executions in memory (`express-engine.ts`: the same
 * interpreter and integrations, nothing serialized). A machine's type picks the engine at start;
 * afterwards the execution ARN does (`:execution:` or `:express:`), and a task token is looked up
 * in memory before the store.
 *
 * Concurrency contract: steps of one execution are serialized; executions interleave. `stop`
 * stops arming timers and awaits the steps and tasks in flight; task results that arrive after it
 * are dropped (Standard ones run again on the next start; Express executions end with the process).
 */
import type { StoredExecution, StoredStateMachine } from '../../storage/index.ts';
import type { HistoryEvent } from '../asl/index.ts';
import { createDurableEngine } from './durable-engine.ts';
import { createEngineContext, isExpressExecutionArn, type HistoryQuery, type StartRequest, type StartResult, type WorkflowEngineDeps } from './engine-context.ts';
import { createExpressEngine } from './express-engine.ts';
import type { TaskOutcome } from './task-runner.ts';

export { executionArn, expressExecutionArn, isExpressExecutionArn, stateMachineArn } from './engine-context.ts';
export type { HistoryQuery, StartRequest, StartResult, WorkflowEngineDeps, WorkflowScope } from './engine-context.ts';
export type { TaskClaimSource, TimerClaimSource } from './cluster-claims.ts';

export interface WorkflowEngine {
  /** Whether Express executions keep their history (`WorkflowEngineDeps.expressHistory`). */
  readonly expressHistory: boolean;
  /** Runs the Standard tasks left pending by the last process and arms the timer for stored waits. */
  start(): Promise<void>;
  startExecution(machine: StoredStateMachine, request: StartRequest): Promise<StartResult>;
  /** Starts an execution and resolves with it once it is no longer RUNNING (StartSyncExecution). */
  startSyncExecution(machine: StoredStateMachine, request: StartRequest): Promise<StoredExecution>;
  /** false when the execution is not running. */
  stopExecution(arn: string, error?: string, cause?: string): Promise<boolean>;
  /** Runs a FAILED/TIMED_OUT/ABORTED Standard execution again from where it stopped; false when it cannot be redriven. */
  redriveExecution(arn: string): Promise<boolean>;
  /** false when no running task has this token. */
  sendTaskResult(token: string, outcome: TaskOutcome): Promise<boolean>;
  /** Resolves with the execution once it is no longer RUNNING. */
  awaitCompletion(arn: string): Promise<StoredExecution>;
  /** A Standard execution from the store, or an Express one still in memory. */
  getExecution(arn: string): Promise<StoredExecution | undefined>;
  history(arn: string, query: HistoryQuery): Promise<readonly HistoryEvent[]>;
  /** Resolves when no step or task is in flight (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
  /** True once `stop` was called: ports that wait on their own (a retry) give up then. */
  stopping(): boolean;
}

export function createWorkflowEngine(deps: WorkflowEngineDeps): WorkflowEngine {
  let stopped = false;
  const ctx = createEngineContext(deps, () => stopped);
  const durable = createDurableEngine(ctx);
  const express = createExpressEngine(ctx);
  const runnerOf = (arn: string) => (isExpressExecutionArn(arn) ? express : durable);
  const runnerFor = (machine: StoredStateMachine) => (machine.type === 'EXPRESS' ? express : durable);

  const settle = async (): Promise<void> => {
    while (ctx.inFlight.size > 0) await ctx.inFlight.idle();
  };

  async function startDurableSync(machine: StoredStateMachine, request: StartRequest): Promise<StoredExecution> {
    let ended: ((e: StoredExecution) => void) | undefined;
    const end = new Promise<StoredExecution>((resolve) => (ended = resolve));
    await ctx.inFlight.track(durable.start(machine, request, ended));
    return end;
  }

  return {
    expressHistory: deps.expressHistory === true,
    start: () => durable.resume(),
    startExecution: (machine, request) => ctx.inFlight.track(runnerFor(machine).start(machine, request)),
    startSyncExecution(machine, request) {
      // Express: one promise, resolved when the execution ends.
      if (machine.type === 'EXPRESS') return express.startSync(machine, request);
      return startDurableSync(machine, request);
    },
    stopExecution: (arn, error, cause) => runnerOf(arn).stop(arn, error, cause),
    // As AWS: Express executions cannot be redriven.
    redriveExecution: async (arn) => !isExpressExecutionArn(arn) && (await durable.redrive(arn)),
    async sendTaskResult(token, outcome) {
      return (await express.sendTaskResult(token, outcome)) ?? (await durable.sendTaskResult(token, outcome)) ?? false;
    },
    awaitCompletion: (arn) => runnerOf(arn).awaitCompletion(arn),
    getExecution: (arn) => runnerOf(arn).getExecution(arn),
    history: (arn, query) => runnerOf(arn).history(arn, query),
    settle,
    stopping: () => stopped,
    async stop() {
      stopped = true;
      durable.disarm();
      express.close();
      await settle();
      await durable.leave();
    },
  };
}
