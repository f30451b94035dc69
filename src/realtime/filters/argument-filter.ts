/**
 * Basic filtering by subscription arguments (research/appsync.md §3), for subscriptions whose
 * resolver set no enhanced filter:
 * - each argument the client gave must equal the same-named top-level field of the published
 *   (mutation-projected) result; all must hold (AND); no argument means every event;
 * - an argument given explicitly as `null` matches only results whose field is `null`
 *   ("`onUpdateTodo(owner: null)` receives only updates whose owner is null");
 * - an omitted argument does not filter, even when GraphQL filled it with a `null` default;
 * - a field the mutation did not select never matches ("the subscription never fires");
 * - equality is on JSON values: exact strings, no number/string coercion.
 */
import { isRecord } from './field-path.ts';
import type { PayloadPredicate } from './compile-filter.ts';

export function compileArgumentFilter(args: Readonly<Record<string, unknown>>, explicitNull: ReadonlySet<string>): PayloadPredicate {
  const checks: ((payload: Readonly<Record<string, unknown>>) => boolean)[] = [];
  const names = new Set([...Object.keys(args), ...explicitNull]);
  for (const name of names) {
    const expected = explicitNull.has(name) ? null : args[name];
    if (expected === null || expected === undefined) {
      if (explicitNull.has(name)) checks.push((p) => Object.hasOwn(p, name) && p[name] === null);
      continue;
    }
    checks.push((p) => Object.hasOwn(p, name) && jsonEqual(p[name], expected));
  }
  if (checks.length === 0) return () => true;
  return (payload) => {
    if (!isRecord(payload)) return false;
    for (const check of checks) if (!check(payload)) return false;
    return true;
  };
}

/** Structural equality of JSON values; object key order does not matter. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
