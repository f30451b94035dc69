/**
 * Applies parsed update actions to an item, returning a new item (the input is never mutated:
 * unchanged sub-values are shared, changed ones are copied along the path).
 *
 * Every SET right-hand side is evaluated against the item as it was before the update, as
 * DynamoDB does, so `SET a = b, b = a` swaps. REMOVEs of list elements use the original indexes.
 */
import { copyOf } from '../../core/index.ts';
import { typeOf, valuesEqual, type AttributeValue, type Item } from '../attribute-value.ts';
import type { Operand, PathElement, UpdateAction } from './ast.ts';
import { addDecimal } from './decimal.ts';
import { resolvePath } from './document-path.ts';
import { ExpressionError } from './expression-error.ts';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const MISSING_OPERAND = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

type Change = (old: AttributeValue | undefined) => AttributeValue | undefined;

export function applyUpdate(actions: readonly UpdateAction[], item: Item | undefined, keyNames: readonly string[]): Record<string, AttributeValue> {
  for (const action of actions) {
    const first = action.path.elements[0];
    if (first?.kind === 'name' && keyNames.includes(first.name)) {
      throw new ExpressionError(`One or more parameter values were invalid: Cannot update attribute ${first.name}. This attribute is part of the key`);
    }
  }
  const changes: { elements: readonly PathElement[]; change: Change }[] = [];
  for (const action of actions) {
    if (action.type === 'SET') {
      const value = evaluate(action.value, item);
      changes.push({ elements: action.path.elements, change: () => value });
    }
  }
  const removals = actions.filter((a) => a.type === 'REMOVE').map((a) => a.path.elements);
  for (const elements of removals.sort(descending)) changes.push({ elements, change: () => undefined });
  for (const action of actions) {
    if (action.type === 'ADD') changes.push({ elements: action.path.elements, change: (old) => add(old, action.value.value) });
    if (action.type === 'DELETE') changes.push({ elements: action.path.elements, change: (old) => remove(old, action.value.value) });
  }
  let root: AttributeValue = { M: item ?? {} };
  for (const { elements, change } of changes) root = updateIn(root, elements, change);
  return copyOf((root as { M: Item }).M);
}

function evaluate(operand: Operand, item: Item | undefined): AttributeValue {
  switch (operand.type) {
    case 'value':
      return operand.value;
    case 'path': {
      const value = resolvePath(item, operand.elements);
      if (value === undefined) throw new ExpressionError(MISSING_OPERAND);
      return value;
    }
    case 'if_not_exists': {
      const [path, fallback] = operand.args;
      return (path.type === 'path' ? resolvePath(item, path.elements) : undefined) ?? evaluate(fallback, item);
    }
    case 'list_append': {
      const a = evaluate(operand.args[0], item);
      const b = evaluate(operand.args[1], item);
      if (!('L' in a) || !('L' in b)) throw new ExpressionError(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case 'arithmetic': {
      const a = evaluate(operand.left, item);
      const b = evaluate(operand.right, item);
      if (!('N' in a) || !('N' in b)) throw new ExpressionError(WRONG_TYPE);
      return { N: addDecimal(a.N, b.N, operand.op === '-') };
    }
    case 'size':
      throw new ExpressionError(WRONG_TYPE);
  }
}

/** ADD: number addition or set union; a missing attribute starts as the added value. */
function add(old: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (old === undefined) return value;
  if ('N' in old && 'N' in value) return { N: addDecimal(old.N, value.N) };
  const type = typeOf(old);
  if (type !== typeOf(value) || !isSet(old)) throw new ExpressionError(WRONG_TYPE);
  const members = setMembers(old);
  const added = setMembers(value).filter((x) => !members.some((m) => sameMember(type, m, x)));
  return { [type]: [...members, ...added] } as unknown as AttributeValue;
}

/** DELETE: set difference; an emptied set removes the attribute. */
function remove(old: AttributeValue | undefined, value: AttributeValue): AttributeValue | undefined {
  if (old === undefined) return undefined;
  const type = typeOf(old);
  if (type !== typeOf(value) || !isSet(old)) throw new ExpressionError(WRONG_TYPE);
  const removed = setMembers(value);
  const kept = setMembers(old).filter((m) => !removed.some((x) => sameMember(type, m, x)));
  return kept.length === 0 ? undefined : ({ [type]: kept } as unknown as AttributeValue);
}

function isSet(value: AttributeValue): boolean {
  return 'SS' in value || 'NS' in value || 'BS' in value;
}

function setMembers(value: AttributeValue): string[] {
  return [...((value as Record<string, readonly string[]>)[typeOf(value)] ?? [])];
}

function sameMember(type: string, a: string, b: string): boolean {
  return type === 'NS' ? valuesEqual({ N: a }, { N: b }) : a === b;
}

/** Orders REMOVE paths so that, within one list, higher indexes go first and earlier ones stay valid. */
function descending(a: readonly PathElement[], b: readonly PathElement[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k] as PathElement;
    const y = b[k] as PathElement;
    if (x.kind === 'index' && y.kind === 'index' && x.index !== y.index) return y.index - x.index;
    if (x.kind === 'name' && y.kind === 'name' && x.name !== y.name) return x.name < y.name ? -1 : 1;
  }
  return 0;
}

/**
 * Rebuilds `value` with `change` applied at `steps`. Every step before the last must exist with
 * the right type; the last may be missing (SET creates it, REMOVE ignores it). A SET past the end
 * of a list appends.
 */
function updateIn(value: AttributeValue, steps: readonly PathElement[], change: Change): AttributeValue {
  const [step, ...rest] = steps;
  if (step === undefined) return value;
  if (step.kind === 'name') {
    if (!('M' in value)) throw new ExpressionError(INVALID_PATH);
    const old = value.M[step.name];
    const next = rest.length === 0 ? change(old) : updateIn(existing(old), rest, change);
    const copy: Record<string, AttributeValue> = copyOf(value.M);
    if (next === undefined) delete copy[step.name];
    else copy[step.name] = next;
    return { M: copy };
  }
  if (!('L' in value)) throw new ExpressionError(INVALID_PATH);
  const list = [...value.L];
  const old = list[step.index];
  const next = rest.length === 0 ? change(old) : updateIn(existing(old), rest, change);
  if (next === undefined) {
    if (old === undefined) return value;
    list.splice(step.index, 1);
  } else if (step.index >= list.length) {
    list.push(next);
  } else {
    list[step.index] = next;
  }
  return { L: list };
}

function existing(value: AttributeValue | undefined): AttributeValue {
  if (value === undefined) throw new ExpressionError(INVALID_PATH);
  return value;
}
