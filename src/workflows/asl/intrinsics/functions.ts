/**
 * The 18 `States.*` intrinsic functions, with the quirks AWS shows in recorded executions:
 * `MathAdd` rounds each operand like Java's `Math.round` before adding, `StringSplit` splits on
 * every character of its delimiter argument and drops empty tokens, `StringToJson` of a blank
 * string is `null`, `Format` renders objects Java-style (`{a=1, b=[]}`).
 *
 * Bad arguments raise `States.IntrinsicFailure` (the name the Developer Guide gives; no failing
 * call was recorded on AWS).
 */
import { createHash } from 'node:crypto';
import { merged } from '../../../core/index.ts';
import { intrinsicFailure } from '../errors.ts';
import { isObject, javaToString, jsonEquals, toJson, type Json } from '../json.ts';

export interface IntrinsicEnv {
  /** A uniform random number in [0, 1). */
  readonly random: () => number;
  /** A random (version 4) UUID. */
  readonly uuid: () => string;
}

/** A call's arguments, evaluated; string literals also carry their raw text for `States.Format`. */
export interface IntrinsicValue {
  readonly value: Json;
  readonly raw?: string;
}

type Impl = (args: readonly IntrinsicValue[], env: IntrinsicEnv) => Json;

const MAX_ARRAY = 1000;
const MAX_TEXT = 10_000;
const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export const INTRINSICS: Readonly<Record<string, Impl>> = {
  'States.Format': (args) => {
    const [template, ...values] = args;
    if (template === undefined || typeof template.value !== 'string') throw fail('States.Format', 'the first argument must be a string');
    return format(template.raw ?? escapeForFormat(template.value), values.map((v) => v.value));
  },
  'States.StringToJson': (args) => {
    const s = str('States.StringToJson', one('States.StringToJson', args));
    if (s.trim() === '') return null;
    try {
      return toJson(JSON.parse(s)) ?? null;
    } catch {
      throw fail('States.StringToJson', `the argument is not valid JSON: '${s}'`);
    }
  },
  'States.JsonToString': (args) => JSON.stringify(one('States.JsonToString', args)),
  'States.Array': (args) => args.map((a) => a.value),
  'States.ArrayPartition': (args) => {
    const [arr, size] = count('States.ArrayPartition', args, 2);
    const items = array('States.ArrayPartition', arr);
    const n = int('States.ArrayPartition', size);
    if (n <= 0) throw fail('States.ArrayPartition', `the chunk size must be greater than 0, got ${n}`);
    const out: Json[] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    return out;
  },
  'States.ArrayContains': (args) => {
    const [arr, value] = count('States.ArrayContains', args, 2);
    return array('States.ArrayContains', arr).some((item) => jsonEquals(item, value));
  },
  'States.ArrayRange': (args) => {
    const [first, last, step] = count('States.ArrayRange', args, 3).map((v) => int('States.ArrayRange', v)) as [number, number, number];
    if (step === 0) throw fail('States.ArrayRange', 'the step must not be 0');
    const out: number[] = [];
    for (let i = first; step > 0 ? i <= last : i >= last; i += step) {
      out.push(i);
      if (out.length > MAX_ARRAY) throw fail('States.ArrayRange', `the result would have more than ${MAX_ARRAY} items`);
    }
    return out;
  },
  'States.ArrayGetItem': (args) => {
    const [arr, index] = count('States.ArrayGetItem', args, 2);
    const items = array('States.ArrayGetItem', arr);
    const i = int('States.ArrayGetItem', index);
    if (i < 0 || i >= items.length) throw fail('States.ArrayGetItem', `the index ${i} is out of bounds for an array of ${items.length} items`);
    return items[i] as Json;
  },
  'States.ArrayLength': (args) => array('States.ArrayLength', one('States.ArrayLength', args)).length,
  'States.ArrayUnique': (args) => {
    const out: Json[] = [];
    for (const item of array('States.ArrayUnique', one('States.ArrayUnique', args))) {
      if (!out.some((seen) => jsonEquals(seen, item))) out.push(item);
    }
    return out;
  },
  'States.Base64Encode': (args) => Buffer.from(text('States.Base64Encode', one('States.Base64Encode', args)), 'utf8').toString('base64'),
  'States.Base64Decode': (args) => {
    const s = text('States.Base64Decode', one('States.Base64Decode', args));
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw fail('States.Base64Decode', 'the argument is not valid base64');
    return Buffer.from(s, 'base64').toString('utf8');
  },
  'States.Hash': (args) => {
    const [data, algorithm] = count('States.Hash', args, 2);
    const alg = HASHES[str('States.Hash', algorithm)];
    if (alg === undefined) throw fail('States.Hash', `the algorithm must be one of ${Object.keys(HASHES).join(', ')}`);
    const input = typeof data === 'string' ? data : JSON.stringify(data);
    if (input.length > MAX_TEXT) throw fail('States.Hash', `the input is longer than ${MAX_TEXT} characters`);
    return createHash(alg).update(input, 'utf8').digest('hex');
  },
  'States.JsonMerge': (args) => {
    const [a, b, deep] = count('States.JsonMerge', args, 3);
    if (!isObject(a) || !isObject(b)) throw fail('States.JsonMerge', 'both values to merge must be JSON objects');
    if (deep !== false) throw fail('States.JsonMerge', 'only a shallow merge (false) is supported');
    return merged(a, b);
  },
  'States.MathRandom': (args, env) => {
    if (args.length < 2 || args.length > 3) throw fail('States.MathRandom', `expected 2 or 3 arguments, got ${args.length}`);
    const start = javaRound(num('States.MathRandom', args[0]?.value ?? null));
    const end = javaRound(num('States.MathRandom', args[1]?.value ?? null));
    if (end < start) throw fail('States.MathRandom', 'the end must not be less than the start');
    const r = args.length === 3 ? seeded(javaRound(num('States.MathRandom', args[2]?.value ?? null))) : env.random();
    return start + Math.floor(r * (end - start + 1));
  },
  'States.MathAdd': (args) => {
    const [a, b] = count('States.MathAdd', args, 2);
    return javaRound(num('States.MathAdd', a)) + javaRound(num('States.MathAdd', b));
  },
  'States.StringSplit': (args) => {
    const [s, delimiters] = count('States.StringSplit', args, 2);
    const input = str('States.StringSplit', s);
    const set = new Set(str('States.StringSplit', delimiters));
    const out: string[] = [];
    let token = '';
    for (const c of input) {
      if (set.has(c)) {
        if (token !== '') out.push(token);
        token = '';
      } else {
        token += c;
      }
    }
    if (token !== '') out.push(token);
    return out;
  },
  'States.UUID': (args, env) => {
    count('States.UUID', args, 0);
    return env.uuid();
  },
};

/** Java's `Math.round`: halves round up, toward positive infinity (`-1.5` → `-1`). */
export function javaRound(n: number): number {
  const r = Math.floor(n + 0.5);
  return r === 0 ? 0 : r;
}

function format(raw: string, values: readonly Json[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      out += raw[++i];
    } else if (c === '{' && raw[i + 1] === '}') {
      if (next >= values.length) throw fail('States.Format', 'there are more {} placeholders than arguments');
      const v = values[next++] as Json;
      out += typeof v === 'string' ? v : javaToString(v);
      i++;
    } else {
      out += c;
    }
  }
  if (next !== values.length) throw fail('States.Format', 'there are more arguments than {} placeholders');
  return out;
}

function escapeForFormat(s: string): string {
  return s.replaceAll('\\', '\\\\');
}

function fail(fn: string, why: string): Error {
  return intrinsicFailure(`Invalid arguments in ${fn}: ${why}`);
}

/** The argument values, after checking there are exactly `n` (typed as a tuple for destructuring). */
function count(fn: string, args: readonly IntrinsicValue[], n: number): [Json, Json, Json] {
  if (args.length !== n) throw fail(fn, `expected ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
  return args.map((a) => a.value) as [Json, Json, Json];
}

function one(fn: string, args: readonly IntrinsicValue[]): Json {
  return count(fn, args, 1)[0] as Json;
}

function array(fn: string, v: Json): Json[] {
  if (!Array.isArray(v)) throw fail(fn, `expected an array, got ${JSON.stringify(v)}`);
  return v;
}

function str(fn: string, v: Json): string {
  if (typeof v !== 'string') throw fail(fn, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function text(fn: string, v: Json): string {
  const s = str(fn, v);
  if (s.length > MAX_TEXT) throw fail(fn, `the input is longer than ${MAX_TEXT} characters`);
  return s;
}

function num(fn: string, v: Json): number {
  if (typeof v !== 'number') throw fail(fn, `expected a number, got ${JSON.stringify(v)}`);
  return v;
}

function int(fn: string, v: Json): number {
  const n = num(fn, v);
  if (!Number.isInteger(n)) throw fail(fn, `expected an integer, got ${n}`);
  return n;
}

/** A deterministic uniform number in [0, 1) for a seed (mulberry32), so seeded calls repeat. */
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
