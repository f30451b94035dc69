/**
 * `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression`: a filter object
 * (`{field: {op: value}}`, `and`, `or`, `not`, `size`) to a DynamoDB expression. The rendering
 * (parentheses, joiners, value names like `:and_0_a_eq`, `(null)` for an empty `in`, dangling
 * joiners for empty members, `null` for unreadable input) follows the outputs recorded on AWS.
 */
import { isPlainObject, toDynamoDB, type AttributeValue } from './attribute-value.ts';

export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

const COMPARISONS: Readonly<Record<string, string>> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS: Readonly<Record<string, string>> = { contains: 'contains', notContains: 'NOT contains', beginsWith: 'begins_with' };
const ATTRIBUTE_TYPES: Readonly<Record<string, string>> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

/** Signals input AWS answers with `null`; never escapes this module. */
class Unreadable extends Error {}

/** The expression as an object, or `null` when AWS would answer `null`. */
export function buildFilterExpression(filter: unknown): DynamoDBExpression | null {
  if (!isPlainObject(filter)) return null;
  const out: DynamoDBExpression = { expression: '', expressionNames: {}, expressionValues: {} };
  try {
    out.expression = renderObject(filter, '', out);
  } catch (e) {
    if (e instanceof Unreadable) return null;
    throw e;
  }
  return out;
}

/** What the `util.transform` functions return: the expression serialised as a JSON string. */
export function toDynamoDBFilterExpression(filter: unknown): string | null {
  const built = buildFilterExpression(filter);
  return built === null ? null : JSON.stringify(built);
}

function renderObject(filter: Record<string, unknown>, prefix: string, out: DynamoDBExpression): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') parts.push(renderGroup(key, value, prefix, out));
    else if (key === 'not') parts.push(renderNot(value, prefix, out));
    else parts.push(renderField(key, value, prefix, out));
  }
  return parts.join(' AND ');
}

function renderGroup(op: 'and' | 'or', members: unknown, prefix: string, out: DynamoDBExpression): string {
  if (!Array.isArray(members)) throw new Unreadable();
  const parts = members.map((member: unknown, i) => {
    if (!isPlainObject(member)) throw new Unreadable();
    return renderObject(member, `${prefix}${op}_${i}_`, out);
  });
  return wrapAll(parts, op === 'and' ? ' AND ' : ' OR ');
}

function renderNot(inner: unknown, prefix: string, out: DynamoDBExpression): string {
  if (!isPlainObject(inner)) throw new Unreadable();
  return `(NOT ${renderObject(inner, `${prefix}not_`, out)})`;
}

function renderField(field: string, ops: unknown, prefix: string, out: DynamoDBExpression): string {
  if (!isPlainObject(ops)) throw new Unreadable();
  const name = `#${field}`;
  out.expressionNames[name] = field;
  return renderOperators(ops, name, `${prefix}${field}`, out);
}

/** `path` is what the expression compares (`#v` or `size(#v)`); `valueBase` names its values. */
function renderOperators(ops: Record<string, unknown>, path: string, valueBase: string, out: DynamoDBExpression): string {
  const parts: string[] = [];
  for (const [op, operand] of Object.entries(ops)) {
    if (operand === undefined) continue;
    parts.push(renderOperator(op, operand, path, valueBase, out));
  }
  return wrapAll(parts, ' AND ');
}

function renderOperator(op: string, operand: unknown, path: string, valueBase: string, out: DynamoDBExpression): string {
  const valueName = `:${valueBase}_${op}`;
  const comparison = COMPARISONS[op];
  if (comparison !== undefined) {
    out.expressionValues[valueName] = toDynamoDB(operand);
    return `(${path} ${comparison} ${valueName})`;
  }
  const fn = FUNCTIONS[op];
  if (fn !== undefined) {
    out.expressionValues[valueName] = toDynamoDB(operand);
    return `(${fn}(${path},${valueName}))`;
  }
  switch (op) {
    case 'between': {
      if (!Array.isArray(operand) || operand.length < 2) throw new Unreadable();
      out.expressionValues[`${valueName}_start`] = toDynamoDB(operand[0]);
      out.expressionValues[`${valueName}_end`] = toDynamoDB(operand[1]);
      return `(${path} BETWEEN ${valueName}_start AND ${valueName}_end)`;
    }
    case 'in': {
      if (!Array.isArray(operand)) throw new Unreadable();
      if (operand.length === 0) return '(null)';
      const names = operand.map((v: unknown, i) => {
        out.expressionValues[`${valueName}_${i}`] = toDynamoDB(v);
        return `${valueName}_${i}`;
      });
      return `(${path} IN (${names.join(', ')}))`;
    }
    case 'attributeExists':
      if (typeof operand !== 'boolean') throw new Unreadable();
      return operand ? `(attribute_exists(${path}))` : `(attribute_not_exists(${path}))`;
    case 'attributeType': {
      const code = typeof operand === 'string' && Object.hasOwn(ATTRIBUTE_TYPES, operand) ? ATTRIBUTE_TYPES[operand] : undefined;
      if (code === undefined) throw new Unreadable();
      out.expressionValues[valueName] = { S: code };
      return `(attribute_type(${path},${valueName}))`;
    }
    case 'size': {
      if (!isPlainObject(operand)) throw new Unreadable();
      // a nested size extends the value names but not the call: size(size(x)) is not DynamoDB
      const sizePath = path.startsWith('size(') ? path : `size(${path})`;
      return renderOperators(operand, sizePath, `${valueBase}_size`, out);
    }
    default:
      throw new Unreadable();
  }
}

/** Several parts are joined and wrapped in parentheses; a single part stands alone. */
function wrapAll(parts: readonly string[], joiner: string): string {
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0] ?? '';
  return `(${parts.join(joiner)})`;
}
