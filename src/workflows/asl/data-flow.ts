/**
 * A state's input and output processing, in both query languages.
 *
 * JSONPath: `input → InputPath → Parameters → [work] → ResultSelector → ResultPath (into the raw
 * input) → OutputPath → output`; `Assign` sees the result after ResultSelector as `$`.
 *
 * JSONata: `Arguments` (default: the raw input) go to the work; `Output` (default:
 * `$states.result`, or the input for states without a result) is the output; `Assign` and
 * `Output` both see `$states.input`, `$states.result` and the variables as they were when the
 * state was entered.
 */
import { contextObject, type ContextExtras } from './context-object.ts';
import type { Json, JsonObject } from './json.ts';
import type { PathScope } from './jsonpath/evaluate.ts';
import { compilePath, selectPath } from './jsonpath-mode/dynamic.ts';
import { evaluatePayloadTemplate } from './jsonpath-mode/payload-template.ts';
import { setAtReferencePath } from './jsonpath/reference-path.ts';
import { evaluateJsonataTemplate, type JsonataScope, type StatesBinding } from './jsonata-mode/evaluate.ts';
import { lookupVariable, visibleVariables, type StateCall } from './run.ts';

export interface StateOutput {
  readonly output: Json;
  readonly assigned: JsonObject | undefined;
}

/**
 * A state's JSONPath scope. The context object is built when a path first reads `$$` (most never
 * do), and variables are looked up through the frames directly.
 */
class StatePathScope implements PathScope {
  readonly input: Json;
  readonly #call: StateCall;
  readonly #extras: ContextExtras | undefined;
  #context: JsonObject | undefined;

  constructor(call: StateCall, input: Json, extras: ContextExtras | undefined) {
    this.input = input;
    this.#call = call;
    this.#extras = extras;
  }

  get context(): JsonObject {
    return (this.#context ??= contextObject(this.#call.run.state.execution, this.#call.act, this.#extras));
  }

  variable(name: string): Json | undefined {
    return lookupVariable(this.#call.chain, name);
  }
}

export function pathScope(call: StateCall, input: Json, extras?: ContextExtras): PathScope {
  return new StatePathScope(call, input, extras);
}

export function jsonataScope(call: StateCall, states: Omit<StatesBinding, 'input' | 'context'> = {}, extras?: ContextExtras): JsonataScope {
  const { run, act, chain } = call;
  return {
    states: { input: act.input, context: contextObject(run.state.execution, act, extras), ...states },
    variables: visibleVariables(chain),
    env: run.env,
  };
}

/** JSONPath: the raw input after `InputPath`. */
export function afterInputPath(call: StateCall): Json {
  const inputPath = call.def.InputPath;
  return inputPath === undefined ? call.act.input : selectPath(inputPath, pathScope(call, call.act.input));
}

/**
 * The input a state works on: InputPath + Parameters, or the JSONata Arguments. Computed at once
 * in JSONPath mode (a promise only for JSONata, which the `jsonata` package evaluates
 * asynchronously): the handlers of JSONPath states run without awaiting anything.
 */
export function effectiveInput(call: StateCall, extras?: ContextExtras): Json | Promise<Json> {
  const { def, run } = call;
  if (call.language === 'JSONata') {
    return def.Arguments === undefined ? call.act.input : evaluateJsonataTemplate(def.Arguments, jsonataScope(call, {}, extras), 'Arguments');
  }
  const filtered = afterInputPath(call);
  return def.Parameters === undefined ? filtered : evaluatePayloadTemplate(def.Parameters, pathScope(call, filtered, extras), run.env);
}

/**
 * The output of a state that produced `result` (a task's result, a Pass state's Result, the
 * branches' outputs). `withResultPath` is false for states without ResultSelector/ResultPath
 * (Choice, Wait, Succeed), whose output is their filtered input. A promise only in JSONata mode.
 */
export function stateOutput(call: StateCall, result: Json, withResultPath: boolean): StateOutput | Promise<StateOutput> {
  return call.language === 'JSONata' ? jsonataStateOutput(call, result, withResultPath) : pathStateOutput(call, result, withResultPath);
}

async function jsonataStateOutput(call: StateCall, result: Json, withResultPath: boolean): Promise<StateOutput> {
  const { def, act } = call;
  const scope = jsonataScope(call, withResultPath ? { result } : {});
  const assigned = def.Assign === undefined ? undefined : ((await evaluateJsonataTemplate(def.Assign, scope, 'Assign')) as JsonObject);
  const fallback = withResultPath ? result : act.input;
  const output = def.Output === undefined ? fallback : await evaluateJsonataTemplate(def.Output, scope, 'Output');
  return { output, assigned };
}

/** `stateOutput` in JSONPath mode. */
export function pathStateOutput(call: StateCall, result: Json, withResultPath: boolean): StateOutput {
  const { def, run, act } = call;
  const selected = withResultPath && def.ResultSelector !== undefined ? evaluatePayloadTemplate(def.ResultSelector, pathScope(call, result), run.env) : result;
  let merged = selected;
  if (withResultPath && def.ResultPath !== undefined) {
    merged = def.ResultPath === null ? act.input : setAtReferencePath(act.input, compilePath(def.ResultPath), selected);
  }
  const output = def.OutputPath === undefined ? merged : selectPath(def.OutputPath, pathScope(call, merged));
  const assigned = def.Assign === undefined ? undefined : (evaluatePayloadTemplate(def.Assign, pathScope(call, selected), run.env) as JsonObject);
  return { output, assigned };
}
