/**
 * One rule to one predicate, specialised at compile time on the operator and the value's type so
 * that an event costs a field read and one comparison. Type rules (research/appsync.md §4.3):
 * equality is strict (`1` ≠ `"1"`); ordering holds only between two numbers or two strings
 * (strings by UTF-16 code units, case-sensitive); `contains` is a substring test on a string field
 * and a membership test on a list field; `containsAny` needs a list field; `ne`, `notIn` and
 * `notContains` are exact negations of `eq`, `in` and `contains`, so they also hold on an absent
 * field. An absent field counts as `null`.
 */
import { compileFieldPath } from './field-path.ts';
import type { FilterListValue, FilterRule } from './types.ts';

export type RecordPredicate = (payload: Readonly<Record<string, unknown>>) => boolean;

export function compileRule(rule: FilterRule): RecordPredicate {
  const read = compileFieldPath(rule.fieldName);
  switch (rule.operator) {
    case 'eq':
      return equals(read, rule.value);
    case 'ne':
      return not(equals(read, rule.value));
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return compare(read, rule.operator, rule.value);
    case 'between':
      return between(read, rule.value);
    case 'contains':
      return contains(read, rule.value);
    case 'notContains':
      return not(contains(read, rule.value));
    case 'beginsWith': {
      const prefix = rule.value;
      return (p) => {
        const v = read(p);
        return typeof v === 'string' && v.startsWith(prefix);
      };
    }
    case 'in':
      return isOneOf(read, rule.value);
    case 'notIn':
      return not(isOneOf(read, rule.value));
    case 'containsAny':
      return containsAny(read, rule.value);
  }
}

type Read = (payload: Readonly<Record<string, unknown>>) => unknown;

function not(predicate: RecordPredicate): RecordPredicate {
  return (p) => !predicate(p);
}

function equals(read: Read, value: string | number | boolean | null): RecordPredicate {
  if (value === null) return (p) => read(p) == null;
  return (p) => read(p) === value;
}

function compare(read: Read, op: 'lt' | 'le' | 'gt' | 'ge', value: string | number): RecordPredicate {
  // `typeof` is fixed by the value, so a number is never compared with a string.
  const type = typeof value;
  switch (op) {
    case 'lt':
      return (p) => {
        const v = read(p);
        return typeof v === type && (v as typeof value) < value;
      };
    case 'le':
      return (p) => {
        const v = read(p);
        return typeof v === type && (v as typeof value) <= value;
      };
    case 'gt':
      return (p) => {
        const v = read(p);
        return typeof v === type && (v as typeof value) > value;
      };
    case 'ge':
      return (p) => {
        const v = read(p);
        return typeof v === type && (v as typeof value) >= value;
      };
  }
}

/** Inclusive at both ends; a reversed pair matches nothing. */
function between(read: Read, [lo, hi]: readonly [number, number] | readonly [string, string]): RecordPredicate {
  const type = typeof lo;
  return (p) => {
    const v = read(p) as typeof lo;
    return typeof v === type && v >= lo && v <= hi;
  };
}

function contains(read: Read, value: string | number): RecordPredicate {
  if (typeof value === 'string') {
    return (p) => {
      const v = read(p);
      return (typeof v === 'string' || Array.isArray(v)) && v.includes(value);
    };
  }
  return (p) => {
    const v = read(p);
    return Array.isArray(v) && v.includes(value);
  };
}

function isOneOf(read: Read, values: FilterListValue): RecordPredicate {
  const has = membership(values);
  return (p) => has(read(p));
}

function containsAny(read: Read, values: FilterListValue): RecordPredicate {
  const has = membership(values);
  return (p) => {
    const v = read(p);
    if (!Array.isArray(v)) return false;
    for (const element of v) if (has(element)) return true;
    return false;
  };
}

/** A linear scan beats hashing for AppSync-sized lists; raised limits get a `Set`. */
function membership(values: FilterListValue): (v: unknown) => boolean {
  if (values.length <= 8) {
    const list: readonly unknown[] = values;
    return (v) => list.includes(v);
  }
  const set: ReadonlySet<unknown> = new Set(values);
  return (v) => set.has(v);
}
