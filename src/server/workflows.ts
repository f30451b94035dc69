/**
 * Workflows wired to this process: the `WorkflowStore` (SQLite or PostgreSQL), the durable engine with its task
 * integrations (PutEvents on this server's bus, the app's functions, child executions, HTTP), the
 * Step Functions API, state machines declared in `defineApp({ workflows })` (or found as
 * `workflows/<Name>.asl.json`) created or updated at start and on reload, and the starter the
 * bus's state machine targets use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lambdaResult, SwitchboardError, type Clock, type Logger } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import type { BusApi } from '../bus/index.ts';
import type { WorkflowStarter } from '../bus/delivery/index.ts';
import type { WorkflowStore } from '../storage/index.ts';
import {
  checkDefinition,
  createSfnApi,
  createWorkflowEngine,
  machineNameOf,
  SfnRequestError,
  TaskFailure,
  type IntegrationPorts,
  type Json,
  type JsonObject,
  type SfnApi,
  type TaskClaimSource,
  type TimerClaimSource,
  type WorkflowEngine,
} from '../workflows/index.ts';
import { invokeHandler, type FunctionLoader } from './app-functions.ts';
import type { TableService } from '../tables/index.ts';
import { runTableTask } from './workflow-tables.ts';
import { retryInternalFailures } from './internal-retry.ts';

export interface WorkflowWiring {
  readonly store: WorkflowStore;
  /** Cluster mode: timers and orphaned tasks claimed across nodes (`backend.ts`). */
  readonly timerClaims?: TimerClaimSource;
  readonly taskClaims?: TaskClaimSource;
  readonly app: () => AppDefinition;
  readonly tables: () => TableService;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly busApi: BusApi;
  readonly functions: FunctionLoader;
  /** Publish / invalidate for the `arn:switchboard:states:::realtime:*` tasks. */
  readonly realtime?: IntegrationPorts['realtime'];
}

export interface Workflows {
  readonly store: WorkflowStore;
  readonly engine: WorkflowEngine;
  readonly api: SfnApi;
  readonly startForTarget: WorkflowStarter;
  syncConfig(app: AppDefinition): Promise<void>;
}

const ACCOUNT = '000000000000';
const DEFAULT_ROLE = `arn:aws:iam::${ACCOUNT}:role/switchboard-workflows`;

interface WorkflowConfig {
  readonly definition: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly roleArn: string;
  readonly where: string;
}

/** `${Name}` placeholders replaced as CloudFormation's DefinitionSubstitutions do (textually). */
function substitute(text: string, substitutions: Readonly<Record<string, unknown>>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => (key in substitutions ? String(substitutions[key]) : whole));
}

function declaredWorkflows(app: AppDefinition): Map<string, WorkflowConfig> {
  const out = new Map<string, WorkflowConfig>();
  const fail = (where: string, expected: string): never => {
    throw new SwitchboardError('SB_CONFIG_INVALID', `${app.configFile}: ${where} expects ${expected}`);
  };
  for (const [name, raw] of Object.entries(app.workflows)) {
    const where = `workflows.${name}`;
    if (raw === null || typeof raw !== 'object') fail(where, 'an object { definition, type?, roleArn?, definitionSubstitutions? }');
    const w = raw as Record<string, unknown>;
    const def = w['definition'];
    let text: string;
    if (typeof def === 'string') {
      const file = join(app.dir, def);
      if (!existsSync(file)) fail(`${where}.definition`, `a file of the app (${def} does not exist)`);
      text = readFileSync(file, 'utf8');
    } else if (def !== null && typeof def === 'object') text = JSON.stringify(def);
    else text = fail(`${where}.definition`, 'a path to an .asl.json file or the definition object');
    const subs = w['definitionSubstitutions'];
    if (subs !== undefined && (subs === null || typeof subs !== 'object')) fail(`${where}.definitionSubstitutions`, 'an object');
    const type = w['type'] ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') fail(`${where}.type`, "'STANDARD' or 'EXPRESS'");
    out.set(name, { definition: substitute(text, (subs ?? {}) as Record<string, unknown>), type: type as 'STANDARD' | 'EXPRESS', roleArn: typeof w['roleArn'] === 'string' ? w['roleArn'] : DEFAULT_ROLE, where });
  }
  // Files under workflows/ that no declaration names are machines too, named after the file.
  const declaredFiles = new Set(Object.values(app.workflows).map((w) => (typeof w === 'object' && w !== null ? (w as Record<string, unknown>)['definition'] : undefined)));
  const dir = join(app.dir, 'workflows');
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.asl.json') || declaredFiles.has(`workflows/${file}`)) continue;
      const name = file.slice(0, -'.asl.json'.length);
      if (!out.has(name)) out.set(name, { definition: readFileSync(join(dir, file), 'utf8'), type: 'STANDARD', roleArn: DEFAULT_ROLE, where: `workflows/${file}` });
    }
  }
  return out;
}

export function createWorkflows(w: WorkflowWiring): Workflows {
  const store = w.store;
  const scope = () => ({ region: w.app().region, accountId: ACCOUNT });
  let engine: WorkflowEngine;

  const ports: IntegrationPorts = {
    async putEvents(entries) {
      // An InternalException is our own outage (see internal-retry.ts): repeated, not a failure.
      const answer = await retryInternalFailures(w.clock, async () => {
        const a = await w.busApi.handle({ target: 'AWSEvents.PutEvents', body: JSON.stringify({ Entries: entries }), caller: scope() });
        // Once the engine is stopping, no more waiting: the task stays pending for the next start.
        return { retry: a.status >= 500 && !engine.stopping(), value: a };
      });
      const body = JSON.parse(answer.body) as { Entries: JsonObject[]; FailedEntryCount: number; __type?: string; message?: string };
      if (answer.status !== 200) throw new TaskFailure(`EventBridge.${body.__type ?? 'EventBridgeException'}`, body.message ?? answer.body);
      return body;
    },
    async invokeFunction(name, payload) {
      const handler = await w.functions(w.app(), name);
      if (handler === undefined) throw new TaskFailure('Lambda.ResourceNotFoundException', `Function not found: arn:aws:lambda:${scope().region}:${ACCOUNT}:function:${name}`);
      try {
        // Lambda's result, its JSON (core/lambda-result.ts). Handed on as it was, a value JSON
        // cannot hold made the step's commit throw, and the task's report was retried forever.
        return lambdaResult(await invokeHandler(handler, name, payload)) as Json;
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        throw new TaskFailure(e.name, JSON.stringify({ errorMessage: e.message, errorType: e.name }));
      }
    },
    table: (operation, input) => runTableTask(w.app(), w.tables(), operation, input),
    ...(w.realtime !== undefined ? { realtime: w.realtime } : {}),
    async startExecution(params, mode) {
      const arn = params['StateMachineArn'];
      if (typeof arn !== 'string') throw new TaskFailure('States.Runtime', 'StateMachineArn must be a string');
      const machine = await store.getStateMachine(machineNameOf(arn));
      if (machine === undefined) throw new TaskFailure('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${arn}'`);
      const input = params['Input'];
      const name = params['Name'];
      const request = { input: typeof input === 'string' ? input : JSON.stringify(input ?? {}), ...(typeof name === 'string' ? { name } : {}) };
      if (mode === 'request') {
        const started = await engine.startExecution(machine, request);
        return { ExecutionArn: started.arn, StartDate: started.startedAt };
      }
      // An Express child is only kept in memory for a while: wait on it through the sync call.
      const done = machine.type === 'EXPRESS' ? await engine.startSyncExecution(machine, request) : await engine.awaitCompletion((await engine.startExecution(machine, request)).arn);
      const json = (text: string | undefined): Json => (text === undefined ? null : mode === 'sync:2' ? (JSON.parse(text) as Json) : text);
      const out: JsonObject = { ExecutionArn: done.arn, StateMachineArn: arn, Name: done.name, Status: done.status, StartDate: done.startedAt, StopDate: done.stoppedAt ?? null, Input: json(done.input), Output: json(done.output) };
      if (done.status !== 'SUCCEEDED') throw new TaskFailure('States.TaskFailed', JSON.stringify({ ...out, Error: done.error ?? null, Cause: done.cause ?? null }));
      return out;
    },
  };

  engine = createWorkflowEngine({ store, clock: w.clock, logger: w.logger, ports, scope, ...(w.timerClaims !== undefined ? { timerClaims: w.timerClaims } : {}), ...(w.taskClaims !== undefined ? { taskClaims: w.taskClaims } : {}) });
  const api = createSfnApi({ store, engine, clock: w.clock, scope });

  return {
    store,
    engine,
    api,
    async startForTarget(machineName, input, name) {
      const machine = await store.getStateMachine(machineName);
      if (machine === undefined) return 'missing';
      await engine.startExecution(machine, { input, name });
      return 'ok';
    },
    async syncConfig(app) {
      for (const [name, wf] of declaredWorkflows(app)) {
        try {
          checkDefinition(wf.definition);
        } catch (error) {
          if (error instanceof SfnRequestError) throw new SwitchboardError('SB_CONFIG_INVALID', `${app.configFile}: ${wf.where}: ${error.message}`);
          throw error;
        }
        const now = w.clock.now();
        const outcome = await store.createStateMachine({ name, definition: wf.definition, roleArn: wf.roleArn, type: wf.type, createdAt: now, updatedAt: now, revision: 1 });
        if (outcome === 'exists') {
          const stored = await store.getStateMachine(name);
          if (stored?.definition !== wf.definition || stored.roleArn !== wf.roleArn) await store.updateStateMachine(name, { definition: wf.definition, roleArn: wf.roleArn }, now);
        }
      }
    },
  };
}
