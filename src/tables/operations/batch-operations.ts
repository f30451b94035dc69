/**
 * BatchGetItem, BatchPutItem, BatchDeleteItem in AppSync's shapes: `tables: {name: [...]}` in,
 * `data: {name: [...]}` plus `unprocessedKeys`/`unprocessedItems` out (always empty here: the
 * embedded store has no throughput limit). BatchGetItem keeps request order with `null` for
 * missing items, as AppSync does. Limits as DynamoDB: 100 keys to get, 25 items to write.
 */
import { unmarshallItem, type Item } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import { assertAllUsed, compileProjection } from '../expressions/index.ts';
import type { ItemRef } from '../../storage/index.ts';
import { checkItemSize } from '../item-limits.ts';
import { checkIndexKeys, checkItemKey, checkKey, keyOf, refOf } from '../keys.ts';
import { asObject, readExpression, readItem, type Json } from '../request-shapes.ts';
import { parseStored, tableNamed, type OperationContext } from './context.ts';

function tablesOf(request: Json): [string, unknown][] {
  return Object.entries(asObject(request['tables'], 'tables'));
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw validation(`${what} must be a list`);
  return value;
}

/** DynamoDB refuses a batch naming one item twice (the store would otherwise apply both, last wins). */
function refuseDuplicates(refs: readonly ItemRef[]): void {
  if (new Set(refs.map((r) => JSON.stringify(r))).size !== refs.length) throw validation('Provided list of item keys contains duplicates');
}

export async function batchGetItem(ctx: OperationContext, request: Json): Promise<unknown> {
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  let total = 0;
  for (const [name, spec] of tablesOf(request)) {
    const table = tableNamed(ctx, name);
    const obj = asObject(spec, `tables.${name}`);
    const keys = list(obj['keys'], `tables.${name}.keys`).map((k) => readItem(k, 'key'));
    total += keys.length;
    if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
    const projectionInput = readExpression(obj['projection'], 'projection');
    const projection = projectionInput === undefined ? undefined : compileProjection(projectionInput);
    if (projectionInput && projection) assertAllUsed(projectionInput.names, projectionInput.values, [projection]);
    for (const key of keys) checkKey(table, key);
    refuseDuplicates(keys.map((key) => refOf(table, key)));
    const items: unknown[] = [];
    for (const key of keys) {
      const stored = parseStored(await ctx.store.get(refOf(table, key)));
      items.push(stored === undefined ? null : unmarshallItem(projection ? projection.project(stored) : stored));
    }
    data[name] = items;
    unprocessedKeys[name] = [];
  }
  return { data, unprocessedKeys };
}

export async function batchPutItem(ctx: OperationContext, request: Json): Promise<unknown> {
  const writes = tablesOf(request).map(([name, items]) => {
    const table = tableNamed(ctx, name);
    return { name, table, items: list(items, `tables.${name}`).map((i) => readItem(i, 'item')) };
  });
  const count = writes.reduce((n, w) => n + w.items.length, 0);
  if (count > 25) throw validation('Too many items requested for the BatchWriteItem call');
  const refs = writes.flatMap((w) => w.items.map((item) => {
    checkItemKey(w.table, item);
    checkIndexKeys(w.table, item);
    checkItemSize(item);
    return refOf(w.table, keyOf(w.table, item));
  }));
  refuseDuplicates(refs);
  const texts = writes.flatMap((w) => w.items.map((item) => JSON.stringify(item)));
  await ctx.store.atomically(refs, () => ({ writes: texts, result: undefined }));
  const data: Record<string, unknown[]> = {};
  const unprocessedItems: Record<string, unknown[]> = {};
  for (const w of writes) {
    data[w.name] = w.items.map((i: Item) => unmarshallItem(i));
    unprocessedItems[w.name] = [];
  }
  return { data, unprocessedItems };
}

export async function batchDeleteItem(ctx: OperationContext, request: Json): Promise<unknown> {
  const deletes = tablesOf(request).map(([name, keys]) => {
    const table = tableNamed(ctx, name);
    const parsed = list(keys, `tables.${name}`).map((k) => readItem(k, 'key'));
    for (const k of parsed) checkKey(table, k);
    return { name, table, keys: parsed };
  });
  if (deletes.reduce((n, d) => n + d.keys.length, 0) > 25) throw validation('Too many items requested for the BatchWriteItem call');
  const refs = deletes.flatMap((d) => d.keys.map((k) => refOf(d.table, k)));
  refuseDuplicates(refs);
  await ctx.store.atomically(refs, (current) => ({ writes: current.map((c) => (c === undefined ? undefined : null)), result: undefined }));
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const d of deletes) {
    data[d.name] = d.keys.map((k) => unmarshallItem(k));
    unprocessedKeys[d.name] = [];
  }
  return { data, unprocessedKeys };
}
