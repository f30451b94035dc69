/**
 * Query: one partition of the table or of a secondary index, in sort-key order.
 *
 * Table queries are ranged reads of the store. Secondary indexes in the embedded store are found by
 * a JSON lookup over the table and ordered in memory: right for the view-model sizes this mode is
 * for, not for millions of items per table. An index page resumes at the first item ordered after
 * the token's key (not at the token's item), so an item that left the index between two pages
 * causes neither a restart nor a duplicate.
 */
import { merged } from '../../core/index.ts';
import type { KeyAttribute, TableDefinition } from '../../app/index.ts';
import type { SortRange } from '../../storage/index.ts';
import { compareValues, typeOf, type AttributeValue, type Item } from '../attribute-value.ts';
import { validation } from '../errors.ts';
import { assertAllUsed, compileKeyCondition, type KeyCondition } from '../expressions/index.ts';
import { keyText, sortValue } from '../keys.ts';
import { decodePageToken } from '../page-token.ts';
import { readExpression, readLimit, readOptionalString, type Json } from '../request-shapes.ts';
import { tableNamed, type OperationContext } from './context.ts';
import { DEFAULT_PAGE, finish, inIndex, lastKeyOf, readFilters, schemaFor, type KeySchema, type PageResult } from './read-page.ts';

const TYPE_MISMATCH = 'One or more parameter values were invalid: Condition parameter type does not match schema type';

export async function query(ctx: OperationContext, tableName: string | undefined, request: Json): Promise<PageResult> {
  const table = tableNamed(ctx, tableName);
  const schema = schemaFor(table, readOptionalString(request['index'], 'index'));
  const keyInput = readExpression(request['query'], 'query');
  if (keyInput === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const kc = compileKeyCondition(keyInput, schema.sk === undefined ? { partitionKey: schema.pk.name } : { partitionKey: schema.pk.name, sortKey: schema.sk.name });
  checkKeyTypes(kc, schema);
  const filters = readFilters(request);
  assertAllUsed(merged(keyInput.names, filters.names), merged(keyInput.values, filters.values), [kc, ...filters.compiled]);
  const limit = readLimit(request['limit']) ?? DEFAULT_PAGE;
  const forward = request['scanIndexForward'] !== false;
  const token = readOptionalString(request['nextToken'], 'nextToken');
  const after = token === undefined ? undefined : decodePageToken(token, table.name, schema.index);

  const { page, hasMore } = schema.index === null
    ? await tablePage(ctx, table, schema, kc, { forward, limit, after })
    : await indexPage(ctx, table, schema, kc, { forward, limit, after });
  return finish(page, filters, lastKeyOf(page[page.length - 1], table, schema), table.name, schema.index, hasMore);
}

/** A key condition's values must have the key's declared type (`{N: 1}` never matches an S key). */
function checkKeyTypes(kc: KeyCondition, schema: KeySchema): void {
  if (typeOf(kc.partitionValue) !== schema.pk.type) throw validation(TYPE_MISMATCH);
  const sort = kc.sort;
  if (sort === undefined || schema.sk === undefined) return;
  // begins_with takes S or B; it is refused on a number key.
  for (const v of sort.values) if (typeOf(v) !== schema.sk.type) throw validation(TYPE_MISMATCH);
  if (sort.op === 'BEGINS_WITH' && schema.sk.type === 'N') throw validation('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
}

interface Paging {
  readonly forward: boolean;
  readonly limit: number;
  readonly after: Item | undefined;
}

async function tablePage(ctx: OperationContext, table: TableDefinition, schema: KeySchema, kc: KeyCondition, paging: Paging): Promise<{ page: Item[]; hasMore: boolean }> {
  // A partition of a table without a sort key holds one item: nothing follows a token.
  if (paging.after !== undefined && schema.sk === undefined) return { page: [], hasMore: false };
  const afterSk = paging.after === undefined || schema.sk === undefined ? undefined : startKeyValue(paging.after, schema.sk);
  const range = rangeOf(kc);
  const rows = await ctx.store.queryPartition(table.name, {
    pk: keyText(kc.partitionValue),
    ...(range === undefined ? {} : { range }),
    forward: paging.forward,
    numericSortKey: schema.sk?.type === 'N',
    ...(afterSk === undefined ? {} : { after: sortValue(afterSk) }),
    limit: paging.limit + 1,
  });
  return { page: rows.slice(0, paging.limit).map((r) => JSON.parse(r.item) as Item), hasMore: rows.length > paging.limit };
}

function startKeyValue(after: Item, attr: KeyAttribute): AttributeValue {
  const value = after[attr.name];
  if (value === undefined || typeOf(value) !== attr.type) throw validation('The provided starting key is invalid: The provided key element does not match the schema');
  return value;
}

function rangeOf(kc: KeyCondition): SortRange | undefined {
  const sort = kc.sort;
  if (sort === undefined) return undefined;
  const [a, b] = sort.values as [AttributeValue, AttributeValue?];
  if (sort.op === 'BEGINS_WITH') return { op: 'BEGINS_WITH', prefix: keyText(a) };
  if (sort.op === 'BETWEEN') return { op: 'BETWEEN', low: sortValue(a), high: sortValue(b as AttributeValue) };
  return { op: sort.op, value: sortValue(a) };
}

async function indexPage(ctx: OperationContext, table: TableDefinition, schema: KeySchema, kc: KeyCondition, paging: Paging): Promise<{ page: Item[]; hasMore: boolean }> {
  const pv = kc.partitionValue;
  const type = typeOf(pv);
  const raw = (pv as Record<string, string>)[type] as string;
  const rows = await ctx.store.findByAttribute(table.name, `$."${schema.pk.name.replaceAll('"', '""')}"."${type}"`, raw);
  // The JSON lookup matches the value's text; `inRange` and the order re-check by DynamoDB's rules.
  const order = indexOrder(table, schema);
  const all = rows
    .map((r) => JSON.parse(r.item) as Item)
    .filter((i) => inIndex(i, schema) && compareValues(i[schema.pk.name] as AttributeValue, pv) === 0 && inRange(schema.sk === undefined ? undefined : i[schema.sk.name], kc))
    .sort((a, b) => (paging.forward ? order(a, b) : order(b, a)));
  const after = paging.after;
  const start = after === undefined ? 0 : firstAfter(all, (i) => (paging.forward ? order(i, after) : order(after, i)) > 0);
  const page = all.slice(start, start + paging.limit);
  return { page, hasMore: start + paging.limit < all.length };
}

/** Index order: the index sort key, then the table key so items with equal index keys keep one stable order. */
function indexOrder(table: TableDefinition, schema: KeySchema): (a: Item, b: Item) => number {
  const names = [schema.sk?.name, table.partitionKey.name, table.sortKey?.name].filter((n): n is string => n !== undefined);
  return (a, b) => {
    for (const n of names) {
      const x = a[n];
      const y = b[n];
      if (x === undefined || y === undefined) continue;
      const c = compareValues(x, y);
      if (c !== undefined && c !== 0) return c;
    }
    return 0;
  };
}

function firstAfter(items: readonly Item[], isAfter: (item: Item) => boolean): number {
  const i = items.findIndex(isAfter);
  return i === -1 ? items.length : i;
}

function inRange(value: AttributeValue | undefined, kc: KeyCondition): boolean {
  const sort = kc.sort;
  if (sort === undefined) return true;
  if (value === undefined) return false;
  const [a, b] = sort.values as [AttributeValue, AttributeValue?];
  if (sort.op === 'BEGINS_WITH') return typeOf(value) === typeOf(a) && keyText(value).startsWith(keyText(a));
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
