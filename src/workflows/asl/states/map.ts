/**
 * Inline Map: one iteration per item of `ItemsPath` (JSONPath) / `Items` (JSONata, default the
 * input), each with the item — or `ItemSelector` (legacy `Parameters`) applied to it, with
 * `$$.Map.Item.Index/Value` — as input. At most `MaxConcurrency` iterations run at once (0 =
 * unbounded); results keep item order. A failed iteration fails the state with its error unless
 * `ToleratedFailureCount/Percentage` allow it, in which case its slot holds `{Error, Cause}` and
 * exceeding the threshold is `States.ExceedToleratedFailureThreshold`.
 */
import { abortFrame } from '../abort.ts';
import { afterInputPath, jsonataScope, pathScope, stateOutput } from '../data-flow.ts';
import { queryEvaluationError, runtimeError, STATES_ERRORS } from '../errors.ts';
import type { Frame, MapPhase } from '../execution-state.ts';
import { evaluateJsonataTemplate } from '../jsonata-mode/evaluate.ts';
import { evaluatePath } from '../jsonpath/evaluate.ts';
import { compilePath } from '../jsonpath-mode/dynamic.ts';
import { evaluatePayloadTemplate } from '../jsonpath-mode/payload-template.ts';
import type { Json } from '../json.ts';
import { childGraphId, getGraph, itemProcessor } from '../machine.ts';
import type { StateCall } from '../run.ts';
import { ChildFailure } from '../state-errors.ts';
import { numberField } from './numbers.ts';

export async function executeMap(call: StateCall): Promise<void> {
  const { run, def, act, frame } = call;
  const jsonata = call.language === 'JSONata';
  for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter'] as const) {
    if (def[field] !== undefined) throw runtimeError(`The Map field '${field}' (distributed Map) is not supported by this interpreter`);
  }
  const filtered = jsonata ? act.input : afterInputPath(call);
  const items = jsonata ? await jsonataItems(call) : jsonPathItems(call, filtered);
  if (!Array.isArray(items)) {
    const message = `Map state input must be an array but was: ${JSON.stringify(items)}`;
    throw jsonata ? queryEvaluationError(message) : runtimeError(message);
  }
  const maxConcurrency = (await numberField(call, 'MaxConcurrency', filtered, { min: 0, integer: true })) ?? 0;
  const toleratedFailureCount = await numberField(call, 'ToleratedFailureCount', filtered, { min: 0, integer: true });
  const toleratedFailurePercentage = await numberField(call, 'ToleratedFailurePercentage', filtered, { min: 0, integer: false });
  const selector = def.ItemSelector ?? (jsonata ? undefined : def.Parameters);
  const inputs: Json[] = [];
  for (let index = 0; index < items.length; index++) {
    const value = items[index] as Json;
    if (selector === undefined) {
      inputs.push(value);
    } else if (jsonata) {
      inputs.push(await evaluateJsonataTemplate(selector, jsonataScope(call, {}, { mapItem: { index, value } }), 'ItemSelector'));
    } else {
      inputs.push(evaluatePayloadTemplate(selector, pathScope(call, filtered, { mapItem: { index, value } }), run.env));
    }
  }
  run.event(frame, 'MapStateStarted', { length: items.length });
  act.phase = {
    kind: 'map',
    inputs,
    running: {},
    results: inputs.map(() => null),
    nextIndex: 0,
    completed: 0,
    failures: 0,
    maxConcurrency,
    ...(toleratedFailureCount === undefined ? {} : { toleratedFailureCount }),
    ...(toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage }),
  };
}

function jsonPathItems(call: StateCall, filtered: Json): Json {
  const itemsPath = call.def.ItemsPath ?? '$';
  const found = evaluatePath(compilePath(itemsPath), pathScope(call, filtered));
  if (!found.found) throw runtimeError(`Invalid path '${itemsPath}' : No results for path: ${itemsPath}`);
  return found.value;
}

async function jsonataItems(call: StateCall): Promise<Json> {
  const items = call.def.Items;
  return items === undefined ? call.act.input : evaluateJsonataTemplate(items, jsonataScope(call), 'Items');
}

/** Starts iterations while there is room, drives the running ones, and finishes the state when all are done. */
export async function driveMap(call: StateCall, phase: MapPhase): Promise<boolean> {
  const { run } = call;
  const before = run.state.nextEventId;
  for (;;) {
    const mark = run.state.nextEventId;
    for (const key of Object.keys(phase.running).sort((a, b) => Number(a) - Number(b))) {
      await driveIteration(call, phase, Number(key));
    }
    while (phase.nextIndex < phase.inputs.length && (phase.maxConcurrency === 0 || Object.keys(phase.running).length < phase.maxConcurrency)) {
      const index = phase.nextIndex++;
      startIteration(call, phase, index);
      await driveIteration(call, phase, index);
    }
    if (phase.completed === phase.inputs.length) {
      run.event(call.frame, 'MapStateSucceeded');
      const { output, assigned } = await stateOutput(call, phase.results, true);
      run.exit(call, output, assigned);
      return true;
    }
    if (run.state.nextEventId === mark) return run.state.nextEventId !== before;
  }
}

function startIteration(call: StateCall, phase: MapPhase, index: number): void {
  const { run, graph, frame, act, def } = call;
  const graphId = childGraphId(graph, act.state);
  const processor = itemProcessor(def);
  if (processor === undefined) throw new Error(`Map state '${act.state}' has no ItemProcessor`);
  const child: Frame = { id: `${frame.id}/${act.state}[${index}]`, graph: graphId, variables: {}, status: 'running', lastEventId: frame.lastEventId };
  run.event(frame, 'MapIterationStarted', { name: act.state, index });
  child.lastEventId = frame.lastEventId;
  run.enter(child, getGraph(run.machine, graphId).startAt, phase.inputs[index] as Json);
  phase.running[String(index)] = child;
}

async function driveIteration(call: StateCall, phase: MapPhase, index: number): Promise<void> {
  const { run, chain, frame, act } = call;
  const child = phase.running[String(index)];
  if (child === undefined) return;
  // A distributed Map's child executions cannot see the parent's variables.
  const distributed = itemProcessor(call.def)?.ProcessorConfig?.Mode === 'DISTRIBUTED';
  await run.drive(child, distributed ? [child] : [...chain, child]);
  if (child.status === 'running') return;
  delete phase.running[String(index)];
  phase.completed++;
  if (child.status === 'succeeded') {
    phase.results[index] = child.output ?? null;
    run.event(frame, 'MapIterationSucceeded', { name: act.state, index });
    return;
  }
  const error = child.error ?? { error: null };
  run.event(frame, 'MapIterationFailed', { name: act.state, index });
  phase.failures++;
  phase.results[index] = { Error: error.error, Cause: error.cause ?? null };
  const tolerant = phase.toleratedFailureCount !== undefined || phase.toleratedFailurePercentage !== undefined;
  const overCount = phase.toleratedFailureCount !== undefined && phase.failures > phase.toleratedFailureCount;
  const overPercentage = phase.toleratedFailurePercentage !== undefined && (phase.failures * 100) / phase.inputs.length > phase.toleratedFailurePercentage;
  if (tolerant && !overCount && !overPercentage) return;
  for (const other of Object.values(phase.running)) abortFrame(run, other);
  const failure = tolerant
    ? { error: STATES_ERRORS.ExceedToleratedFailureThreshold, cause: `The number of failed items (${phase.failures}) exceeds the tolerated failure threshold.` }
    : error;
  run.event(frame, 'MapStateFailed', { error: failure.error, ...(failure.cause === undefined ? {} : { cause: failure.cause }) });
  throw new ChildFailure(failure.error, failure.cause);
}
