/**
 * Numeric fields that may come from a literal, a `...Path` field (JSONPath) or an expression
 * (JSONata): TimeoutSeconds, HeartbeatSeconds, MaxConcurrency, ToleratedFailure*.
 */
import { jsonataScope, pathScope } from '../data-flow.ts';
import { queryEvaluationError, runtimeError } from '../errors.ts';
import { evaluateJsonataTemplate } from '../jsonata-mode/evaluate.ts';
import type { Json } from '../json.ts';
import { evaluatePath } from '../jsonpath/evaluate.ts';
import { compilePath } from '../jsonpath-mode/dynamic.ts';
import type { StateCall } from '../run.ts';

export interface NumberFieldRule {
  /** Smallest accepted value. */
  readonly min: number;
  readonly integer: boolean;
}

/**
 * Reads `field` (or `field + 'Path'` against `input`); `undefined` when neither is set. A bad value
 * from a path is `States.Runtime` ("The MaxConcurrencyPath field refers to value \"NoNumber\"
 * which is not a valid integer: $.MaxConcurrencyValue", recorded).
 */
export function numberField(call: StateCall, field: string, input: Json, rule: NumberFieldRule): number | undefined | Promise<number | undefined> {
  const def = call.def as unknown as Record<string, Json | undefined>;
  const literal = def[field];
  // Only a JSONata expression needs awaiting; the other forms are read at once.
  if (literal !== undefined && call.language === 'JSONata') return jsonataNumberField(call, field, literal, rule);
  if (literal !== undefined) {
    if (!valid(literal, rule)) throw runtimeError(invalidLiteral(field, literal, rule));
    return literal as number;
  }
  const pathText = def[PATH_FIELDS[field] ?? `${field}Path`];
  if (typeof pathText !== 'string') return undefined;
  const found = evaluatePath(compilePath(pathText), pathScope(call, input));
  const value = found.found ? found.value : null;
  if (!valid(value, rule)) {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    throw runtimeError(`The ${field}Path field refers to value "${shown}" which is not a valid ${rule.integer ? 'integer' : 'number'}: ${pathText}`);
  }
  return value as number;
}

async function jsonataNumberField(call: StateCall, field: string, literal: Json, rule: NumberFieldRule): Promise<number> {
  const value = await evaluateJsonataTemplate(literal, jsonataScope(call), field);
  if (!valid(value, rule)) throw queryEvaluationError(invalidLiteral(field, value, rule));
  return value as number;
}

function invalidLiteral(field: string, value: Json, rule: NumberFieldRule): string {
  return `The ${field} field must be ${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}, but was: ${JSON.stringify(value)}`;
}

/** `<field>Path` of the usual fields, spelled once (a built key is looked up more slowly). */
const PATH_FIELDS: Readonly<Record<string, string>> = {
  TimeoutSeconds: 'TimeoutSecondsPath',
  HeartbeatSeconds: 'HeartbeatSecondsPath',
  MaxConcurrency: 'MaxConcurrencyPath',
  ToleratedFailureCount: 'ToleratedFailureCountPath',
  ToleratedFailurePercentage: 'ToleratedFailurePercentagePath',
};

function valid(value: Json, rule: NumberFieldRule): boolean {
  return typeof value === 'number' && value >= rule.min && (!rule.integer || Number.isInteger(value));
}
