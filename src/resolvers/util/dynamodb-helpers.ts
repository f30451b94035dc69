/**
 * `@aws-appsync/utils/dynamodb`: request builders for the DynamoDB data source. Keys and items go
 * through `toMapValues`; conditions, filters and query key conditions are filter objects rendered
 * by the same transform as `util.transform.toDynamoDBConditionExpression`; updates use the
 * `#expName_n` / `:expValue_n` naming recorded on AWS.
 */
import { copyOf } from '../../core/index.ts';
import { isPlainObject, taggedSet, toMapValues } from './attribute-value.ts';
import { buildFilterExpression, type DynamoDBExpression } from './filter-expression.ts';
import { buildUpdateExpression, operations } from './update-operations.ts';

type Input = Record<string, unknown>;
type Request = Record<string, unknown>;

function input(payload: unknown, helper: string): Input {
  if (!isPlainObject(payload)) throw new TypeError(`${helper}() expects an object argument`);
  return payload;
}

function requireKey(payload: Input, helper: string): Record<string, unknown> {
  const key = payload['key'];
  if (!isPlainObject(key)) throw new TypeError(`${helper}() requires a 'key' object`);
  return toMapValues(key);
}

/** Copies the options AWS passes through unchanged, skipping absent and null ones. */
function copy(from: Input, to: Request, names: readonly string[]): Request {
  for (const name of names) {
    const v = from[name];
    if (v !== undefined && v !== null) to[name] = v;
  }
  return to;
}

/** A filter object, or an already rendered `{expression, ...}` passed through. */
function expression(value: unknown, what: string): DynamoDBExpression | Record<string, unknown> {
  if (isPlainObject(value) && typeof value['expression'] === 'string') return value;
  const built = buildFilterExpression(value);
  if (built === null) throw new TypeError(`the ${what} is not a valid filter object`);
  return built;
}

function withCondition(payload: Input, request: Request): Request {
  const condition = payload['condition'];
  if (condition !== undefined && condition !== null) {
    const rendered = copyOf(expression(condition, 'condition') as Record<string, unknown>);
    if (payload['returnValuesOnConditionCheckFailure'] !== undefined) {
      rendered['returnValuesOnConditionCheckFailure'] = payload['returnValuesOnConditionCheckFailure'];
    }
    request['condition'] = rendered;
  }
  return copy(payload, request, ['customPartitionKey', 'populateIndexFields', '_version']);
}

function projection(payload: Input, request: Request): Request {
  const p = payload['projection'];
  if (Array.isArray(p)) {
    const expressionNames: Record<string, string> = {};
    for (const field of p) expressionNames[`#${String(field)}`] = String(field);
    request['projection'] = { expression: Object.keys(expressionNames).join(', '), expressionNames };
  } else if (isPlainObject(p)) {
    request['projection'] = p;
  }
  return request;
}

function withFilter(payload: Input, request: Request): Request {
  const filter = payload['filter'];
  if (filter !== undefined && filter !== null) request['filter'] = expression(filter, 'filter');
  return request;
}

export function get(payload: unknown): Request {
  const p = input(payload, 'get');
  return projection(p, copy(p, { operation: 'GetItem', key: requireKey(p, 'get') }, ['consistentRead']));
}

export function put(payload: unknown): Request {
  const p = input(payload, 'put');
  return withCondition(p, { operation: 'PutItem', key: requireKey(p, 'put'), attributeValues: toMapValues(p['item']) });
}

export function update(payload: unknown): Request {
  const p = input(payload, 'update');
  return withCondition(p, { operation: 'UpdateItem', key: requireKey(p, 'update'), update: buildUpdateExpression(p['update']) });
}

export function remove(payload: unknown): Request {
  const p = input(payload, 'remove');
  return withCondition(p, { operation: 'DeleteItem', key: requireKey(p, 'remove') });
}

const READ_OPTIONS = ['index', 'nextToken', 'limit', 'scanIndexForward', 'consistentRead', 'select'] as const;

export function query(payload: unknown): Request {
  const p = input(payload, 'query');
  const request: Request = { operation: 'Query', query: expression(p['query'], 'query key condition') };
  return projection(p, withFilter(p, copy(p, request, READ_OPTIONS)));
}

export function scan(payload: unknown): Request {
  const p = input(payload ?? {}, 'scan');
  const request = copy(p, { operation: 'Scan' }, [...READ_OPTIONS, 'totalSegments', 'segment']);
  return projection(p, withFilter(p, request));
}

/** Not offered by AWS's module (it fails to compile there); kept for versioned-table users. */
export function sync(payload: unknown): Request {
  const p = input(payload ?? {}, 'sync');
  return withFilter(p, copy(p, { operation: 'Sync' }, ['basePartitionKey', 'deltaIndexName', 'limit', 'nextToken', 'lastSync']));
}

function tables(payload: unknown, helper: string): [string, unknown][] {
  const t = input(payload, helper)['tables'];
  if (!isPlainObject(t)) throw new TypeError(`${helper}() requires a 'tables' object`);
  return Object.entries(t);
}

function mapKeys(list: unknown): Record<string, unknown>[] {
  return Array.isArray(list) ? list.map((k: unknown) => toMapValues(k)) : [];
}

/** `tables: {Name: {keys, consistentRead?, projection?}}` (or `{Name: [keys]}`). */
export function batchGet(payload: unknown): Request {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of tables(payload, 'batchGet')) {
    const s: Input = Array.isArray(spec) ? { keys: spec } : isPlainObject(spec) ? spec : {};
    out[name] = projection(s, copy(s, { keys: mapKeys(s['keys']) }, ['consistentRead']));
  }
  return { operation: 'BatchGetItem', tables: out };
}

/** `tables: {Name: [item]}`. */
export function batchPut(payload: unknown): Request {
  const out: Record<string, unknown> = {};
  for (const [name, items] of tables(payload, 'batchPut')) out[name] = mapKeys(items);
  return { operation: 'BatchPutItem', tables: out };
}

/** `tables: {Name: [key]}`. */
export function batchDelete(payload: unknown): Request {
  const out: Record<string, unknown> = {};
  for (const [name, keys] of tables(payload, 'batchDelete')) out[name] = mapKeys(keys);
  return { operation: 'BatchDeleteItem', tables: out };
}

function transactItems(payload: unknown, helper: string): Input[] {
  const p = input(payload, helper);
  const items = p['items'] ?? p['transactItems'];
  if (!Array.isArray(items)) throw new TypeError(`${helper}() requires an 'items' array`);
  return items.map((item: unknown) => input(item, helper));
}

/** `items: [{table, key, projection?}]`. */
export function transactGet(payload: unknown): Request {
  const transact = transactItems(payload, 'transactGet').map((i) =>
    projection(i, { table: i['table'], key: requireKey(i, 'transactGet') }),
  );
  return { operation: 'TransactGetItems', transactItems: transact };
}

const WRITE_OPERATIONS: Readonly<Record<string, string>> = {
  put: 'PutItem',
  PutItem: 'PutItem',
  update: 'UpdateItem',
  UpdateItem: 'UpdateItem',
  remove: 'DeleteItem',
  delete: 'DeleteItem',
  DeleteItem: 'DeleteItem',
  conditionCheck: 'ConditionCheck',
  ConditionCheck: 'ConditionCheck',
};

/** `items: [{table, operation: 'put'|'update'|'remove'|'conditionCheck' (or the AWS names), key, item?|update?, condition?}]`. */
export function transactWrite(payload: unknown): Request {
  const transact = transactItems(payload, 'transactWrite').map((i) => {
    const operation = WRITE_OPERATIONS[String(i['operation'])];
    if (operation === undefined) throw new TypeError(`transactWrite(): unknown operation '${String(i['operation'])}'`);
    const request: Request = { table: i['table'], operation, key: requireKey(i, 'transactWrite') };
    if (operation === 'PutItem') request['attributeValues'] = toMapValues(i['item'] ?? i['attributeValues']);
    if (operation === 'UpdateItem') request['update'] = buildUpdateExpression(i['update']);
    return withCondition(i, request);
  });
  return { operation: 'TransactWriteItems', transactItems: transact };
}

export const dynamodbHelpers: Readonly<Record<string, unknown>> = Object.freeze({
  get,
  put,
  update,
  remove,
  query,
  scan,
  sync,
  batchGet,
  batchPut,
  batchDelete,
  transactGet,
  transactWrite,
  toStringSet: (value: unknown) => taggedSet('SS', value),
  toNumberSet: (value: unknown) => taggedSet('NS', value),
  toBinarySet: (value: unknown) => taggedSet('BS', value),
  operations,
});
