/**
 * The values a JSONPath-mode field evaluates: a path (`$.a`, `$$.Execution.Id`, `$var.x`) or an
 * intrinsic call (`States.Format(...)`). Each distinct text is parsed once.
 */
import { runtimeError } from '../errors.ts';
import type { Json } from '../json.ts';
import { evaluateIntrinsic } from '../intrinsics/evaluate.ts';
import type { IntrinsicEnv } from '../intrinsics/functions.ts';
import { looksLikeIntrinsic, parseIntrinsic, type IntrinsicCall } from '../intrinsics/parse.ts';
import { evaluatePath, type PathScope } from '../jsonpath/evaluate.ts';
import { jaywayPathText, parseJsonPath, type JsonPath } from '../jsonpath/parse.ts';

export type Dynamic = { readonly kind: 'path'; readonly path: JsonPath } | { readonly kind: 'intrinsic'; readonly call: IntrinsicCall };

const pathCache = new Map<string, JsonPath>();
const dynamicCache = new Map<string, Dynamic>();
const CACHE_LIMIT = 10_000;

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Parses a path once per distinct text; throws `JsonPathSyntaxError`. */
export function compilePath(text: string): JsonPath {
  return remember(pathCache, text, () => parseJsonPath(text));
}

/** Parses a path or an intrinsic call once per distinct text; throws a syntax error. */
export function compileDynamic(text: string): Dynamic {
  return remember(dynamicCache, text, () =>
    looksLikeIntrinsic(text) ? { kind: 'intrinsic', call: parseIntrinsic(text) } : { kind: 'path', path: parseJsonPath(text) },
  );
}

/**
 * Evaluates a `.$` value. A path that finds nothing is `States.Runtime` with AWS's wording
 * ("The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{...}'").
 */
export function evaluateDynamic(text: string, field: string, scope: PathScope, env: IntrinsicEnv): Json {
  const dynamic = compileDynamic(text);
  if (dynamic.kind === 'intrinsic') return evaluateIntrinsic(dynamic.call, scope, env, (path) => notFound(path, field, scope));
  const result = evaluatePath(dynamic.path, scope);
  if (!result.found) return notFound(dynamic.path, field, scope);
  return result.value;
}

function notFound(path: JsonPath, field: string, scope: PathScope): never {
  throw runtimeError(`The JSONPath '${path.text}' specified for the field '${field}' could not be found in the input '${JSON.stringify(scope.input)}'`);
}

/**
 * InputPath / OutputPath: `null` gives `{}`; a path that finds nothing is `States.Runtime` with
 * Jayway's wording ("Invalid path '$.x' : No results for path: $['x']").
 */
export function selectPath(text: string | null | undefined, scope: PathScope): Json {
  if (text === undefined) return scope.input;
  if (text === null) return {};
  const path = compilePath(text);
  const result = evaluatePath(path, scope);
  if (!result.found) throw runtimeError(`Invalid path '${text}' : No results for path: ${jaywayPathText(path)}`);
  return result.value;
}
