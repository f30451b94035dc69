/**
 * The 256 KiB payload quota without serializing every payload. `withinPayloadBound` walks a value
 * and adds up an upper bound of the UTF-8 size of its `JSON.stringify` text: a string of n UTF-16
 * code units takes at most 6n + 2 bytes (`\u001f`-style escapes are the longest form; a code unit
 * printed as itself takes at most 3 bytes), a number at most 25 characters (`-0.0000012345678901234567`
 * is the longest form a JS number prints as), `false` 5, `null` 4, and each key, colon, comma and
 * bracket is counted. When the bound fits the quota the payload certainly does; otherwise (and for
 * anything that is not plain JSON data: `toJSON`, class instances, bigints, very deep nesting)
 * the caller measures the exact text as before.
 */

const MAX_NUMBER_CHARS = 25;
/** Deeper values are measured exactly (JSON.stringify decides what they do: a cycle throws). */
const MAX_DEPTH = 100;
/** Outside the bound's reach: measure exactly. */
const UNKNOWN = Number.POSITIVE_INFINITY;

/** True when `value`'s JSON text surely fits in `limit` UTF-8 bytes; false means "measure it". */
export function withinPayloadBound(value: unknown, limit: number): boolean {
  return bound(value, limit, 0) <= limit;
}

/** An upper bound of the UTF-8 size of `JSON.stringify(value)`, or more than `budget` (stops early). */
function bound(value: unknown, budget: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 6 * value.length + 2;
    case 'number':
      return MAX_NUMBER_CHARS;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      if (depth >= MAX_DEPTH) return UNKNOWN;
      if (Array.isArray(value)) {
        let size = 2;
        for (let i = 0; i < value.length && size <= budget; i++) {
          const item: unknown = value[i];
          // JSON.stringify writes null for undefined (and holes) in arrays.
          size += (item === undefined ? 4 : bound(item, budget - size, depth + 1)) + 1;
        }
        return size;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNKNOWN;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNKNOWN;
      let size = 2;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        size += 6 * key.length + 2 + 1 + bound(item, budget - size, depth + 1) + 1;
        if (size > budget) return size;
      }
      return size;
    }
    default:
      // undefined, functions, symbols, bigints: whatever JSON.stringify does with them.
      return UNKNOWN;
  }
}
