/**
 * GetItem, PutItem, UpdateItem, DeleteItem: one item, read-decide-write in one store transaction.
 *
 * AppSync's rule on a failed condition: when the item as stored already equals what the request
 * would write, the condition failure is treated as success (a retried request is idempotent);
 * otherwise `ConditionalCheckFailedException`. Results are the item after the write (PutItem,
 * UpdateItem) or before it (DeleteItem), as plain JSON.
 */
import { itemSize, unmarshallItem, valuesEqual, type AttributeValue, type Item } from '../attribute-value.ts';
import { CONDITION_FAILED_MESSAGE, TableError, validation } from '../errors.ts';
import { assertAllUsed, compileCondition, compileProjection, compileUpdate, type Compiled, type CompiledCondition } from '../expressions/index.ts';
import { checkItemKey, checkKey, keyNames, refOf } from '../keys.ts';
import { readExpression, readItem, type Json } from '../request-shapes.ts';
import { parseStored, tableNamed, type OperationContext } from './context.ts';

const MAX_ITEM_BYTES = 400 * 1024;

export function itemsEqual(a: Item | undefined, b: Item | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] !== undefined && valuesEqual(a[k] as AttributeValue, b[k] as AttributeValue));
}

function readCondition(request: Json): { condition: CompiledCondition | undefined; compiled: Compiled[] } {
  const input = readExpression(request['condition'], 'condition');
  if (input === undefined) return { condition: undefined, compiled: [] };
  const condition = compileCondition(input, 'ConditionExpression');
  assertAllUsed(input.names, input.values, [condition]);
  return { condition, compiled: [condition] };
}

function checkSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
}

export async function getItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  checkKey(table, key);
  const projectionInput = readExpression(request['projection'], 'projection');
  const stored = parseStored(await ctx.store.get(refOf(table, key)));
  if (stored === undefined) return null;
  if (projectionInput === undefined) return unmarshallItem(stored);
  const projection = compileProjection(projectionInput);
  assertAllUsed(projectionInput.names, undefined, [projection]);
  return unmarshallItem(projection.project(stored));
}

export async function putItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  const attributes = request['attributeValues'] === undefined ? {} : readItem(request['attributeValues'], 'attributeValues');
  // The helpers keep key attributes out of attributeValues; the stored item is both merged.
  const item: Item = { ...attributes, ...key };
  checkKey(table, key);
  checkItemKey(table, item);
  checkSize(item);
  const { condition } = readCondition(request);
  return ctx.store.atomically([refOf(table, key)], ([current]) => {
    const before = parseStored(current);
    if (condition !== undefined && !condition.evaluate(before) && !itemsEqual(before, item)) {
      throw new TableError('ConditionalCheckFailedException', CONDITION_FAILED_MESSAGE);
    }
    return { writes: [JSON.stringify(item)], result: unmarshallItem(item) };
  });
}

export async function updateItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  checkKey(table, key);
  const updateInput = readExpression(request['update'], 'update');
  if (updateInput === undefined) throw validation('Invalid UpdateExpression: The expression can not be empty;');
  const update = compileUpdate(updateInput);
  const conditionInput = readExpression(request['condition'], 'condition');
  const condition = conditionInput === undefined ? undefined : compileCondition(conditionInput, 'ConditionExpression');
  // Names and values are checked across both expressions, as DynamoDB does for one request.
  const names = { ...updateInput.names, ...conditionInput?.names };
  const values = { ...updateInput.values, ...conditionInput?.values };
  assertAllUsed(names, values, condition === undefined ? [update] : [update, condition]);
  const keys = keyNames(table);
  return ctx.store.atomically([refOf(table, key)], ([current]) => {
    const before = parseStored(current);
    const after: Item = { ...update.apply(before ?? key, keys), ...key };
    if (condition !== undefined && !condition.evaluate(before) && !itemsEqual(before, after)) {
      throw new TableError('ConditionalCheckFailedException', CONDITION_FAILED_MESSAGE);
    }
    checkSize(after);
    return { writes: [JSON.stringify(after)], result: unmarshallItem(after) };
  });
}

export async function deleteItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  checkKey(table, key);
  const { condition } = readCondition(request);
  return ctx.store.atomically([refOf(table, key)], ([current]) => {
    const before = parseStored(current);
    if (condition !== undefined && !condition.evaluate(before)) {
      // Already gone is what the caller wanted: AppSync treats that as success.
      if (before !== undefined) throw new TableError('ConditionalCheckFailedException', CONDITION_FAILED_MESSAGE);
    }
    return { writes: [before === undefined ? undefined : null], result: before === undefined ? null : unmarshallItem(before) };
  });
}
