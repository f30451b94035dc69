/**
 * TransactGetItems and TransactWriteItems: all items in one store transaction. A write
 * transaction checks every condition first; if any fails, nothing is written and the error is
 * `TransactionCanceledException` with one `cancellationReasons` entry per item, in request order
 * (`ConditionalCheckFailed` or `None`), which AppSync exposes on `ctx.result` (seed 000 reads it).
 */
import { merged } from '../../core/index.ts';
import type { TableDefinition } from '../../app/index.ts';
import { unmarshallItem, type Item } from '../attribute-value.ts';
import { CONDITION_FAILED_MESSAGE, TableError, validation } from '../errors.ts';
import { assertAllUsed, compileCondition, compileProjection, compileUpdate, type CompiledCondition, type CompiledUpdate } from '../expressions/index.ts';
import { checkItemSize } from '../item-limits.ts';
import { checkIndexKeys, checkItemKey, checkKey, keyNames, keyOf, refOf } from '../keys.ts';
import { asObject, readExpression, readItem, type Json } from '../request-shapes.ts';
import { parseStored, tableNamed, type OperationContext } from './context.ts';

function transactItems(request: Json, max: number): Json[] {
  const items = request['transactItems'];
  if (!Array.isArray(items) || items.length === 0) throw validation('transactItems must be a non-empty list');
  if (items.length > max) {
    throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  return items.map((i, n) => asObject(i, `transactItems[${n}]`));
}

export async function transactGetItems(ctx: OperationContext, request: Json): Promise<unknown> {
  const items: unknown[] = [];
  for (const spec of transactItems(request, 100)) {
    const table = tableNamed(ctx, spec['table'] as string | undefined);
    const key = readItem(spec['key'], 'key');
    checkKey(table, key);
    const projectionInput = readExpression(spec['projection'], 'projection');
    const projection = projectionInput === undefined ? undefined : compileProjection(projectionInput);
    if (projectionInput !== undefined && projection !== undefined) assertAllUsed(projectionInput.names, projectionInput.values, [projection]);
    const stored = parseStored(await ctx.store.get(refOf(table, key)));
    items.push(stored === undefined ? null : unmarshallItem(projection ? projection.project(stored) : stored));
  }
  return { items, cancellationReasons: null };
}

interface PlannedWrite {
  readonly table: TableDefinition;
  readonly key: Item;
  readonly operation: 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheck';
  readonly item?: Item;
  readonly update?: CompiledUpdate;
  readonly condition?: CompiledCondition;
  readonly returnItem: boolean;
}

function plan(ctx: OperationContext, spec: Json): PlannedWrite {
  const table = tableNamed(ctx, spec['table'] as string | undefined);
  const operation = spec['operation'] as PlannedWrite['operation'];
  if (operation !== 'PutItem' && operation !== 'UpdateItem' && operation !== 'DeleteItem' && operation !== 'ConditionCheck') {
    throw validation(`Unsupported operation in transactItems: ${String(operation)}`);
  }
  const key = readItem(spec['key'], 'key');
  checkKey(table, key);
  const conditionInput = readExpression(spec['condition'], 'condition');
  const condition = conditionInput === undefined ? undefined : compileCondition(conditionInput, 'ConditionExpression');
  const returnItem = conditionInput !== undefined && (spec['condition'] as Json)['returnValuesOnConditionCheckFailure'] === true;
  if (operation === 'ConditionCheck' && condition === undefined) throw validation('ConditionCheck requires a condition expression');
  const base = { table, key, operation, returnItem, ...(condition ? { condition } : {}) };
  if (operation === 'PutItem') {
    const item: Item = merged(spec['attributeValues'] === undefined ? undefined : readItem(spec['attributeValues'], 'attributeValues'), key);
    checkItemKey(table, item);
    checkIndexKeys(table, item);
    checkItemSize(item);
    if (conditionInput && condition) assertAllUsed(conditionInput.names, conditionInput.values, [condition]);
    return merged(base, { item });
  }
  if (operation === 'UpdateItem') {
    const updateInput = readExpression(spec['update'], 'update');
    if (updateInput === undefined) throw validation('Invalid UpdateExpression: The expression can not be empty;');
    const update = compileUpdate(updateInput);
    assertAllUsed(merged(updateInput.names, conditionInput?.names), merged(updateInput.values, conditionInput?.values), condition ? [update, condition] : [update]);
    return merged(base, { update });
  }
  if (conditionInput && condition) assertAllUsed(conditionInput.names, conditionInput.values, [condition]);
  return base;
}

export async function transactWriteItems(ctx: OperationContext, request: Json): Promise<unknown> {
  const writes = transactItems(request, 100).map((spec) => plan(ctx, spec));
  const refs = writes.map((w) => refOf(w.table, w.key));
  const seen = new Set(refs.map((r) => JSON.stringify(r)));
  if (seen.size !== refs.length) throw validation('Transaction request cannot include multiple operations on one item');
  return ctx.store.atomically(refs, (current) => {
    const before = current.map(parseStored);
    const reasons = writes.map((w, i) => {
      if (w.condition === undefined || w.condition.evaluate(before[i])) return { type: 'None', message: 'None' };
      const item = before[i];
      return { type: 'ConditionalCheckFailed', message: CONDITION_FAILED_MESSAGE, ...(w.returnItem && item ? { item: unmarshallItem(item) } : {}) };
    });
    if (reasons.some((r) => r.type !== 'None')) {
      throw new TableError(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.type).join(', ')}]`,
        { keys: null, cancellationReasons: reasons },
      );
    }
    const texts = writes.map((w, i) => {
      switch (w.operation) {
        case 'PutItem':
          return JSON.stringify(w.item);
        case 'UpdateItem': {
          const after: Item = merged((w.update as CompiledUpdate).apply(before[i] ?? w.key, keyNames(w.table)), w.key);
          checkIndexKeys(w.table, after);
          checkItemSize(after);
          return JSON.stringify(after);
        }
        case 'DeleteItem':
          return before[i] === undefined ? undefined : null;
        default:
          return undefined;
      }
    });
    return { writes: texts, result: { keys: writes.map((w) => unmarshallItem(keyOf(w.table, w.key))), cancellationReasons: null } };
  });
}
