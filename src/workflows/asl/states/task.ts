/**
 * Task: evaluates its input (Parameters / Arguments), asks the driver to invoke `Resource`, and
 * parks until the driver reports the outcome. `TimeoutSeconds` and `HeartbeatSeconds` become timer
 * effects; when one fires first the task fails with `States.Timeout` / `States.HeartbeatTimeout`.
 * A `.waitForTaskToken` resource gets a task token, visible as `$$.Task.Token`.
 */
import { effectiveInput, jsonataScope, pathScope, stateOutput } from '../data-flow.ts';
import { StatesError } from '../errors.ts';
import type { Phase } from '../execution-state.ts';
import { evaluateJsonataTemplate } from '../jsonata-mode/evaluate.ts';
import { evaluatePayloadTemplate } from '../jsonpath-mode/payload-template.ts';
import type { Json, JsonObject } from '../json.ts';
import { checkPayload, type StateCall } from '../run.ts';
import { numberField } from './numbers.ts';

export async function executeTask(call: StateCall): Promise<void> {
  const { def, run, act } = call;
  const resource = def.Resource as string;
  const taskToken = resource.endsWith('.waitForTaskToken') ? run.env.uuid() : undefined;
  const extras = taskToken === undefined ? {} : { taskToken };
  const input = await effectiveInput(call, extras);
  checkPayload(input, 'input');
  const timeoutSeconds = await numberField(call, 'TimeoutSeconds', act.input, { min: 1, integer: true });
  const heartbeatSeconds = await numberField(call, 'HeartbeatSeconds', act.input, { min: 1, integer: true });
  let credentials: Json | undefined;
  if (def.Credentials !== undefined) {
    credentials =
      call.language === 'JSONata'
        ? await evaluateJsonataTemplate(def.Credentials, jsonataScope(call, {}, extras), 'Credentials')
        : evaluatePayloadTemplate(def.Credentials, pathScope(call, input, extras), run.env);
  }

  const taskId = run.newId('task');
  const scheduled: JsonObject = { resource, parameters: input };
  if (timeoutSeconds !== undefined) scheduled['timeoutInSeconds'] = timeoutSeconds;
  if (heartbeatSeconds !== undefined) scheduled['heartbeatInSeconds'] = heartbeatSeconds;
  run.event(call.frame, 'TaskScheduled', scheduled);
  run.event(call.frame, 'TaskStarted', { resource });
  run.effect({
    type: 'invokeTask',
    taskId,
    stateName: act.state,
    resource,
    input,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
    ...(taskToken === undefined ? {} : { taskToken }),
    ...(credentials === undefined ? {} : { credentials }),
  });
  const phase: Phase = {
    kind: 'task',
    taskId,
    effectiveInput: input,
    ...(taskToken === undefined ? {} : { taskToken }),
    ...(timeoutSeconds === undefined ? {} : { timeoutTimerId: run.startTimer('taskTimeout', timeoutSeconds * 1000) }),
    ...(heartbeatSeconds === undefined ? {} : { heartbeatTimerId: run.startTimer('heartbeat', heartbeatSeconds * 1000), heartbeatSeconds }),
  };
  act.phase = phase;
}

/** Processes the outcome the driver reported (or a timeout). */
export async function continueTask(call: StateCall, phase: Extract<Phase, { kind: 'resume' }>): Promise<void> {
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
  run.event(frame, 'TaskSucceeded', { resource: call.def.Resource ?? '', output: outcome.result });
  checkPayload(outcome.result, 'result');
  const { output, assigned } = await stateOutput(call, outcome.result, true);
  run.exit(call, output, assigned);
}
