/**
 * Scan: every item of the table (or of a sparse secondary index), in the store's key order, with
 * DynamoDB's parallel-scan segments. An item's segment is a hash of its partition key, so the
 * segments of one `totalSegments` split the table into disjoint parts that cover every item.
 */
import type { AttributeValue, Item } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import { assertAllUsed } from '../expressions/index.ts';
import { keyText, sortValue } from '../keys.ts';
import { decodePageToken } from '../page-token.ts';
import { readLimit, readOptionalString, type Json } from '../request-shapes.ts';
import type { SortKeyValue } from '../../storage/index.ts';
import { tableNamed, type OperationContext } from './context.ts';
import { DEFAULT_PAGE, finish, inIndex, lastKeyOf, readFilters, schemaFor, type PageResult } from './read-page.ts';

export async function scan(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<PageResult> {
  const table = tableNamed(ctx, tableName);
  const schema = schemaFor(table, readOptionalString(request['index'], 'index'));
  const filters = readFilters(request);
  assertAllUsed(filters.names, filters.values, filters.compiled);
  const limit = readLimit(request['limit']) ?? DEFAULT_PAGE;
  const segments = segmentOf(request);
  const token = readOptionalString(request['nextToken'], 'nextToken');
  const after = token === undefined ? undefined : decodePageToken(token, table.name, schema.index);
  let cursor: { pk: string; sk: SortKeyValue | null } | undefined;
  if (after !== undefined) {
    const pk = after[table.partitionKey.name];
    const sk = table.sortKey === undefined ? undefined : after[table.sortKey.name];
    if (pk === undefined || (table.sortKey !== undefined && sk === undefined)) throw validation('The provided starting key is invalid: The provided key element does not match the schema');
    cursor = { pk: keyText(pk), sk: sk === undefined ? null : sortValue(sk as AttributeValue) };
  }
  const page: Item[] = [];
  let hasMore = false;
  const chunk = Math.min(limit + 1, 500);
  // Read in chunks until the page is full: index scans and segments skip items that do not belong.
  outer: for (;;) {
    const rows = await ctx.store.scan(table.name, cursor ? { after: cursor, limit: chunk } : { limit: chunk });
    for (const row of rows) {
      const item = JSON.parse(row.item) as Item;
      if (!inIndex(item, schema)) continue;
      if (segments !== undefined && hashSegment(row.pk, segments.total) !== segments.segment) continue;
      if (page.length === limit) {
        hasMore = true;
        break outer;
      }
      cursor = { pk: row.pk, sk: row.sk };
      page.push(item);
    }
    if (rows.length < chunk) break;
    const last = rows[rows.length - 1];
    if (last !== undefined) cursor = { pk: last.pk, sk: last.sk };
  }
  return finish(page, filters, lastKeyOf(page[page.length - 1], table, schema), table.name, schema.index, hasMore);
}

function segmentOf(request: Json): { segment: number; total: number } | undefined {
  const total = request['totalSegments'];
  const segment = request['segment'];
  if (total === undefined || total === null) {
    if (segment !== undefined && segment !== null) throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    return undefined;
  }
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1 || total > 1000000) {
    throw validation(`1 validation error detected: Value '${String(total)}' at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000`);
  }
  if (segment === undefined || segment === null) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
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
