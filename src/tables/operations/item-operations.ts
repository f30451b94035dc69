/**
 * GetItem, PutItem, UpdateItem, DeleteItem: one item, read-decide-write in one store transaction.
 *
 * AppSync's rule on a failed condition: when the item as stored already equals what the request
 * would write (attributes named in `condition.equalsIgnore` aside), the condition failure is
 * treated as success (a retried request is idempotent); otherwise `ConditionalCheckFailedException`. Results are the item after the write (PutItem,
 * UpdateItem) or before it (DeleteItem), as plain JSON.
 */
import { merged } from '../../core/index.ts';
import { unmarshallItem, valuesEqual, type AttributeValue, type Item } from '../attribute-value.ts';
import { CONDITION_FAILED_MESSAGE, TableError, validation } from '../errors.ts';
import { assertAllUsed, compileCondition, compileProjection, compileUpdate, type CompiledCondition } from '../expressions/index.ts';
import { checkItemSize } from '../item-limits.ts';
import { checkIndexKeys, checkItemKey, checkKey, keyNames, refOf } from '../keys.ts';
import { readExpression, readItem, type Json } from '../request-shapes.ts';
import { parseStored, tableNamed, type OperationContext } from './context.ts';

/** Item equality for AppSync's failed-condition rule; `ignore` is the condition's `equalsIgnore`. */
export function itemsEqual(a: Item | undefined, b: Item | undefined, ignore: readonly string[] = []): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ka = Object.keys(a).filter((k) => !ignore.includes(k));
  const kb = Object.keys(b).filter((k) => !ignore.includes(k));
  return ka.length === kb.length && ka.every((k) => b[k] !== undefined && valuesEqual(a[k] as AttributeValue, b[k] as AttributeValue));
}

/** `condition.equalsIgnore`: attributes (a version, a timestamp) left out of that comparison. */
function readEqualsIgnore(request: Json): readonly string[] {
  const condition = request['condition'];
  if (condition === null || typeof condition !== 'object') return [];
  const ignore = (condition as Json)['equalsIgnore'];
  if (ignore === undefined || ignore === null) return [];
  if (!Array.isArray(ignore) || !ignore.every((x) => typeof x === 'string')) throw validation('condition.equalsIgnore must be a list of attribute names');
  return ignore as string[];
}

function readCondition(request: Json): CompiledCondition | undefined {
  const input = readExpression(request['condition'], 'condition');
  if (input === undefined) return undefined;
  const condition = compileCondition(input, 'ConditionExpression');
  assertAllUsed(input.names, input.values, [condition]);
  return condition;
}

export async function getItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  checkKey(table, key);
  // Compiled before the read: a bad projection fails whether or not the item exists.
  const projectionInput = readExpression(request['projection'], 'projection');
  const projection = projectionInput === undefined ? undefined : compileProjection(projectionInput);
  if (projectionInput !== undefined && projection !== undefined) assertAllUsed(projectionInput.names, projectionInput.values, [projection]);
  const stored = parseStored(await ctx.store.get(refOf(table, key)));
  if (stored === undefined) return null;
  return unmarshallItem(projection === undefined ? stored : projection.project(stored));
}

export async function putItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  const attributes = request['attributeValues'] === undefined ? {} : readItem(request['attributeValues'], 'attributeValues');
  // The helpers keep key attributes out of attributeValues; the stored item is both merged.
  const item: Item = merged(attributes, key);
  // The merged item first, so a missing or mistyped key gets PutItem's own messages.
  checkItemKey(table, item);
  checkKey(table, key);
  checkIndexKeys(table, item);
  checkItemSize(item);
  const condition = readCondition(request);
  const ignore = readEqualsIgnore(request);
  return ctx.store.atomically([refOf(table, key)], ([current]) => {
    const before = parseStored(current);
    if (condition !== undefined && !condition.evaluate(before) && !itemsEqual(before, item, ignore)) {
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
  const names = merged(updateInput.names, conditionInput?.names);
  const values = merged(updateInput.values, conditionInput?.values);
  assertAllUsed(names, values, condition === undefined ? [update] : [update, condition]);
  const keys = keyNames(table);
  const ignore = readEqualsIgnore(request);
  return ctx.store.atomically([refOf(table, key)], ([current]) => {
    const before = parseStored(current);
    const after: Item = merged(update.apply(before ?? key, keys), key);
    if (condition !== undefined && !condition.evaluate(before) && !itemsEqual(before, after, ignore)) {
      throw new TableError('ConditionalCheckFailedException', CONDITION_FAILED_MESSAGE);
    }
    checkIndexKeys(table, after);
    checkItemSize(after);
    return { writes: [JSON.stringify(after)], result: unmarshallItem(after) };
  });
}

export async function deleteItem(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<unknown> {
  const table = tableNamed(ctx, tableName);
  const key = readItem(request['key'], 'key');
  checkKey(table, key);
  const condition = readCondition(request);
  return ctx.store.atomically([refOf(table, key)], ([current]) => {
    const before = parseStored(current);
    if (condition !== undefined && !condition.evaluate(before)) {
      // Already gone is what the caller wanted: AppSync treats that as success.
      if (before !== undefined) throw new TableError('ConditionalCheckFailedException', CONDITION_FAILED_MESSAGE);
    }
    return { writes: [before === undefined ? undefined : null], result: before === undefined ? null : unmarshallItem(before) };
  });
}
