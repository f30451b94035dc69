/**
 * What the two execution engines (durable Standard, in-memory Express) share: the dependencies
 * given to `createWorkflowEngine`, the interpreter environment, the compiled-machine cache, the
 * in-flight work counter and the stop flag; and the ARNs they mint.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '../../core/index.ts';
import type { StoredExecution, StoredStateMachine, WorkflowStore } from '../../storage/index.ts';
import { compileMachine, type HistoryEvent, type InterpreterEnv, type Json, type Machine } from '../asl/index.ts';
import type { TaskClaimSource, TimerClaimSource } from './cluster-claims.ts';
import { InFlight } from './in-flight.ts';
import { integrationFor, type Integration, type IntegrationPorts } from './integrations.ts';
import type { TaskOutcome } from './task-runner.ts';

export interface WorkflowScope {
  readonly region: string;
  readonly accountId: string;
}

export interface WorkflowEngineDeps {
  /** Standard executions live here; Express ones only in memory. */
  readonly store: WorkflowStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ports: IntegrationPorts;
  readonly scope: () => WorkflowScope;
  readonly random?: () => number;
  readonly uuid?: () => string;
  /**
   * Keep the history events of Express executions so that GetExecutionHistory answers them (AWS
   * has no history API for Express executions). Off by default: it costs throughput.
   */
  readonly expressHistory?: boolean;
  /** Cluster mode: due timers are claimed through this, and polled (see `cluster-claims.ts`); default `store.dueTimers`. */
  readonly timerClaims?: TimerClaimSource;
  /** Cluster mode: tasks are resumed only when orphaned by a dead node (see `cluster-claims.ts`); default every `pendingTasks()` at start. */
  readonly taskClaims?: TaskClaimSource;
}

export interface StartRequest {
  readonly name?: string;
  /** JSON text. */
  readonly input: string;
  /**
   * `JSON.parse(input)`, when the caller has it already (the API parses the input to validate it):
   * spares parsing it again. The engine shares it and never mutates it; neither may the caller.
   */
  readonly value?: Json;
}

export interface StartResult {
  readonly arn: string;
  readonly startedAt: number;
  readonly outcome: 'created' | 'exists-same-input' | 'exists';
}

export interface HistoryQuery {
  readonly after?: number;
  readonly limit: number;
  readonly reverse?: boolean;
}

/** What each engine does for the executions it owns. */
export interface ExecutionRunner {
  start(machine: StoredStateMachine, request: StartRequest, onEnd?: (execution: StoredExecution) => void): Promise<StartResult>;
  stop(arn: string, error?: string, cause?: string): Promise<boolean>;
  /** undefined when the token is not one of this engine's. */
  sendTaskResult(token: string, outcome: TaskOutcome): Promise<boolean | undefined>;
  awaitCompletion(arn: string): Promise<StoredExecution>;
  getExecution(arn: string): Promise<StoredExecution | undefined>;
  history(arn: string, query: HistoryQuery): Promise<readonly HistoryEvent[]>;
}

export interface EngineContext {
  readonly deps: WorkflowEngineDeps;
  readonly env: InterpreterEnv;
  readonly inFlight: InFlight;
  machineFor(definition: string): Machine;
  /** The integration of a task resource (cached: resources repeat). */
  integration(resource: string): Integration | undefined;
  stopped(): boolean;
}

const MACHINE_CACHE = 200;
const INTEGRATION_CACHE = 500;

export function createEngineContext(deps: WorkflowEngineDeps, stopped: () => boolean): EngineContext {
  const machines = new Map<string, Machine>();
  const integrations = new Map<string, Integration | undefined>();
  return {
    deps,
    env: { now: () => deps.clock.now(), random: deps.random ?? Math.random, uuid: deps.uuid ?? randomUUID },
    inFlight: new InFlight(),
    stopped,
    machineFor(definition) {
      let machine = machines.get(definition);
      if (machine === undefined) {
        machine = compileMachine(JSON.parse(definition));
        if (machines.size >= MACHINE_CACHE) machines.clear();
        machines.set(definition, machine);
      }
      return machine;
    },
    integration(resource) {
      if (integrations.has(resource)) return integrations.get(resource);
      const integration = integrationFor(resource, deps.ports);
      if (integrations.size >= INTEGRATION_CACHE) integrations.clear();
      integrations.set(resource, integration);
      return integration;
    },
  };
}

export const stateMachineArn = (scope: WorkflowScope, name: string): string => `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
export const executionArn = (scope: WorkflowScope, machine: string, name: string): string => `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machine}:${name}`;
/** AWS's form for Express executions: names need not be unique, so an id follows the name. */
export const expressExecutionArn = (scope: WorkflowScope, machine: string, name: string, id: string): string => `arn:aws:states:${scope.region}:${scope.accountId}:express:${machine}:${name}:${id}`;
export const isExpressExecutionArn = (arn: string): boolean => /^arn:aws[a-z-]*:states:[^:]*:[^:]*:express:/.test(arn);
