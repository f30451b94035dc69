/**
 * `operations` of `@aws-appsync/utils/dynamodb` and the update expression `update()` builds from
 * them. Recorded AWS shapes: `increment(10)` is `{type:"OPERATION_INCREMENT", by:10}` and renders
 * `SET #expName_1 = #expName_1 + :expValue_1`; `add` and `replace` render a plain `SET`.
 */
import { isPlainObject, isTaggedSet, toDynamoDB, type AttributeValue } from './attribute-value.ts';

export const operations = Object.freeze({
  add: (value: unknown) => ({ type: 'OPERATION_ADD', value }),
  remove: () => ({ type: 'OPERATION_REMOVE' }),
  replace: (value: unknown) => ({ type: 'OPERATION_REPLACE', value }),
  increment: (by: unknown = 1) => ({ type: 'OPERATION_INCREMENT', by }),
  decrement: (by: unknown = 1) => ({ type: 'OPERATION_DECREMENT', by }),
  append: (items: unknown) => ({ type: 'OPERATION_APPEND', items }),
  prepend: (items: unknown) => ({ type: 'OPERATION_PREPEND', items }),
  updateListItem: (item: unknown, index: unknown) => ({ type: 'OPERATION_UPDATE_LIST_ITEM', item, index }),
});

const OPERATION_TYPES = new Set([
  'OPERATION_ADD',
  'OPERATION_REMOVE',
  'OPERATION_REPLACE',
  'OPERATION_INCREMENT',
  'OPERATION_DECREMENT',
  'OPERATION_APPEND',
  'OPERATION_PREPEND',
  'OPERATION_UPDATE_LIST_ITEM',
]);

function operationOf(value: unknown): Record<string, unknown> | null {
  return isPlainObject(value) && typeof value['type'] === 'string' && OPERATION_TYPES.has(value['type']) ? value : null;
}

export interface UpdateExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

/** Builds `SET ... REMOVE ...` from an update object; nested plain objects update nested paths. */
export function buildUpdateExpression(update: unknown): UpdateExpression {
  const out: UpdateExpression = { expression: '', expressionNames: {}, expressionValues: {} };
  const sets: string[] = [];
  const removes: string[] = [];
  let names = 0;
  let values = 0;
  const nameFor = (attribute: string): string => {
    const n = `#expName_${++names}`;
    out.expressionNames[n] = attribute;
    return n;
  };
  const valueFor = (value: unknown): string => {
    const v = `:expValue_${++values}`;
    out.expressionValues[v] = toDynamoDB(value);
    return v;
  };

  const visit = (fields: Record<string, unknown>, parent: string): void => {
    for (const [attribute, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const path = `${parent}${nameFor(attribute)}`;
      const op = operationOf(value);
      if (op !== null) {
        applyOperation(op, path);
      } else if (Array.isArray(value) && value.length > 0 && value.every((v: unknown) => operationOf(v)?.['type'] === 'OPERATION_UPDATE_LIST_ITEM')) {
        for (const item of value as Record<string, unknown>[]) sets.push(`${path}[${Number(item['index'])}] = ${valueFor(item['item'])}`);
      } else if (isPlainObject(value) && !isTaggedSet(value)) {
        visit(value, `${path}.`);
      } else {
        sets.push(`${path} = ${valueFor(value)}`);
      }
    }
  };

  const applyOperation = (op: Record<string, unknown>, path: string): void => {
    switch (op['type']) {
      case 'OPERATION_REMOVE':
        removes.push(path);
        return;
      case 'OPERATION_INCREMENT':
        sets.push(`${path} = ${path} + ${valueFor(op['by'])}`);
        return;
      case 'OPERATION_DECREMENT':
        sets.push(`${path} = ${path} - ${valueFor(op['by'])}`);
        return;
      case 'OPERATION_APPEND':
        sets.push(`${path} = list_append(${path}, ${valueFor(op['items'])})`);
        return;
      case 'OPERATION_PREPEND':
        sets.push(`${path} = list_append(${valueFor(op['items'])}, ${path})`);
        return;
      case 'OPERATION_UPDATE_LIST_ITEM':
        sets.push(`${path}[${Number(op['index'])}] = ${valueFor(op['item'])}`);
        return;
      default:
        // OPERATION_ADD and OPERATION_REPLACE both overwrite the attribute on AWS
        sets.push(`${path} = ${valueFor(op['value'])}`);
    }
  };

  if (isPlainObject(update)) visit(update, '');
  const clauses: string[] = [];
  if (sets.length > 0) clauses.push(`SET ${sets.join(', ')}`);
  if (removes.length > 0) clauses.push(`REMOVE ${removes.join(', ')}`);
  out.expression = clauses.join(' ');
  return out;
}
