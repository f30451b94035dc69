/**
 * `util.transform.toSubscriptionFilter(filter, ignoredFields?, rules?)`: a filter object to the
 * `{filterGroup: [{filters: [...]}]}` form AppSync evaluates, in disjunctive normal form.
 * Recorded AWS behaviour: operators are carried through unvalidated (`lte` stays `lte`), several
 * operators on one field and the members of an `or` are alternatives, `not` is an ordinary field
 * name, each rule is one more alternative multiplied into every group, and anything but an object
 * (including a JSON string) yields `null`.
 */
import { isPlainObject } from './attribute-value.ts';

export interface SubscriptionFilterRule {
  fieldName: string;
  operator: string;
  value: unknown;
}

export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterRule[] }[];
}

/** Alternatives, each an AND of rules. `null` means "no constraint here" (a neutral factor). */
type Dnf = SubscriptionFilterRule[][] | null;

export function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  if (!isPlainObject(filter)) return null;
  const ignored = new Set(Array.isArray(ignoredFields) ? ignoredFields.filter((f): f is string => typeof f === 'string') : []);
  let dnf = objectDnf(filter, ignored);
  if (isPlainObject(rules)) dnf = product(dnf, union(Object.entries(rules).map(([field, ops]) => fieldDnf(field, ops))));
  return { filterGroup: (dnf ?? []).map((filters) => ({ filters })) };
}

function objectDnf(filter: Record<string, unknown>, ignored: ReadonlySet<string>): Dnf {
  let acc: Dnf = null;
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || ignored.has(key)) continue;
    let factor: Dnf;
    if ((key === 'and' || key === 'or') && Array.isArray(value)) {
      const members = value.filter(isPlainObject).map((m) => objectDnf(m, ignored));
      factor = key === 'and' ? members.reduce<Dnf>((a, m) => product(a, m), null) : union(members);
    } else {
      factor = fieldDnf(key, value);
    }
    acc = product(acc, factor);
  }
  return acc;
}

/** Each operator of a field is one alternative. */
function fieldDnf(fieldName: string, ops: unknown): Dnf {
  if (!isPlainObject(ops)) return null;
  const alternatives = Object.entries(ops)
    .filter(([, value]) => value !== undefined)
    .map(([operator, value]) => [{ fieldName, operator, value }]);
  return alternatives.length === 0 ? null : alternatives;
}

function product(a: Dnf, b: Dnf): Dnf {
  if (a === null) return b;
  if (b === null) return a;
  return a.flatMap((left) => b.map((right) => [...left, ...right]));
}

function union(members: readonly Dnf[]): Dnf {
  const present = members.filter((m): m is SubscriptionFilterRule[][] => m !== null);
  return present.length === 0 ? null : present.flat();
}
