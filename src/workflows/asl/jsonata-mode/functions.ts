/**
 * The functions AWS adds to JSONata (names from LocalStack's `asl/component/intrinsic/jsonata.py`):
 * `$partition`, `$range`, `$hash`, `$random([seed])`, `$uuid()`, `$parse`. `$now()` and
 * `$millis()` read the injected clock instead of the host's, so a virtual clock governs them too.
 */
import { createHash } from 'node:crypto';
import type { Json } from '../json.ts';

export interface JsonataEnv {
  readonly now: () => number;
  readonly random: () => number;
  readonly uuid: () => string;
}

const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

class JsonataFunctionError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** A JSONata *sequence*: like an array, but a single item is unwrapped (AWS's `$range(1, 9, 9)` is `1`). */
function sequence(items: Json[]): Json[] {
  Object.defineProperty(items, 'sequence', { value: true, enumerable: false });
  return items;
}

export function awsJsonataFunctions(env: JsonataEnv): Record<string, (...args: never[]) => unknown> {
  return {
    partition: (array: unknown, size: unknown): Json[] => {
      if (!Array.isArray(array)) throw new JsonataFunctionError('D3001', 'The first argument of $partition must be an array');
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw new JsonataFunctionError('D3001', 'The chunk size of $partition must be a positive integer');
      const out: Json[] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size) as Json[]);
      return out;
    },
    range: (start: unknown, end: unknown, step: unknown = 1): Json[] => {
      if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number' || step === 0) {
        throw new JsonataFunctionError('D3001', 'The arguments of $range must be numbers and the step must not be 0');
      }
      const out: Json[] = [];
      for (let i = start; step > 0 ? i <= end : i >= end; i += step) {
        out.push(i);
        if (out.length > 1000) throw new JsonataFunctionError('D3001', '$range cannot produce more than 1000 items');
      }
      return sequence(out);
    },
    hash: (value: unknown, algorithm: unknown = 'SHA-256'): string => {
      const alg = typeof algorithm === 'string' ? HASHES[algorithm] : undefined;
      if (alg === undefined) throw new JsonataFunctionError('D3001', `$hash supports ${Object.keys(HASHES).join(', ')}`);
      return createHash(alg).update(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').digest('hex');
    },
    random: (seed?: unknown): number => (typeof seed === 'number' ? seeded(seed) : env.random()),
    uuid: (): string => env.uuid(),
    parse: (text: unknown): unknown => {
      if (typeof text !== 'string') throw new JsonataFunctionError('D3001', 'The argument of $parse must be a string');
      try {
        return JSON.parse(text);
      } catch {
        throw new JsonataFunctionError('D3001', `$parse could not parse '${text}' as JSON`);
      }
    },
    now: (): string => new Date(env.now()).toISOString(),
    millis: (): number => env.now(),
  };
}

function seeded(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
