/**
 * Payload templates (`Parameters`, `ItemSelector`, `ResultSelector`, and `Assign` in JSONPath
 * mode): a JSON value copied as it is, except that a key ending in `.$` loses the suffix and its
 * value — a path or an intrinsic call — is evaluated. Keys are walked in nested objects and in
 * arrays.
 */
import { isObject, type Json, type JsonObject } from '../json.ts';
import type { IntrinsicEnv } from '../intrinsics/functions.ts';
import type { PathScope } from '../jsonpath/evaluate.ts';
import { evaluateDynamic } from './dynamic.ts';

export function evaluatePayloadTemplate(template: Json, scope: PathScope, env: IntrinsicEnv): Json {
  if (Array.isArray(template)) return template.map((item) => evaluatePayloadTemplate(item, scope, env));
  if (!isObject(template)) return template;
  const out: JsonObject = {};
  for (const key of Object.keys(template)) {
    const value = template[key] as Json;
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = evaluateDynamic(value, key, scope, env);
    } else {
      out[key] = evaluatePayloadTemplate(value, scope, env);
    }
  }
  return out;
}
