/**
 * What Query and Scan share: the key schema they read by (table or index), the filter and
 * projection, and the page they return. DynamoDB's order of work: read up to `limit` items (the
 * page), then apply the filter to that page, so a filtered page may hold fewer items than `limit`
 * and still have a `nextToken`. `scannedCount` counts items read before filtering.
 */
import { merged } from '../../core/index.ts';
import type { KeyAttribute, TableDefinition } from '../../app/index.ts';
import { unmarshallItem, type AttributeValue, type Item } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import { compileCondition, compileProjection, type Compiled, type CompiledCondition, type CompiledProjection } from '../expressions/index.ts';
import { encodePageToken } from '../page-token.ts';
import { readExpression, type Json } from '../request-shapes.ts';

/** Without a limit DynamoDB stops at 1 MB; an item count stands in for that here. */
export const DEFAULT_PAGE = 1000;

export interface PageResult {
  readonly items: unknown[];
  readonly nextToken: string | null;
  readonly scannedCount: number;
}

/** The key a read goes by: the table's own, or one secondary index's (`index` names it). */
export interface KeySchema {
  readonly index: string | null;
  readonly pk: KeyAttribute;
  readonly sk?: KeyAttribute;
}

export function schemaFor(table: TableDefinition, index: string | undefined): KeySchema {
  if (index === undefined) return { index: null, pk: table.partitionKey, ...(table.sortKey ? { sk: table.sortKey } : {}) };
  const idx = table.indexes[index];
  if (idx === undefined) throw validation(`The table does not have the specified index: ${index}`);
  return { index, pk: idx.partitionKey, ...(idx.sortKey ? { sk: idx.sortKey } : {}) };
}

/** Whether an item is in the index: a secondary index is sparse, holding only items with all its key attributes. */
export function inIndex(item: Item, schema: KeySchema): boolean {
  return schema.index === null || (item[schema.pk.name] !== undefined && (schema.sk === undefined || item[schema.sk.name] !== undefined));
}

export interface Filters {
  readonly filter: CompiledCondition | undefined;
  readonly projection: CompiledProjection | undefined;
  readonly compiled: Compiled[];
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

export function readFilters(request: Json): Filters {
  const filterInput = readExpression(request['filter'], 'filter');
  const projectionInput = readExpression(request['projection'], 'projection');
  const filter = filterInput === undefined ? undefined : compileCondition(filterInput, 'FilterExpression');
  const projection = projectionInput === undefined ? undefined : compileProjection(projectionInput);
  const compiled: Compiled[] = [];
  if (filter) compiled.push(filter);
  if (projection) compiled.push(projection);
  return {
    filter,
    projection,
    compiled,
    names: merged(filterInput?.names, projectionInput?.names),
    values: merged(filterInput?.values, projectionInput?.values),
  };
}

/** The key attributes a page token must hold to resume after `item`: the table's and the index's. */
export function lastKeyOf(item: Item | undefined, table: TableDefinition, schema: KeySchema): Item | undefined {
  if (item === undefined) return undefined;
  const key: Record<string, AttributeValue> = {};
  for (const n of [table.partitionKey.name, table.sortKey?.name, schema.pk.name, schema.sk?.name]) {
    if (n !== undefined && item[n] !== undefined) key[n] = item[n] as AttributeValue;
  }
  return key;
}

export function finish(items: readonly Item[], filters: Filters, lastKey: Item | undefined, table: string, index: string | null, hasMore: boolean): PageResult {
  const kept = filters.filter === undefined ? items : items.filter((i) => filters.filter?.evaluate(i) === true);
  const shaped = filters.projection === undefined ? kept : kept.map((i) => filters.projection?.project(i) as Item);
  return {
    items: shaped.map(unmarshallItem),
    nextToken: hasMore && lastKey !== undefined ? encodePageToken(table, index, lastKey) : null,
    scannedCount: items.length,
  };
}
