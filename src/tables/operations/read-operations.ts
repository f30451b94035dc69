/**
 * Query and Scan. DynamoDB's order of work: read up to `limit` items (the page), then apply the
 * filter to that page, so a filtered page may hold fewer items than `limit` and still have a
 * `nextToken`. `scannedCount` counts items read before filtering.
 *
 * Secondary indexes in the embedded store are found by a JSON lookup over the table and ordered in
 * memory: right for the view-model sizes this mode is for, not for millions of items per table.
 */
import type { TableDefinition } from '../../app/index.ts';
import type { SortRange, StoredItem } from '../../storage/index.ts';
import { compareValues, unmarshallItem, type AttributeValue, type Item } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import { assertAllUsed, compileCondition, compileKeyCondition, compileProjection, type Compiled, type CompiledCondition, type CompiledProjection, type KeyCondition } from '../expressions/index.ts';
import { keyText, sortValue } from '../keys.ts';
import { decodePageToken, encodePageToken } from '../page-token.ts';
import { readExpression, readLimit, readOptionalString, type Json } from '../request-shapes.ts';
import { tableNamed, type OperationContext } from './context.ts';

/** Without a limit DynamoDB stops at 1 MB; an item count stands in for that here. */
const DEFAULT_PAGE = 1000;

export interface PageResult {
  readonly items: unknown[];
  readonly nextToken: string | null;
  readonly scannedCount: number;
}

interface KeySchema {
  readonly index: string | null;
  readonly pk: string;
  readonly sk?: string;
}

function schemaFor(table: TableDefinition, index: string | undefined): KeySchema {
  if (index === undefined) return { index: null, pk: table.partitionKey.name, ...(table.sortKey ? { sk: table.sortKey.name } : {}) };
  const idx = table.indexes[index];
  if (idx === undefined) throw validation(`The table does not have the specified index: ${index}`);
  return { index, pk: idx.partitionKey.name, ...(idx.sortKey ? { sk: idx.sortKey.name } : {}) };
}

interface Filters {
  readonly filter: CompiledCondition | undefined;
  readonly projection: CompiledProjection | undefined;
  readonly compiled: Compiled[];
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

function readFilters(request: Json): Filters {
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
    names: { ...filterInput?.names, ...projectionInput?.names },
    values: { ...filterInput?.values },
  };
}

function finish(items: readonly Item[], filters: Filters, lastKey: Item | undefined, table: string, index: string | null, hasMore: boolean): PageResult {
  const kept = filters.filter === undefined ? items : items.filter((i) => filters.filter?.evaluate(i) === true);
  const shaped = filters.projection === undefined ? kept : kept.map((i) => filters.projection?.project(i) as Item);
  return {
    items: shaped.map(unmarshallItem),
    nextToken: hasMore && lastKey !== undefined ? encodePageToken(table, index, lastKey) : null,
    scannedCount: items.length,
  };
}

function pickKey(item: Item, names: readonly (string | undefined)[]): Item {
  const key: Record<string, AttributeValue> = {};
  for (const n of names) if (n !== undefined && item[n] !== undefined) key[n] = item[n] as AttributeValue;
  return key;
}

function rangeOf(kc: KeyCondition): SortRange | undefined {
  const sort = kc.sort;
  if (sort === undefined) return undefined;
  const [a, b] = sort.values as [AttributeValue, AttributeValue?];
  if (sort.op === 'BEGINS_WITH') return { op: 'BEGINS_WITH', prefix: keyText(a) };
  if (sort.op === 'BETWEEN') return { op: 'BETWEEN', low: sortValue(a), high: sortValue(b as AttributeValue) };
  return { op: sort.op, value: sortValue(a) };
}

function inRange(value: AttributeValue | undefined, kc: KeyCondition): boolean {
  const sort = kc.sort;
  if (sort === undefined) return true;
  if (value === undefined) return false;
  const [a, b] = sort.values as [AttributeValue, AttributeValue?];
  if (sort.op === 'BEGINS_WITH') return keyText(value).startsWith(keyText(a));
  const c = compareValues(value, a);
  if (c === undefined) return false;
  switch (sort.op) {
    case '=': return c === 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    case 'BETWEEN': {
      const d = compareValues(value, b as AttributeValue);
      return c >= 0 && d !== undefined && d <= 0;
    }
    default:
      return false;
  }
}

export async function query(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<PageResult> {
  const table = tableNamed(ctx, tableName);
  const schema = schemaFor(table, readOptionalString(request['index'], 'index'));
  const keyInput = readExpression(request['query'], 'query');
  if (keyInput === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const kc = compileKeyCondition(keyInput, schema.sk === undefined ? { partitionKey: schema.pk } : { partitionKey: schema.pk, sortKey: schema.sk });
  const filters = readFilters(request);
  assertAllUsed({ ...keyInput.names, ...filters.names }, { ...keyInput.values, ...filters.values }, [kc, ...filters.compiled]);
  const limit = readLimit(request['limit']) ?? DEFAULT_PAGE;
  const forward = request['scanIndexForward'] !== false;
  const token = readOptionalString(request['nextToken'], 'nextToken');
  const after = token === undefined ? undefined : decodePageToken(token, table.name, schema.index);

  let page: Item[];
  let hasMore: boolean;
  if (schema.index === null) {
    const rows = await ctx.store.queryPartition(table.name, {
      pk: keyText(kc.partitionValue),
      ...(kc.sort ? { range: rangeOf(kc) as SortRange } : {}),
      forward,
      ...(after !== undefined && schema.sk !== undefined ? { after: sortValue(after[schema.sk] as AttributeValue) } : {}),
      limit: limit + 1,
    });
    hasMore = rows.length > limit;
    page = rows.slice(0, limit).map((r: StoredItem) => JSON.parse(r.item) as Item);
    if (after !== undefined && schema.sk === undefined) page = [];
  } else {
    const all = await indexPartition(ctx, table, schema, kc);
    const ordered = forward ? all : all.reverse();
    const start = after === undefined ? 0 : ordered.findIndex((i) => sameKey(i, after, table, schema)) + 1;
    page = ordered.slice(start, start + limit);
    hasMore = start + limit < ordered.length;
  }
  const last = page[page.length - 1];
  const lastKey = last === undefined ? undefined : pickKey(last, [table.partitionKey.name, table.sortKey?.name, schema.pk, schema.sk]);
  return finish(page, filters, lastKey, table.name, schema.index, hasMore);
}

function sameKey(item: Item, key: Item, table: TableDefinition, schema: KeySchema): boolean {
  return [table.partitionKey.name, table.sortKey?.name, schema.pk, schema.sk].every(
    (n) => n === undefined || (item[n] !== undefined && key[n] !== undefined && compareValues(item[n] as AttributeValue, key[n] as AttributeValue) === 0),
  );
}

async function indexPartition(ctx: OperationContext, table: TableDefinition, schema: KeySchema, kc: KeyCondition): Promise<Item[]> {
  const pv = kc.partitionValue;
  const type = Object.keys(pv)[0] as string;
  const raw = (pv as Record<string, string>)[type] as string;
  const rows = await ctx.store.findByAttribute(table.name, `$."${schema.pk.replaceAll('"', '""')}"."${type}"`, raw);
  const items = rows.map((r) => JSON.parse(r.item) as Item).filter((i) => schema.sk === undefined || inRange(i[schema.sk], kc));
  const sk = schema.sk;
  const base = [table.partitionKey.name, table.sortKey?.name];
  return items.sort((a, b) => {
    for (const n of [sk, ...base]) {
      if (n === undefined) continue;
      const c = a[n] !== undefined && b[n] !== undefined ? compareValues(a[n] as AttributeValue, b[n] as AttributeValue) : 0;
      if (c !== undefined && c !== 0) return c;
    }
    return 0;
  });
}

export async function scan(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<PageResult> {
  const table = tableNamed(ctx, tableName);
  const schema = schemaFor(table, readOptionalString(request['index'], 'index'));
  const filters = readFilters(request);
  assertAllUsed(filters.names, filters.values, filters.compiled);
  const limit = readLimit(request['limit']) ?? DEFAULT_PAGE;
  const token = readOptionalString(request['nextToken'], 'nextToken');
  const after = token === undefined ? undefined : decodePageToken(token, table.name, schema.index);
  const segments = segmentOf(request);
  const page: Item[] = [];
  let cursor = after === undefined ? undefined : { pk: keyText(after[table.partitionKey.name] as AttributeValue), sk: table.sortKey ? sortValue(after[table.sortKey.name] as AttributeValue) : null };
  let hasMore = false;
  const chunk = Math.min(limit + 1, 500);
  // Read in chunks until the page is full: index scans and segments skip items that do not belong.
  outer: for (;;) {
    const rows = await ctx.store.scan(table.name, { ...(cursor ? { after: cursor } : {}), limit: chunk });
    for (const row of rows) {
      if (page.length === limit) {
        hasMore = true;
        break outer;
      }
      cursor = { pk: row.pk, sk: row.sk };
      const item = JSON.parse(row.item) as Item;
      if (schema.index !== null && (item[schema.pk] === undefined || (schema.sk !== undefined && item[schema.sk] === undefined))) continue;
      if (segments !== undefined && hashSegment(row.pk, segments.total) !== segments.segment) continue;
      page.push(item);
    }
    if (rows.length < chunk) break;
  }
  const last = page[page.length - 1];
  const lastKey = last === undefined ? undefined : pickKey(last, [table.partitionKey.name, table.sortKey?.name]);
  return finish(page, filters, lastKey, table.name, schema.index, hasMore);
}

function segmentOf(request: Json): { segment: number; total: number } | undefined {
  const total = request['totalSegments'];
  const segment = request['segment'];
  if (total === undefined || total === null) return undefined;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1 || total > 1000000) throw validation('totalSegments must be an integer between 1 and 1000000');
  if (typeof segment !== 'number' || !Number.isInteger(segment) || segment < 0 || segment >= total) {
    throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${String(segment)} is not less than TotalSegments: ${total}`);
  }
  return { segment, total };
}

function hashSegment(pk: string, total: number): number {
  let h = 0;
  for (let i = 0; i < pk.length; i++) h = (h * 31 + pk.charCodeAt(i)) >>> 0;
  return h % total;
}
