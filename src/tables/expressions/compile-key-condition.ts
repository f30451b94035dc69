/**
 * KeyConditionExpression: an equality on the partition key, optionally AND one condition on the
 * sort key (`= < <= > >=`, `BETWEEN`, `begins_with`). Parsed with the condition grammar, then
 * checked against the key schema, so the query planner gets the key values directly.
 */
import { merged } from '../../core/index.ts';
import { typeOf, type AttributeValue, type Item } from '../attribute-value.ts';
import type { ConditionNode, Operand } from './ast.ts';
import type { Compiled, ExpressionInput } from './compiled.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import { ExpressionError, invalid } from './expression-error.ts';
import { parseCondition } from './parser-condition.ts';
import { Parser } from './parser.ts';

export type SortKeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyCondition extends Compiled {
  readonly partitionValue: AttributeValue;
  readonly sort?: { readonly op: SortKeyOperator; readonly values: readonly AttributeValue[] };
  /** Whether an item's key attributes satisfy the whole condition. */
  evaluate(item: Item): boolean;
}

interface KeyTerm {
  readonly name: string;
  readonly op: SortKeyOperator;
  readonly values: readonly AttributeValue[];
}

const MIRRORED: Readonly<Record<string, SortKeyOperator>> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NOT_SUPPORTED = 'Query key condition not supported';

export function compileKeyCondition(input: ExpressionInput, key: { readonly partitionKey: string; readonly sortKey?: string }): KeyCondition {
  const parser = new Parser(input.expression, 'KeyConditionExpression', input);
  const ast = parseCondition(parser);
  const terms = conjuncts(ast).map(toTerm);
  const byName = new Map<string, KeyTerm>();
  for (const term of terms) {
    if (byName.has(term.name)) throw invalid('KeyConditionExpression', 'KeyConditionExpressions must only contain one condition per key');
    byName.set(term.name, term);
  }
  for (const name of byName.keys()) {
    if (name !== key.partitionKey && name !== key.sortKey) throw new ExpressionError(NOT_SUPPORTED);
  }
  const partition = byName.get(key.partitionKey);
  if (partition === undefined) throw new ExpressionError(`Query condition missed key schema element: ${key.partitionKey}`);
  if (partition.op !== '=') throw new ExpressionError(NOT_SUPPORTED);
  const sort = key.sortKey === undefined ? undefined : byName.get(key.sortKey);
  const base = {
    usedNames: parser.usedNames,
    usedValues: parser.usedValues,
    partitionValue: partition.values[0] as AttributeValue,
    evaluate: (item: Item) => evaluateCondition(ast, item),
  };
  return sort === undefined ? base : merged(base, { sort: { op: sort.op, values: sort.values } });
}

function conjuncts(node: ConditionNode): ConditionNode[] {
  return node.type === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

function toTerm(node: ConditionNode): KeyTerm {
  switch (node.type) {
    case 'or':
    case 'not':
    case 'in':
      throw new ExpressionError(`Invalid operator used in KeyConditionExpression: ${node.type.toUpperCase()}`);
    case 'compare': {
      if (node.op === '<>') throw new ExpressionError('Invalid operator used in KeyConditionExpression: <>');
      if (node.right.type === 'path' && node.left.type === 'value') {
        return term(node.right, MIRRORED[node.op] as SortKeyOperator, [node.left]);
      }
      return term(node.left, node.op, [node.right]);
    }
    case 'between':
      return term(node.subject, 'BETWEEN', [node.low, node.high]);
    case 'function':
      if (node.name !== 'begins_with') throw new ExpressionError(`Invalid operator used in KeyConditionExpression: ${node.name}`);
      return term(node.args[0], 'BEGINS_WITH', node.args.slice(1));
    default:
      throw new ExpressionError(NOT_SUPPORTED);
  }
}

function term(subject: Operand | undefined, op: SortKeyOperator, operands: readonly Operand[]): KeyTerm {
  const first = subject?.type === 'path' ? subject.elements[0] : undefined;
  if (subject?.type !== 'path' || subject.elements.length !== 1 || first?.kind !== 'name') throw new ExpressionError(NOT_SUPPORTED);
  const values = operands.map((operand) => {
    if (operand.type !== 'value') throw new ExpressionError(NOT_SUPPORTED);
    if (!['S', 'N', 'B'].includes(typeOf(operand.value))) {
      throw new ExpressionError('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    return operand.value;
  });
  return { name: first.name, op, values };
}
