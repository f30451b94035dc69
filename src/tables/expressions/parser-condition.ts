/**
 * Grammar of condition, filter and key condition expressions. Precedence, loosest first:
 * OR, AND, NOT, then a primary (parenthesised condition, boolean function, or an operand followed
 * by a comparator, BETWEEN or IN).
 */
import { ATTRIBUTE_TYPES, compareValues, typeOf, type AttributeValue } from '../attribute-value.ts';
import { BOOLEAN_FUNCTIONS, type BooleanFunctionName, type Comparator, type ConditionNode, type Operand } from './ast.ts';
import type { Parser } from './parser.ts';

const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const MAX_IN_OPERANDS = 100;

export function parseCondition(p: Parser): ConditionNode {
  const grouped = new WeakSet<ConditionNode>();
  const node = parseOr(p, grouped);
  p.finish();
  return node;
}

function parseOr(p: Parser, grouped: WeakSet<ConditionNode>): ConditionNode {
  let left = parseAnd(p, grouped);
  while (p.isKeyword('OR')) {
    p.next();
    left = { type: 'or', left, right: parseAnd(p, grouped) };
  }
  return left;
}

function parseAnd(p: Parser, grouped: WeakSet<ConditionNode>): ConditionNode {
  let left = parseNot(p, grouped);
  while (p.isKeyword('AND')) {
    p.next();
    left = { type: 'and', left, right: parseNot(p, grouped) };
  }
  return left;
}

function parseNot(p: Parser, grouped: WeakSet<ConditionNode>): ConditionNode {
  if (!p.isKeyword('NOT')) return parsePrimary(p, grouped);
  p.next();
  return { type: 'not', operand: parseNot(p, grouped) };
}

function parsePrimary(p: Parser, grouped: WeakSet<ConditionNode>): ConditionNode {
  if (p.isPunct('(')) {
    p.next();
    const inner = parseOr(p, grouped);
    p.expectPunct(')');
    // `((a = :v))`: DynamoDB refuses a group whose whole content is another group.
    if (grouped.has(inner)) p.defer('The expression has redundant parentheses;');
    grouped.add(inner);
    return inner;
  }
  if (p.atFunctionCall() && p.peek().text !== 'size') return parseBooleanFunction(p);
  const left = parseOperand(p);
  const t = p.peek();
  if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
    p.next();
    return { type: 'compare', op: t.text as Comparator, left, right: parseOperand(p) };
  }
  if (p.isKeyword('BETWEEN')) {
    p.next();
    const low = parseOperand(p);
    p.expectKeyword('AND');
    const high = parseOperand(p);
    checkBounds(p, low, high);
    return { type: 'between', subject: left, low, high };
  }
  if (p.isKeyword('IN')) {
    p.next();
    p.expectPunct('(');
    const list = [parseOperand(p)];
    while (p.isPunct(',')) {
      p.next();
      list.push(parseOperand(p));
    }
    p.expectPunct(')');
    if (list.length > MAX_IN_OPERANDS) p.defer(`The IN operator is provided with too many operands; number of operands: ${list.length}`);
    return { type: 'in', subject: left, list };
  }
  throw p.syntaxError();
}

/** An operand of a comparison: a path, a value, or `size(path)`. */
export function parseOperand(p: Parser): Operand {
  if (!p.atFunctionCall()) return p.parseLeaf();
  const { name, args } = p.parseCall(() => parseOperand(p));
  p.rejectFunction(name, ['size']);
  const path = args[0];
  if (name === 'size' && p.checkArity(name, args, 1) && p.requirePath(name, path)) return { type: 'size', path };
  return { type: 'path', elements: [] };
}

function parseBooleanFunction(p: Parser): ConditionNode {
  const { name, args } = p.parseCall(() => parseOperand(p));
  if (!(BOOLEAN_FUNCTIONS as readonly string[]).includes(name)) {
    p.rejectFunction(name, BOOLEAN_FUNCTIONS);
    return { type: 'function', name: 'attribute_exists', args };
  }
  const fn = name as BooleanFunctionName;
  const [first, second] = args;
  switch (fn) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (p.checkArity(fn, args, 1)) p.requirePath(fn, first);
      break;
    case 'attribute_type':
      if (p.checkArity(fn, args, 2) && p.requirePath(fn, first)) checkTypeName(p, second);
      break;
    case 'begins_with':
      if (p.checkArity(fn, args, 2)) for (const a of args) checkLiteralType(p, fn, a, ['S', 'B']);
      break;
    case 'contains':
      p.checkArity(fn, args, 2);
      break;
  }
  return { type: 'function', name: fn, args };
}

function checkTypeName(p: Parser, operand: Operand | undefined): void {
  if (operand?.type !== 'value') {
    p.defer('Incorrect operand type for operator or function; operator or function: attribute_type, operand type: PATH');
    return;
  }
  if (!checkLiteralType(p, 'attribute_type', operand, ['S'])) return;
  const name = (operand.value as { S: string }).S;
  if (!(ATTRIBUTE_TYPES as readonly string[]).includes(name)) {
    p.defer(`Invalid attribute type name found; type: ${name}, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }`);
  }
}

/** A literal operand of the wrong type is refused before any item is read. */
export function checkLiteralType(p: Parser, fn: string, operand: Operand | undefined, allowed: readonly string[]): boolean {
  if (operand?.type !== 'value') return true;
  const type = typeOf(operand.value);
  if (allowed.includes(type)) return true;
  p.defer(`Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${type}`);
  return false;
}

function checkBounds(p: Parser, low: Operand, high: Operand): void {
  if (low.type !== 'value' || high.type !== 'value') return;
  const order = compareValues(low.value, high.value);
  if (order !== undefined && order > 0) {
    p.defer(
      `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${formatValue(low.value)}, upper bound operand: AttributeValue: ${formatValue(high.value)}`,
    );
  }
}

/** DynamoDB's compact rendering of a scalar in messages: `{N:5}`, `{S:abc}`. */
export function formatValue(value: AttributeValue): string {
  const type = typeOf(value);
  return `{${type}:${String((value as Record<string, unknown>)[type])}}`;
}
