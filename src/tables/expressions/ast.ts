/**
 * The parsed form of every expression kind. Placeholders are already resolved: a path holds real
 * attribute names, a value node holds the attribute value, so evaluation never looks at the
 * request's `ExpressionAttributeNames`/`Values` again.
 */
import type { AttributeValue } from '../attribute-value.ts';

export type PathElement = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

export interface PathNode {
  readonly type: 'path';
  readonly elements: readonly PathElement[];
}

export interface ValueNode {
  readonly type: 'value';
  /** The placeholder as written (`:v`), for messages. */
  readonly placeholder: string;
  readonly value: AttributeValue;
}

export interface SizeNode {
  readonly type: 'size';
  readonly path: PathNode;
}

/** `if_not_exists(path, operand)` and `list_append(a, b)`: only valid on the right of an update's SET. */
export interface UpdateFunctionNode {
  readonly type: 'if_not_exists' | 'list_append';
  readonly args: readonly [Operand, Operand];
}

export interface ArithmeticNode {
  readonly type: 'arithmetic';
  readonly op: '+' | '-';
  readonly left: Operand;
  readonly right: Operand;
}

export type Operand = PathNode | ValueNode | SizeNode | UpdateFunctionNode | ArithmeticNode;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export const BOOLEAN_FUNCTIONS = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'] as const;
export type BooleanFunctionName = (typeof BOOLEAN_FUNCTIONS)[number];

export type ConditionNode =
  | { readonly type: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly type: 'between'; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly type: 'in'; readonly subject: Operand; readonly list: readonly Operand[] }
  | { readonly type: 'function'; readonly name: BooleanFunctionName; readonly args: readonly Operand[] }
  | { readonly type: 'and' | 'or'; readonly left: ConditionNode; readonly right: ConditionNode }
  | { readonly type: 'not'; readonly operand: ConditionNode };

export type UpdateAction =
  | { readonly type: 'SET'; readonly path: PathNode; readonly value: Operand }
  | { readonly type: 'REMOVE'; readonly path: PathNode }
  | { readonly type: 'ADD' | 'DELETE'; readonly path: PathNode; readonly value: ValueNode };

/** DynamoDB's rendering of a path in messages: `[a, b, [2]]`. */
export function formatPath(path: PathNode): string {
  return `[${path.elements.map((e) => (e.kind === 'name' ? e.name : `[${e.index}]`)).join(', ')}]`;
}
