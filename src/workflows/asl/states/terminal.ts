/**
 * Succeed ends its frame with its (filtered) input. Fail ends it with an error: `Error`/`Cause`
 * literals, `ErrorPath`/`CausePath` (a path or an intrinsic call, recorded
 * `test_state_fail_intrinsic`), or JSONata expressions; a Fail without `Error` reports `null`.
 */
import { afterInputPath, jsonataScope, pathScope, pathStateOutput, stateOutput } from '../data-flow.ts';
import { StatesError } from '../errors.ts';
import { evaluateJsonataTemplate } from '../jsonata-mode/evaluate.ts';
import { evaluateDynamic } from '../jsonpath-mode/dynamic.ts';
import type { Json } from '../json.ts';
import type { StateCall } from '../run.ts';

export function executeSucceed(call: StateCall): void | Promise<void> {
  if (call.language === 'JSONata') return executeJsonataSucceed(call);
  const { output } = pathStateOutput(call, afterInputPath(call), false);
  call.run.exit(call, output, undefined);
}

async function executeJsonataSucceed(call: StateCall): Promise<void> {
  const { output } = await stateOutput(call, call.act.input, false);
  call.run.exit(call, output, undefined);
}

export async function executeFail(call: StateCall): Promise<void> {
  const { def, run, frame, act } = call;
  let error: Json | undefined = def.Error;
  let cause: Json | undefined = def.Cause;
  if (call.language === 'JSONata') {
    const scope = jsonataScope(call);
    if (error !== undefined) error = await evaluateJsonataTemplate(error, scope, 'Error');
    if (cause !== undefined) cause = await evaluateJsonataTemplate(cause, scope, 'Cause');
  } else {
    const scope = pathScope(call, act.input);
    if (def.ErrorPath !== undefined) error = evaluateDynamic(def.ErrorPath, 'ErrorPath', scope, run.env);
    if (def.CausePath !== undefined) cause = evaluateDynamic(def.CausePath, 'CausePath', scope, run.env);
  }
  const failure = new StatesError(error === undefined ? null : asText(error), cause === undefined ? undefined : asText(cause));
  run.failFrame(frame, { error: failure.error, ...(failure.errorCause === undefined ? {} : { cause: failure.errorCause }) });
}

function asText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
