/**
 * Wait: `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath` (JSONata: `Seconds`/`Timestamp`
 * as values or expressions). The interpreter never sleeps: it asks for a timer and leaves the
 * state when the driver reports it fired. A wait that is already over proceeds at once.
 * Recorded errors: `SecondsPath` → `-1` "references a negative value", `1.5` "cannot be parsed
 * as a long value".
 */
import { afterInputPath, jsonataScope, pathScope, pathStateOutput, stateOutput } from '../data-flow.ts';
import { queryEvaluationError, runtimeError } from '../errors.ts';
import { evaluateJsonataTemplate } from '../jsonata-mode/evaluate.ts';
import { evaluatePath } from '../jsonpath/evaluate.ts';
import { compilePath } from '../jsonpath-mode/dynamic.ts';
import type { Json } from '../json.ts';
import type { StateCall } from '../run.ts';
import { instantToMillis, parseTimestamp } from '../timestamp.ts';

export async function executeWait(call: StateCall): Promise<void> {
  const { run, act } = call;
  const dueAt = await waitUntil(call);
  if (dueAt <= run.env.now()) {
    await finishWait(call);
    return;
  }
  act.phase = { kind: 'wait', timerId: run.startTimer('wait', dueAt - run.env.now()) };
}

export function finishWait(call: StateCall): void | Promise<void> {
  if (call.language === 'JSONata') return finishJsonataWait(call);
  const { output, assigned } = pathStateOutput(call, afterInputPath(call), false);
  call.run.exit(call, output, assigned);
}

async function finishJsonataWait(call: StateCall): Promise<void> {
  const { output, assigned } = await stateOutput(call, call.act.input, false);
  call.run.exit(call, output, assigned);
}

async function waitUntil(call: StateCall): Promise<number> {
  const { def, run } = call;
  const now = run.env.now();
  if (call.language === 'JSONata') {
    const scope = jsonataScope(call);
    if (def.Seconds !== undefined) {
      const seconds = await evaluateJsonataTemplate(def.Seconds, scope, 'Seconds');
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw queryEvaluationError(`The field 'Seconds' must be a non-negative integer, but was: ${JSON.stringify(seconds)}`);
      }
      return now + seconds * 1000;
    }
    const stamp = await evaluateJsonataTemplate(def.Timestamp ?? null, scope, 'Timestamp');
    const instant = typeof stamp === 'string' ? parseTimestamp(stamp) : undefined;
    if (instant === undefined) throw queryEvaluationError(`The field 'Timestamp' must be an ISO-8601 extended offset date-time string, but was: ${JSON.stringify(stamp)}`);
    return instantToMillis(instant);
  }
  if (typeof def.Seconds === 'number') return now + def.Seconds * 1000;
  if (def.Timestamp !== undefined) {
    const instant = parseTimestamp(def.Timestamp);
    if (instant === undefined) throw runtimeError(`The Timestamp '${def.Timestamp}' is not a valid ISO-8601 extended offset date-time format string`);
    return instantToMillis(instant);
  }
  const scope = pathScope(call, afterInputPath(call));
  if (def.SecondsPath !== undefined) {
    const value = read(def.SecondsPath, 'SecondsPath', scope);
    const shown = `${def.SecondsPath} == ${JSON.stringify(value)}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${shown}`);
    if (value < 0) throw runtimeError(`The SecondsPath parameter references a negative value: ${shown}`);
    return now + value * 1000;
  }
  const path = def.TimestampPath as string;
  const value = read(path, 'TimestampPath', scope);
  const instant = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (instant === undefined) {
    throw runtimeError(`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${JSON.stringify(value)}`);
  }
  return instantToMillis(instant);
}

function read(text: string, field: string, scope: ReturnType<typeof pathScope>): Json {
  const found = evaluatePath(compilePath(text), scope);
  if (!found.found) throw runtimeError(`The ${field} parameter does not reference an existing value: ${text}`);
  return found.value;
}
