/**
 * One `{fieldName, operator, value}` entry checked against the operator's value type (§4.3, and
 * the `@aws-appsync/utils` typings) and the per-rule limits (§4.4). Messages quote AppSync's where
 * one is on record, so users can search them.
 */
import { FILTER_OPERATORS, type FilterLimits, type FilterOperator, type FilterRule } from './types.ts';

export type RuleCheck = { readonly rule: FilterRule } | { readonly error: string } | { readonly ignored: string };

/** `util.transform.toSubscriptionFilter` documents `lte`/`gte` and carries them through (§4.5). */
const ALIASES: Readonly<Record<string, FilterOperator>> = { lte: 'le', gte: 'ge' };

/** A GraphQL field name; `fieldName` is a path of them (§4.2). */
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function checkRule(raw: unknown, where: string, limits: FilterLimits): RuleCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: `${where} must be an object with fieldName, operator and value.` };
  const { fieldName, operator, value } = raw as Record<string, unknown>;
  if (typeof fieldName !== 'string' || !fieldName.split('.').every((s) => NAME.test(s))) {
    return { error: `${where}.fieldName must be GraphQL field names joined by ".", got ${JSON.stringify(fieldName) ?? 'nothing'}.` };
  }
  if (fieldName.length > limits.maxStringLength) return { error: `subscription exceeds maximum string length ${limits.maxStringLength} for fieldName \`${fieldName}\`.` };
  const depth = fieldName.split('.').length;
  // AppSync ignores rules nested deeper than its limit instead of refusing the filter (§4.4).
  if (depth > limits.maxNestingDepth) return { ignored: `${where} on \`${fieldName}\` is ignored: it is nested ${depth} levels deep, over the limit of ${limits.maxNestingDepth}.` };
  const op = typeof operator === 'string' ? (ALIASES[operator] ?? operator) : undefined;
  if (op === undefined || !isOperator(op)) return { error: `${where}: unsupported operator \`${String(operator)}\` for field \`${fieldName}\`.` };
  const invalid = (expected: string): RuleCheck => ({ error: `${where}: operator \`${op}\` on field \`${fieldName}\` expects ${expected}, got ${describe(value)}.` });
  const tooLong = (v: unknown) => typeof v === 'string' && v.length > limits.maxStringLength;
  if (tooLong(value) || (Array.isArray(value) && value.some(tooLong))) {
    return { error: `subscription exceeds maximum string length ${limits.maxStringLength} for operator \`${op}\` on field \`${fieldName}\`.` };
  }
  switch (op) {
    case 'eq':
    case 'ne':
      if (value === null || typeof value === 'string' || typeof value === 'boolean' || isNumber(value)) return { rule: { fieldName, operator: op, value } };
      return invalid('a string, a number, a boolean or null');
    case 'le':
    case 'lt':
    case 'ge':
    case 'gt':
    case 'contains':
    case 'notContains':
      if (typeof value === 'string' || isNumber(value)) return { rule: { fieldName, operator: op, value } };
      return invalid('a string or a number');
    case 'beginsWith':
      if (typeof value === 'string') return { rule: { fieldName, operator: op, value } };
      return invalid('a string');
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return invalid('a list of two values [low, high]');
      const [lo, hi] = value as unknown[];
      if (isNumber(lo) && isNumber(hi)) return { rule: { fieldName, operator: op, value: [lo, hi] } };
      if (typeof lo === 'string' && typeof hi === 'string') return { rule: { fieldName, operator: op, value: [lo, hi] } };
      return invalid('two numbers or two strings');
    }
    case 'in':
    case 'notIn':
    case 'containsAny': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || isNumber(v))) return invalid('a list of strings and numbers');
      const max = op === 'containsAny' ? limits.maxContainsAnyValues : limits.maxInValues;
      // AppSync's own text (aws-amplify/amplify-category-api#740).
      if (value.length > max) return { error: `subscription exceeds maximum value limit ${max} for operator \`${op}\`.` };
      return { rule: { fieldName, operator: op, value: [...(value as (string | number)[])] } };
    }
  }
}

function isOperator(op: string): op is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(op);
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return v === null ? 'null' : typeof v;
}
