/**
 * What happens when a state raises an error: Task, Parallel and Map states consult `Retry` (a
 * backoff timer, then the state runs again from its raw input) and then `Catch` (the error output
 * `{Error, Cause}` goes to the catcher's `Next`, through its ResultPath / Output and Assign);
 * anything else, and any error they do not handle, fails the frame.
 */
import { merged } from '../../core/index.ts';
import type { Catcher } from './definition.ts';
import { pathScope, jsonataScope } from './data-flow.ts';
import { StatesError, STATES_ERRORS, stateErrorCause, TERMINAL_ERRORS } from './errors.ts';
import { evaluateJsonataTemplate } from './jsonata-mode/evaluate.ts';
import { evaluatePayloadTemplate } from './jsonpath-mode/payload-template.ts';
import { compilePath } from './jsonpath-mode/dynamic.ts';
import { setAtReferencePath } from './jsonpath/reference-path.ts';
import type { Json, JsonObject } from './json.ts';
import { findCatcher, findRetrier, retryDelayMs } from './retry.ts';
import type { StateCall } from './run.ts';
import { stateEventTypes } from './state-event-types.ts';

/** A Parallel branch or Map iteration failed: the state fails with the child's error as it is. */
export class ChildFailure extends StatesError {}

const HANDLES_ERRORS = new Set(['Task', 'Parallel', 'Map']);

export async function handleStateError(call: StateCall, raised: StatesError): Promise<void> {
  const { run, frame, act, def } = call;
  const error = raised.error;
  const cause = raised.raisedByInterpreter && raised.errorCause !== undefined ? stateErrorCause(act.state, act.enteredEventId, raised.errorCause) : raised.errorCause;
  const withCause = (details: JsonObject): JsonObject => (cause === undefined ? details : merged(details, { cause }));
  if (raised.raisedByInterpreter && error === STATES_ERRORS.QueryEvaluationError) {
    run.event(frame, 'EvaluationFailed', withCause({ state: act.state, error }));
  }
  if ((def.Type === 'Map' || def.Type === 'Parallel') && !(raised instanceof ChildFailure) && error !== STATES_ERRORS.Runtime) {
    run.event(frame, stateEventTypes(def.Type).failed, withCause({ error }));
  }

  if (HANDLES_ERRORS.has(def.Type) && (error === null || !TERMINAL_ERRORS.has(error))) {
    const retrierIndex = findRetrier(def.Retry, error);
    const retrier = def.Retry?.[retrierIndex];
    if (retrier !== undefined) {
      const attempts = act.retryAttempts[retrierIndex] ?? 0;
      if (attempts < (retrier.MaxAttempts ?? 3)) {
        act.retryAttempts[retrierIndex] = attempts + 1;
        act.retryCount++;
        act.phase = { kind: 'backoff', timerId: run.startTimer('retry', retryDelayMs(retrier, attempts + 1, run.env.random)) };
        return;
      }
    }
    const catcher = findCatcher(def.Catch, error);
    if (catcher !== undefined) {
      try {
        await applyCatcher(call, catcher, { Error: error, Cause: cause ?? null });
      } catch (thrown) {
        if (!(thrown instanceof StatesError)) throw thrown;
        const innerCause = thrown.raisedByInterpreter && thrown.errorCause !== undefined ? stateErrorCause(act.state, act.enteredEventId, thrown.errorCause) : thrown.errorCause;
        run.failFrame(frame, { error: thrown.error, ...(innerCause === undefined ? {} : { cause: innerCause }) });
      }
      return;
    }
  }
  run.failFrame(frame, { error, ...(cause === undefined ? {} : { cause }) });
}

async function applyCatcher(call: StateCall, catcher: Catcher, errorOutput: JsonObject): Promise<void> {
  const { run, act } = call;
  let output: Json;
  let assigned: JsonObject | undefined;
  if (call.language === 'JSONata') {
    const scope = jsonataScope(call, { errorOutput });
    assigned = catcher.Assign === undefined ? undefined : ((await evaluateJsonataTemplate(catcher.Assign, scope, 'Assign')) as JsonObject);
    output = catcher.Output === undefined ? errorOutput : await evaluateJsonataTemplate(catcher.Output, scope, 'Output');
  } else {
    const resultPath = catcher.ResultPath;
    output = resultPath === undefined ? errorOutput : resultPath === null ? act.input : setAtReferencePath(act.input, compilePath(resultPath), errorOutput);
    assigned = catcher.Assign === undefined ? undefined : (evaluatePayloadTemplate(catcher.Assign, pathScope(call, errorOutput), run.env) as JsonObject);
  }
  run.exit(call, output, assigned, catcher.Next);
}
