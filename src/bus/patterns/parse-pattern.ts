/**
 * Parsing and validating an event pattern from its JSON text. Members are validated in document
 * order and the first problem is reported with event-ruler's/AWS's wording (AWS shows
 * `Event pattern is not valid. Reason: <event-ruler message>`); where the two disagree, AWS wins.
 * Duplicate keys are validated, then the last one wins.
 */
import { JsonSyntaxError, parseJsonNodes, type JsonNode } from './json-text.ts';
import { parseCidr, parseIp } from './ip.ts';
import { exactDouble, type NumberValue } from './number-text.ts';
import { PatternError } from './pattern-error.ts';
import type { AnythingBut, Condition, NumericBound, Pattern, PatternField, PatternGroup } from './pattern.ts';
import { expandPattern } from './expand-pattern.ts';
import { parseWildcard, type Wildcard } from './wildcard.ts';

type ObjectNode = Extract<JsonNode, { type: 'object' }>;
type Members = ObjectNode['members'];

/** Keys that make a `$or` list an ordinary field (event-ruler `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`). */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case',
]);
const isReservedInOr = (key: string): boolean =>
  RESERVED_IN_OR.has(key) || key.startsWith('date-') || key.startsWith('ip-address-');

const fail = (reason: string): never => {
  throw new PatternError(reason);
};

export function parsePattern(text: string): Pattern {
  let root: JsonNode;
  try {
    root = parseJsonNodes(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new PatternError(error.message);
    throw error;
  }
  if (root.type !== 'object') fail('Filter is not an object');
  const group = parseGroup(root as ObjectNode, '');
  const pattern: Pattern = { source: text, fields: group.fields, ors: group.ors };
  expandPattern(pattern); // enforces the expansion and field-count limits
  return pattern;
}

function parseGroup(node: ObjectNode, prefix: string): PatternGroup {
  if (node.members.length === 0) fail('Empty objects are not allowed');
  const byKey = new Map<string, PatternGroup>();
  for (const [key, value] of node.members) byKey.set(key, parseMember(key, value, prefix));
  const fields: PatternField[] = [];
  const ors: (readonly PatternGroup[])[] = [];
  for (const part of byKey.values()) {
    fields.push(...part.fields);
    ors.push(...part.ors);
  }
  return { fields, ors };
}

function isOrList(value: JsonNode): value is Extract<JsonNode, { type: 'array' }> {
  return (
    value.type === 'array' &&
    value.items.length >= 2 &&
    value.items.every((b) => b.type === 'object' && b.members.every(([k]) => !isReservedInOr(k)))
  );
}

function parseMember(key: string, value: JsonNode, prefix: string): PatternGroup {
  if (key === '$or' && isOrList(value)) {
    return { fields: [], ors: [value.items.map((branch) => parseGroup(branch as ObjectNode, prefix))] };
  }
  const path = prefix === '' ? key : `${prefix}.${key}`;
  if (value.type === 'object') return parseGroup(value, path);
  if (value.type !== 'array') return fail(`"${key}" must be an object or an array`);
  if (value.items.length === 0) fail('Empty arrays are not allowed');
  return { fields: [{ path, conditions: value.items.map(parseCondition) }], ors: [] };
}

function parseCondition(node: JsonNode): Condition {
  switch (node.type) {
    case 'string':
      return { kind: 'string', value: node.value, ip: parseIp(node.value) };
    case 'number':
      return { kind: 'number', number: { text: node.text, value: exactDouble(node.text) } };
    case 'literal':
      return { kind: 'literal', value: node.value };
    case 'array':
      return fail('Match value must be String, number, true, false, or null');
    case 'object':
      return parseMatchExpression(node.members);
  }
}

function parseMatchExpression(members: Members): Condition {
  const first = members[0];
  if (first === undefined) return fail('Empty objects are not allowed');
  const [op, arg] = first;
  if (op === 'anything-but') return { kind: 'anything-but', but: parseAnythingBut(arg, members.length > 1) };
  const condition = parseOperator(op, arg);
  if (members.length > 1) fail('Only one key allowed in match expression');
  return condition;
}

function parseOperator(op: string, arg: JsonNode): Condition {
  switch (op) {
    case 'prefix':
    case 'suffix':
      return parsePrefixOrSuffix(op, arg);
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', value: stringArg(arg, 'equals-ignore-case match pattern must be a string') };
    case 'wildcard':
      return { kind: 'wildcard', wildcard: parseWildcard(stringArg(arg, 'wildcard match pattern must be a string')) };
    case 'exactly':
      return { kind: 'string', value: stringArg(arg, 'exact match pattern must be a string'), ip: undefined };
    case 'numeric':
      return parseNumeric(arg);
    case 'cidr':
      // event-ruler's wording for a non-string CIDR really does say "prefix"
      return { kind: 'cidr', range: parseCidr(stringArg(arg, 'prefix match pattern must be a string')) };
    case 'exists':
      if (arg.type !== 'literal' || arg.value === null) fail('exists match pattern must be either true or false.');
      return { kind: 'exists', value: (arg as { value: boolean }).value };
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

function stringArg(arg: JsonNode, reason: string): string {
  return arg.type === 'string' ? arg.value : fail(reason);
}

function parsePrefixOrSuffix(op: 'prefix' | 'suffix', arg: JsonNode): Condition {
  if (arg.type === 'string') return { kind: op, value: arg.value, ignoreCase: false };
  if (arg.type !== 'object') return fail(`${op} match pattern must be a string`);
  const [inner, value] = arg.members[0] ?? ['', arg];
  if (inner !== 'equals-ignore-case') return fail(`Unsupported ${op} ${inner}`);
  const text = stringArg(value, 'equals-ignore-case match pattern must be a string');
  if (arg.members.length > 1) fail('Only one key allowed in match expression');
  return { kind: op, value: text, ignoreCase: true };
}

// ---- numeric ---------------------------------------------------------------------------------

function render(node: JsonNode | undefined): string {
  if (node === undefined) return ']';
  if (node.type === 'number') return node.text;
  if (node.type === 'string') return node.value;
  if (node.type === 'literal') return String(node.value);
  return node.type === 'array' ? '[' : '{';
}

function operand(node: JsonNode | undefined, opName: string): number {
  if (node?.type !== 'number') return fail(`Value of ${opName} must be numeric`);
  const value = exactDouble(node.text);
  return value ?? fail(`Cannot compare number : ${node.text}`);
}

function parseNumeric(arg: JsonNode): Condition {
  if (arg.type !== 'array') return fail('Value of numeric must be an array.');
  const items = arg.items;
  const op = items[0];
  if (op?.type !== 'string') return fail(`Invalid member in numeric match: ${render(op)}`);
  let lower: NumericBound | undefined;
  let upper: NumericBound | undefined;
  switch (op.value) {
    case '=': {
      const value = operand(items[1], 'equals');
      lower = upper = { value, inclusive: true };
      if (items.length > 2) fail('Too many elements in numeric expression');
      break;
    }
    case '<':
    case '<=':
      upper = { value: operand(items[1], op.value), inclusive: op.value === '<=' };
      if (items.length > 2) fail('Too many elements in numeric expression');
      break;
    case '>':
    case '>=': {
      lower = { value: operand(items[1], op.value), inclusive: op.value === '>=' };
      if (items.length === 2) break;
      const op2 = items[2];
      if (op2?.type !== 'string') return fail(`Invalid member in numeric match: ${render(op2)}`);
      if (op2.value === '<' || op2.value === '<=') {
        upper = { value: operand(items[3], op2.value), inclusive: op2.value === '<=' };
      } else if (op2.value === '>' || op2.value === '>=' || op2.value === '=') {
        fail(`Bad numeric range operator: ${op2.value}`);
      } else {
        fail(`Unrecognized numeric range operator: ${op2.value}`);
      }
      if (items.length > 4) fail('Too many elements in numeric expression');
      if (upper !== undefined && lower.value >= upper.value) fail('Bottom must be less than top');
      break;
    }
    default:
      return fail(`Unrecognized numeric range operator: ${op.value}`);
  }
  return { kind: 'numeric', lower, upper };
}

// ---- anything-but ----------------------------------------------------------------------------

const ANYTHING_BUT_VALUE = 'Value of anything-but must be an array or single string/number value.';
const MIXED_LIST = 'Inside anything but list, either all values are number or string, mixed type is not supported';
const IGNORE_CASE_LIST = 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.';
const PREFIX_SUFFIX_STRING = 'prefix/suffix match pattern must be a string';
const UNSUPPORTED_WILDCARD = 'Unsupported anything-but wildcard';

const numberOf = (node: { text: string }): NumberValue => ({ text: node.text, value: exactDouble(node.text) });

function parseAnythingBut(arg: JsonNode, extraKey: boolean): AnythingBut {
  // event-ruler's message for a second key after a plain anything-but value is the numeric one
  const TOO_MANY = 'Too many elements in numeric expression';
  switch (arg.type) {
    case 'string':
      if (extraKey) fail(TOO_MANY);
      return { kind: 'strings', values: [arg.value] };
    case 'number':
      if (extraKey) fail(TOO_MANY);
      return { kind: 'numbers', values: [numberOf(arg)] };
    case 'literal':
      return fail(ANYTHING_BUT_VALUE);
    case 'array': {
      const first = arg.items[0];
      if (first === undefined) return fail(MIXED_LIST);
      for (const item of arg.items) {
        if (item.type !== 'string' && item.type !== 'number') fail('Inside anything but list, start|null|boolean is not supported.');
        if (item.type !== first.type) fail(MIXED_LIST);
      }
      if (extraKey) fail(TOO_MANY);
      return first.type === 'string'
        ? { kind: 'strings', values: arg.items.map((i) => (i as { value: string }).value) }
        : { kind: 'numbers', values: arg.items.map((i) => numberOf(i as { text: string })) };
    }
    case 'object':
      return parseAnythingButObject(arg.members, extraKey);
  }
}

function parseAnythingButObject(members: Members, extraKey: boolean): AnythingBut {
  const [op, value] = members[0] ?? ['', undefined];
  const onlyOne = (): void => {
    if (members.length > 1 || extraKey) fail('Only one key allowed in match expression');
  };
  switch (op) {
    case 'prefix':
    case 'suffix': {
      let values: string[];
      if (value?.type === 'string') {
        if (value.value === '') fail('Null prefix/suffix not allowed');
        values = [value.value];
      } else if (value?.type === 'array' && value.items.length > 0) {
        values = value.items.map((i) => (i.type === 'string' && i.value !== '' ? i.value : fail(PREFIX_SUFFIX_STRING)));
      } else if (value?.type === 'object') {
        return fail(ANYTHING_BUT_VALUE);
      } else {
        return fail(PREFIX_SUFFIX_STRING);
      }
      onlyOne();
      return { kind: op, values };
    }
    case 'equals-ignore-case': {
      const items = value?.type === 'array' && value.items.length > 0 ? value.items : value === undefined ? [] : [value];
      if (items.length === 0) fail(IGNORE_CASE_LIST);
      const values = items.map((i) => (i.type === 'string' ? i.value : fail(IGNORE_CASE_LIST)));
      onlyOne();
      return { kind: 'equals-ignore-case', values };
    }
    case 'wildcard': {
      const items = value?.type === 'array' && value.items.length > 0 ? value.items : value === undefined ? [] : [value];
      const texts = items.map((i) => (i.type === 'string' ? i.value : fail('wildcard match pattern must be a string')));
      if (texts.length === 0) fail('wildcard match pattern must be a string');
      if (members.length > 1 || extraKey) fail(UNSUPPORTED_WILDCARD);
      return { kind: 'wildcard', values: texts.map(anythingButWildcard) };
    }
    default:
      return fail(`Unsupported anything-but ${op}`);
  }
}

/** Syntax errors inside anything-but wildcard surface as event-ruler's generic message. */
function anythingButWildcard(text: string): Wildcard {
  try {
    return parseWildcard(text);
  } catch (error) {
    if (error instanceof PatternError && !error.reason.startsWith('Rule is too complex')) fail(UNSUPPORTED_WILDCARD);
    throw error;
  }
}
