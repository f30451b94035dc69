/**
 * Copies and merges of plain objects that stay cheap for the garbage collector.
 *
 * V8 11.3 (Node 20) builds an object literal that starts with a spread (`{ ...a }`,
 * `{ ...a, key: v }`, `{ ...a, ...b }`) in a way that, once the object has a property the first
 * spread did not give it (added in the literal or later), makes each such object survive the
 * young-generation collections and wait for a full one. On a loop of short-lived objects that
 * cost 3 to 25 times the GC time of the same objects built otherwise; in bench/workflows it was
 * most of the GC of a Standard execution. `Object.assign` onto an empty literal makes the same
 * objects with ordinary shapes. Use these where such an object is made per request, event or step
 * and may gain properties; a spread elsewhere (configuration, start-up) costs nothing worth it.
 *
 * Unlike a spread, `Object.assign` sets properties rather than defining them, so an own property
 * named `__proto__` (JSON.parse makes one from user data) would set the copy's prototype: such
 * objects are copied with a spread, as before.
 */
const hasProtoKey = (value: object | null | undefined): boolean => value !== undefined && value !== null && Object.hasOwn(value, '__proto__');

/** A shallow copy of `value` (`{ ...value }`), to add properties to. */
export function copyOf<T extends object>(value: T): T {
  return hasProtoKey(value) ? { ...value } : Object.assign({}, value);
}

/** `{ ...a, ...b }`: the properties of `a`, then those of `b` (a missing one adds nothing). */
export function merged<A extends object, B extends object>(a: A | undefined, b: B | undefined): A & B {
  return hasProtoKey(a) || hasProtoKey(b) ? ({ ...a, ...b } as A & B) : Object.assign({}, a, b);
}

/**
 * `T` with its members writable: the type of an object built member by member (optional members
 * set only when present), the other way to avoid a spread literal on a per-request path.
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
