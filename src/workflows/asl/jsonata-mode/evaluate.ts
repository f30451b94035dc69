/**
 * JSONata mode: any string of the form `{% expression %}` inside a field's value is evaluated with
 * the `jsonata` package (AWS pins JSONata 2.0.6 semantics), with `$states` ({input, context,
 * result, errorOutput}), the workflow variables, and AWS's extension functions bound. Other
 * strings, numbers and structure are copied as they are.
 *
 * Failures are `States.QueryEvaluationError` with AWS's wording: "The JSONata expression '<expr>'
 * specified for the field 'Output/result' returned nothing (undefined)." or "... threw an error
 * during evaluation. T1006: Attempted to invoke a non-function".
 */
import jsonata from 'jsonata';
import { queryEvaluationError } from '../errors.ts';
import { isObject, toJson, type Json, type JsonObject } from '../json.ts';
import { awsJsonataFunctions, type JsonataEnv } from './functions.ts';
import { merged } from '../../../core/index.ts';

export interface StatesBinding {
  readonly input: Json;
  readonly context: Json;
  readonly result?: Json;
  readonly errorOutput?: Json;
}

export interface JsonataScope {
  readonly states: StatesBinding;
  /** Every variable visible from the state (inner scopes shadow outer ones). */
  readonly variables: Readonly<Record<string, Json>>;
  readonly env: JsonataEnv;
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;
const cache = new Map<string, jsonata.Expression>();
const CACHE_LIMIT = 5_000;

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

/** The expression between `{%` and `%}`, trimmed (AWS quotes it this way in error causes). */
export function expressionBody(text: string): string {
  return (EXPRESSION.exec(text)?.[1] ?? text).trim();
}

/** Compiles once per distinct text; throws the jsonata syntax error (with `code`, e.g. S0201). */
export function compileJsonata(body: string): jsonata.Expression {
  const hit = cache.get(body);
  if (hit !== undefined) return hit;
  const expression = jsonata(body);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(body, expression);
  return expression;
}

/** Evaluates every `{% %}` string inside `template`; `field` names it in errors (`Output`, `Assign/x`). */
export async function evaluateJsonataTemplate(template: Json, scope: JsonataScope, field: string): Promise<Json> {
  if (isJsonataExpression(template)) return evaluateJsonataExpression(template, scope, field);
  if (Array.isArray(template)) {
    const out: Json[] = [];
    for (let i = 0; i < template.length; i++) out.push(await evaluateJsonataTemplate(template[i] as Json, scope, `${field}/${i}`));
    return out;
  }
  if (isObject(template)) {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(template)) out[key] = await evaluateJsonataTemplate(value, scope, `${field}/${key}`);
    return out;
  }
  return template;
}

export async function evaluateJsonataExpression(text: string, scope: JsonataScope, field: string): Promise<Json> {
  const body = expressionBody(text);
  let raw: unknown;
  try {
    const expression = compileJsonata(body);
    const bindings: Record<string, unknown> = merged(scope.variables, functionsFor(scope.env));
    bindings['states'] = scope.states;
    raw = await expression.evaluate(scope.states.input, bindings);
  } catch (error) {
    throw queryEvaluationError(`The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${describe(error)}`);
  }
  let value: Json | undefined;
  try {
    value = toJson(raw);
  } catch (error) {
    throw queryEvaluationError(`The JSONata expression '${body}' specified for the field '${field}' returned a value that is not JSON: ${(error as Error).message}`);
  }
  if (value === undefined) throw queryEvaluationError(`The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`);
  return value;
}

const functionCache = new WeakMap<JsonataEnv, Record<string, unknown>>();

/** The extension functions for one environment, built once per environment object. */
function functionsFor(env: JsonataEnv): Record<string, unknown> {
  let functions = functionCache.get(env);
  if (functions === undefined) {
    functions = awsJsonataFunctions(env);
    functionCache.set(env, functions);
  }
  return functions;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    return typeof e.code === 'string' ? `${e.code}: ${message}` : message;
  }
  return String(error);
}
