/**
 * Whether one condition accepts one leaf value, written directly from the rules (used by the
 * reference matcher; the compiled matcher answers the same question through shared indexes).
 * `exists: false` is not a leaf test: it is satisfied by the absence of leaves.
 */
import { endsWithIgnoreCase, equalsIgnoreCase, startsWithIgnoreCase } from './ignore-case.ts';
import { ipInRange, parseIp } from './ip.ts';
import type { Leaf } from './leaf.ts';
import { numberValue, type NumberValue } from './number-text.ts';
import type { AnythingBut, Condition } from './pattern.ts';
import { wildcardMatches } from './wildcard.ts';

function asNumber(leaf: Leaf): NumberValue | undefined {
  return typeof leaf === 'number' || (typeof leaf === 'object' && leaf !== null) ? numberValue(leaf) : undefined;
}

/** Exact number equality: numerically when both are exact doubles, else by text. */
function sameNumber(a: NumberValue, b: NumberValue): boolean {
  if (a.value !== undefined && b.value !== undefined) return a.value === b.value;
  return a.text === b.text;
}

export function leafMatches(condition: Condition, leaf: Leaf): boolean {
  switch (condition.kind) {
    case 'string': {
      if (typeof leaf !== 'string') return false;
      if (leaf === condition.value) return true;
      if (condition.ip === undefined) return false;
      const ip = parseIp(leaf);
      return ip !== undefined && ipInRange(ip, { bytes: condition.ip, bits: condition.ip.length * 8 });
    }
    case 'number': {
      const n = asNumber(leaf);
      return n !== undefined && sameNumber(condition.number, n);
    }
    case 'literal':
      return leaf === condition.value;
    case 'prefix':
      if (typeof leaf !== 'string') return false;
      return condition.ignoreCase ? startsWithIgnoreCase(leaf, condition.value) : leaf.startsWith(condition.value);
    case 'suffix':
      if (typeof leaf !== 'string') return false;
      return condition.ignoreCase ? endsWithIgnoreCase(leaf, condition.value) : leaf.endsWith(condition.value);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && equalsIgnoreCase(condition.value, leaf);
    case 'wildcard':
      return typeof leaf === 'string' && wildcardMatches(condition.wildcard, leaf);
    case 'numeric': {
      const v = asNumber(leaf)?.value;
      if (v === undefined) return false;
      const { lower, upper } = condition;
      if (lower !== undefined && (lower.inclusive ? v < lower.value : v <= lower.value)) return false;
      if (upper !== undefined && (upper.inclusive ? v > upper.value : v >= upper.value)) return false;
      return true;
    }
    case 'cidr': {
      if (typeof leaf !== 'string') return false;
      const ip = parseIp(leaf);
      return ip !== undefined && ipInRange(ip, condition.range);
    }
    case 'exists':
      return condition.value;
    case 'anything-but':
      return !excluded(condition.but, leaf);
  }
}

/** Whether an anything-but excludes the leaf; values of another type are never excluded. */
function excluded(but: AnythingBut, leaf: Leaf): boolean {
  if (but.kind === 'numbers') {
    const n = asNumber(leaf);
    return n !== undefined && but.values.some((v) => sameNumber(v, n));
  }
  if (typeof leaf !== 'string') return false;
  switch (but.kind) {
    case 'strings':
      return but.values.includes(leaf);
    case 'prefix':
      return but.values.some((p) => leaf.startsWith(p));
    case 'suffix':
      return but.values.some((s) => leaf.endsWith(s));
    case 'equals-ignore-case':
      return but.values.some((v) => equalsIgnoreCase(v, leaf));
    case 'wildcard':
      return but.values.some((w) => wildcardMatches(w, leaf));
  }
}
