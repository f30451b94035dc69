/**
 * JSONPath-mode Choice rules. Recorded behaviour (491 AWS cases): a value of the wrong type makes
 * the comparison false, never an error; `IsX: false` is the negation of `IsX: true`; `IsPresent`
 * is the only test that accepts a missing `Variable` — any other operator on a missing value fails
 * the execution with `States.Runtime` (Developer Guide, Choice state).
 */
import { runtimeError } from '../errors.ts';
import type { ChoiceRule } from '../definition.ts';
import type { Json } from '../json.ts';
import { evaluatePath, type PathScope } from '../jsonpath/evaluate.ts';
import { compilePath } from '../jsonpath-mode/dynamic.ts';
import { compareInstants, parseTimestamp } from '../timestamp.ts';
import { COMPARISON_OPERATORS, TYPE_TESTS } from './operators.ts';

export function evaluateRule(rule: ChoiceRule, scope: PathScope): boolean {
  if (rule.And !== undefined) return rule.And.every((r) => evaluateRule(r, scope));
  if (rule.Or !== undefined) return rule.Or.some((r) => evaluateRule(r, scope));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not, scope);
  const variable = rule.Variable as string;
  const op = operatorOf(rule);
  if (op === undefined) throw runtimeError(`The choice rule on '${variable}' has no comparison operator`);
  const operand = rule[op] as Json;
  const found = evaluatePath(compilePath(variable), scope);
  if (op === 'IsPresent') return found.found === operand;
  if (!found.found) throw runtimeError(`Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  const value = found.value;
  if (TYPE_TESTS.includes(op)) return typeTest(op, value) === operand;
  let expected: Json = operand;
  let comparison = op;
  if (op.endsWith('Path')) {
    const other = evaluatePath(compilePath(operand as string), scope);
    if (!other.found) throw runtimeError(`Invalid path '${String(operand)}': The choice state's condition path references an invalid value.`);
    expected = other.value;
    comparison = op.slice(0, -4);
  }
  return compare(comparison, value, expected);
}

/** The rule's operator: its first key that names one. */
function operatorOf(rule: ChoiceRule): string | undefined {
  for (const key in rule) {
    if (Object.hasOwn(rule, key) && (key in COMPARISON_OPERATORS || TYPE_TESTS.includes(key))) return key;
  }
  return undefined;
}

function typeTest(op: string, value: Json): boolean {
  switch (op) {
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return typeof value === 'number';
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    case 'IsTimestamp':
      return typeof value === 'string' && parseTimestamp(value) !== undefined;
    default:
      return false;
  }
}

function compare(op: string, value: Json, expected: Json): boolean {
  const type = COMPARISON_OPERATORS[op];
  if (type === 'boolean') return typeof value === 'boolean' && typeof expected === 'boolean' && value === expected;
  if (type === 'number') {
    if (typeof value !== 'number' || typeof expected !== 'number') return false;
    return ordered(op, value - expected);
  }
  if (typeof value !== 'string' || typeof expected !== 'string') return false;
  if (op === 'StringMatches') return wildcardRegex(expected).test(value);
  if (type === 'timestamp') {
    const a = parseTimestamp(value);
    const b = parseTimestamp(expected);
    if (a === undefined || b === undefined) return false;
    return ordered(op, compareInstants(a, b));
  }
  return ordered(op, value < expected ? -1 : value > expected ? 1 : 0);
}

/** Applies the ordering named by the operator's suffix to a three-way comparison result. */
function ordered(op: string, cmp: number): boolean {
  if (op.endsWith('GreaterThanEquals')) return cmp >= 0;
  if (op.endsWith('LessThanEquals')) return cmp <= 0;
  if (op.endsWith('GreaterThan')) return cmp > 0;
  if (op.endsWith('LessThan')) return cmp < 0;
  return cmp === 0;
}

const wildcardCache = new Map<string, RegExp>();

/** `StringMatches`: `*` matches any run of characters, `\*` a literal star, `\\` a backslash. */
export function wildcardRegex(pattern: string): RegExp {
  const hit = wildcardCache.get(pattern);
  if (hit !== undefined) return hit;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegex(pattern[++i] as string);
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else {
      source += escapeRegex(c);
    }
  }
  const regex = new RegExp(`^${source}$`);
  if (wildcardCache.size > 1000) wildcardCache.clear();
  wildcardCache.set(pattern, regex);
  return regex;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
