/**
 * JSON values as the interpreter sees them: everything that crosses a state boundary is plain JSON
 * (no `undefined`, no functions, no class instances), so an execution state can be persisted as
 * text and read back unchanged.
 */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values; object key order is ignored, `1` equals `1.0`. */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i] as Json, b[i] as Json)) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(b, k) || !jsonEquals(a[k] as Json, b[k] as Json)) return false;
    }
    return true;
  }
  return false;
}

export function cloneJson<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** Compact JSON text, as AWS renders values inside error causes. */
export function jsonText(value: Json): string {
  return JSON.stringify(value);
}

/**
 * Java's `toString` of the value Jackson would have produced: objects as `{k=v, k2=v2}`, arrays as
 * `[a, b]`. AWS renders non-string `States.Format` arguments this way (recorded
 * `test_format_2`: `{Arg1=1, Arg2=[]}`).
 */
export function javaToString(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaToString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Converts what a JSONata expression returned into plain JSON; `undefined` means "nothing". */
export function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`the number ${String(value)} cannot be represented in JSON`);
    return value === 0 ? 0 : value; // -0 is 0 in JSON
  }
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      const converted = toJson(item);
      if (converted !== undefined) out.push(converted);
    }
    return out;
  }
  if (typeof value === 'function') throw new TypeError('a function cannot be represented in JSON');
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = toJson(v);
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  }
  throw new TypeError(`a ${typeof value} cannot be represented in JSON`);
}
