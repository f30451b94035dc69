/**
 * Reading the AppSync DynamoDB request objects (what `@aws-appsync/utils/dynamodb` helpers return):
 * expression objects `{expression, expressionNames?, expressionValues?}`, keys and items with
 * DynamoDB-typed values. Everything arriving here came from user code, so every field is checked.
 */
import { AttributeValueError, normalizeItem, normalizeValue, type AttributeValue, type Item } from './attribute-value.ts';
import { validation } from './errors.ts';
import type { ExpressionInput } from './expressions/index.ts';

export type Json = Readonly<Record<string, unknown>>;

export function asObject(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw validation(`${what} must be an object`);
  return value as Json;
}

export function readItem(value: unknown, what: string): Item {
  try {
    return normalizeItem(asObject(value, what));
  } catch (error) {
    if (error instanceof AttributeValueError) throw validation(`${error.message} (in ${what})`);
    throw error;
  }
}

/** An optional expression object; `undefined` when absent or when its expression is empty. */
export function readExpression(value: unknown, what: string): ExpressionInput | undefined {
  if (value === undefined || value === null) return undefined;
  const obj = asObject(value, what);
  const expression = obj['expression'];
  if (typeof expression !== 'string') throw validation(`${what}.expression must be a string`);
  if (expression.trim() === '') return undefined;
  const out: { expression: string; names?: Record<string, string>; values?: Record<string, AttributeValue> } = { expression };
  const names = obj['expressionNames'];
  if (names !== undefined && names !== null) {
    const n = asObject(names, `${what}.expressionNames`);
    for (const v of Object.values(n)) if (typeof v !== 'string') throw validation(`${what}.expressionNames values must be strings`);
    out.names = n as Record<string, string>;
  }
  const values = obj['expressionValues'];
  if (values !== undefined && values !== null) {
    const raw = asObject(values, `${what}.expressionValues`);
    const vals: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(raw)) {
      try {
        vals[k] = normalizeValue(v);
      } catch (error) {
        if (error instanceof AttributeValueError) throw validation(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${k}`);
        throw error;
      }
    }
    out.values = vals;
  }
  return out;
}

export function readLimit(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validation(`1 validation error detected: Value '${String(value)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  return value;
}

export function readOptionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${what} must be a string`);
  return value;
}
