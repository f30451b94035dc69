/**
 * Task: evaluates its input (Parameters / Arguments), asks the driver to invoke `Resource`, and
 * parks until the driver reports the outcome. `TimeoutSeconds` and `HeartbeatSeconds` become timer
 * effects; when one fires first the task fails with `States.Timeout` / `States.HeartbeatTimeout`.
 * A `.waitForTaskToken` resource gets a task token, visible as `$$.Task.Token`.
 */
import { effectiveInput, jsonataScope, pathScope, pathStateOutput, stateOutput } from '../data-flow.ts';
import { StatesError } from '../errors.ts';
import type { Phase } from '../execution-state.ts';
import { evaluateJsonataTemplate } from '../jsonata-mode/evaluate.ts';
import { evaluatePayloadTemplate } from '../jsonpath-mode/payload-template.ts';
import type { Json, JsonObject } from '../json.ts';
import { checkPayload, type StateCall } from '../run.ts';
import { numberField } from './numbers.ts';

export function executeTask(call: StateCall): void | Promise<void> {
  if (call.language === 'JSONata') return executeJsonataTask(call);
  const { def, run, act } = call;
  const resource = def.Resource as string;
  const taskToken = resource.endsWith('.waitForTaskToken') ? run.env.uuid() : undefined;
  const extras = taskToken === undefined ? undefined : { taskToken };
  const input = effectiveInput(call, extras) as Json;
  checkPayload(input, 'input');
  const timeoutSeconds = numberField(call, 'TimeoutSeconds', act.input, TIMEOUT_RULE) as number | undefined;
  const heartbeatSeconds = numberField(call, 'HeartbeatSeconds', act.input, TIMEOUT_RULE) as number | undefined;
  const credentials = def.Credentials === undefined ? undefined : evaluatePayloadTemplate(def.Credentials, pathScope(call, input, extras), run.env);
  scheduleTask(call, resource, input, taskToken, timeoutSeconds, heartbeatSeconds, credentials);
}

/** `executeTask` in JSONata mode: the same steps, awaiting the expressions. */
async function executeJsonataTask(call: StateCall): Promise<void> {
  const { def, run, act } = call;
  const resource = def.Resource as string;
  const taskToken = resource.endsWith('.waitForTaskToken') ? run.env.uuid() : undefined;
  const extras = taskToken === undefined ? {} : { taskToken };
  const input = await effectiveInput(call, extras);
  checkPayload(input, 'input');
  const timeoutSeconds = await numberField(call, 'TimeoutSeconds', act.input, TIMEOUT_RULE);
  const heartbeatSeconds = await numberField(call, 'HeartbeatSeconds', act.input, TIMEOUT_RULE);
  const credentials = def.Credentials === undefined ? undefined : await evaluateJsonataTemplate(def.Credentials, jsonataScope(call, {}, extras), 'Credentials');
  scheduleTask(call, resource, input, taskToken, timeoutSeconds, heartbeatSeconds, credentials);
}

const TIMEOUT_RULE = { min: 1, integer: true } as const;

/** Asks the driver to invoke the task and parks the state until it reports. */
function scheduleTask(
  call: StateCall,
  resource: string,
  input: Json,
  taskToken: string | undefined,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
  credentials: Json | undefined,
): void {
  const { run, act } = call;
  const taskId = run.newId('task');
  if (run.history) {
    const scheduled: JsonObject = { resource, parameters: input };
    if (timeoutSeconds !== undefined) scheduled['timeoutInSeconds'] = timeoutSeconds;
    if (heartbeatSeconds !== undefined) scheduled['heartbeatInSeconds'] = heartbeatSeconds;
    run.event(call.frame, 'TaskScheduled', scheduled);
    run.event(call.frame, 'TaskStarted', { resource });
  } else {
    run.event(call.frame, '');
    run.event(call.frame, '');
  }
  // The common task (no timeouts, no token, no credentials) without the spreads of optional fields.
  const plain = timeoutSeconds === undefined && heartbeatSeconds === undefined && taskToken === undefined && credentials === undefined;
  run.effect(
    plain
      ? { type: 'invokeTask', taskId, stateName: act.state, resource, input }
      : {
          type: 'invokeTask',
          taskId,
          stateName: act.state,
          resource,
          input,
          ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
          ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
          ...(taskToken === undefined ? {} : { taskToken }),
          ...(credentials === undefined ? {} : { credentials }),
        },
  );
  const phase: Phase = plain
    ? { kind: 'task', taskId }
    : {
        kind: 'task',
        taskId,
        ...(taskToken === undefined ? {} : { taskToken }),
        ...(timeoutSeconds === undefined ? {} : { timeoutTimerId: run.startTimer('taskTimeout', timeoutSeconds * 1000) }),
        ...(heartbeatSeconds === undefined ? {} : { heartbeatTimerId: run.startTimer('heartbeat', heartbeatSeconds * 1000), heartbeatSeconds }),
      };
  act.phase = phase;
}

/** Processes the outcome the driver reported (or a timeout); a promise only in JSONata mode. */
export function continueTask(call: StateCall, phase: Extract<Phase, { kind: 'resume' }>): void | Promise<void> {
  const { run, frame, act } = call;
  const outcome = phase.outcome;
  if (!outcome.ok) {
    const details: JsonObject = { resource: call.def.Resource ?? '', error: outcome.error };
    if (outcome.cause !== undefined) details['cause'] = outcome.cause;
    const timedOut = outcome.error === 'States.Timeout' || outcome.error === 'States.HeartbeatTimeout';
    run.event(frame, timedOut ? 'TaskTimedOut' : 'TaskFailed', details);
    act.phase = { kind: 'ready' };
    throw new StatesError(outcome.error, outcome.cause);
  }
  run.event(frame, 'TaskSucceeded', run.history ? { resource: call.def.Resource ?? '', output: outcome.result } : undefined);
  checkPayload(outcome.result, 'result');
  if (call.language === 'JSONata') return exitJsonata(call, outcome.result);
  const { output, assigned } = pathStateOutput(call, outcome.result, true);
  run.exit(call, output, assigned);
}

async function exitJsonata(call: StateCall, result: Json): Promise<void> {
  const { output, assigned } = await stateOutput(call, result, true);
  call.run.exit(call, output, assigned);
}
