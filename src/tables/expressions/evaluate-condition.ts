/**
 * Evaluates a parsed condition against an item. Following DynamoDB, a comparison whose operands
 * are missing or of different types is false, never an error (except `<>`, which is true then).
 */
import { compareValues, typeOf, valuesEqual, type AttributeValue, type Item } from '../attribute-value.ts';
import type { ConditionNode, Operand } from './ast.ts';
import { resolvePath } from './document-path.ts';

export function evaluateCondition(node: ConditionNode, item: Item | undefined): boolean {
  switch (node.type) {
    case 'and':
      return evaluateCondition(node.left, item) && evaluateCondition(node.right, item);
    case 'or':
      return evaluateCondition(node.left, item) || evaluateCondition(node.right, item);
    case 'not':
      return !evaluateCondition(node.operand, item);
    case 'compare':
      return compare(node.op, operandValue(node.left, item), operandValue(node.right, item));
    case 'between': {
      const subject = operandValue(node.subject, item);
      const low = operandValue(node.low, item);
      const high = operandValue(node.high, item);
      return compare('>=', subject, low) && compare('<=', subject, high);
    }
    case 'in': {
      const subject = operandValue(node.subject, item);
      return node.list.some((candidate) => compare('=', subject, operandValue(candidate, item)));
    }
    case 'function':
      return evaluateFunction(node.name, node.args.map((a) => operandValue(a, item)));
  }
}

export function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.type) {
    case 'value':
      return operand.value;
    case 'path':
      return resolvePath(item, operand.elements);
    case 'size': {
      const value = resolvePath(item, operand.path.elements);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    default:
      // Update-only operands never reach a condition: the parser refuses them.
      return undefined;
  }
}

function compare(op: string, a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (op === '<>') return a === undefined || b === undefined || !valuesEqual(a, b);
  if (a === undefined || b === undefined) return false;
  if (op === '=') return valuesEqual(a, b);
  const order = compareValues(a, b);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

/** `size()`: string length in UTF-8 bytes, binary length in bytes, element count for collections. */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  return undefined;
}

function evaluateFunction(name: string, args: readonly (AttributeValue | undefined)[]): boolean {
  const [a, b] = args;
  switch (name) {
    case 'attribute_exists':
      return a !== undefined;
    case 'attribute_not_exists':
      return a === undefined;
    case 'attribute_type':
      return a !== undefined && b !== undefined && 'S' in b && typeOf(a) === b.S;
    case 'begins_with':
      return a !== undefined && b !== undefined && beginsWith(a, b);
    case 'contains':
      return a !== undefined && b !== undefined && contains(a, b);
    default:
      return false;
  }
}

function beginsWith(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a && 'S' in b) return a.S.startsWith(b.S);
  if ('B' in a && 'B' in b) {
    const whole = Buffer.from(a.B, 'base64');
    const prefix = Buffer.from(b.B, 'base64');
    return prefix.length <= whole.length && whole.subarray(0, prefix.length).equals(prefix);
  }
  return false;
}

function contains(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S.includes(b.S);
  if ('SS' in a) return 'S' in b && a.SS.includes(b.S);
  if ('NS' in a) return 'N' in b && a.NS.some((n) => valuesEqual({ N: n }, b));
  if ('BS' in a) return 'B' in b && a.BS.some((x) => valuesEqual({ B: x }, b));
  if ('L' in a) return a.L.some((element) => valuesEqual(element, b));
  return false;
}
