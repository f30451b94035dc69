/**
 * The table service: executes AppSync DynamoDB request objects (`{operation: 'PutItem', ...}`)
 * against the store, and offers plain-JSON reads for code that is not a resolver (tests, the
 * console). Failures are `TableError`s carrying DynamoDB's exception name and message.
 */
import type { TableDefinition } from '../app/index.ts';
import type { TableStore } from '../storage/index.ts';
import { AttributeValueError, marshallItem, unmarshallItem } from './attribute-value.ts';
import { ExpressionError } from './expressions/index.ts';
import { TableError, validation } from './errors.ts';
import { checkKey, refOf } from './keys.ts';
import { asObject } from './request-shapes.ts';
import { parseStored, tableNamed, type OperationContext } from './operations/context.ts';
import { deleteItem, getItem, putItem, updateItem } from './operations/item-operations.ts';
import { query } from './operations/query-operation.ts';
import { scan } from './operations/scan-operation.ts';
import { batchDeleteItem, batchGetItem, batchPutItem } from './operations/batch-operations.ts';
import { transactGetItems, transactWriteItems } from './operations/transact-operations.ts';

export const TABLE_OPERATIONS = [
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan',
  'BatchGetItem', 'BatchPutItem', 'BatchDeleteItem', 'TransactGetItems', 'TransactWriteItems',
] as const;
export type TableOperation = (typeof TABLE_OPERATIONS)[number];

export interface TableService {
  /** Runs one AppSync DynamoDB request object; `table` is the data source's table for single-table operations. */
  execute(request: unknown, table: string | undefined): Promise<unknown>;
  /** Plain-JSON read of one item by its plain-JSON key. */
  getItem(input: { readonly table: string; readonly key: Readonly<Record<string, unknown>> }): Promise<Record<string, unknown> | undefined>;
}

export interface TableServiceOptions {
  readonly store: TableStore;
  readonly tables: Readonly<Record<string, TableDefinition>>;
}

export function createTableService(options: TableServiceOptions): TableService {
  const ctx: OperationContext = { store: options.store, tables: options.tables };
  return {
    async execute(raw, table) {
      try {
        return await run(raw, table);
      } catch (error) {
        if (error instanceof ExpressionError || error instanceof AttributeValueError) throw new TableError('ValidationException', error.message);
        throw error;
      }
    },
    async getItem(input) {
      const table = tableNamed(ctx, input.table);
      const key = marshallItem(input.key);
      checkKey(table, key);
      const stored = parseStored(await ctx.store.get(refOf(table, key)));
      return stored === undefined ? undefined : unmarshallItem(stored);
    },
  };

  async function run(raw: unknown, table: string | undefined): Promise<unknown> {
      const request = asObject(raw, 'request');
      const operation = request['operation'];
      switch (operation as TableOperation) {
        case 'GetItem': return getItem(ctx, table, request);
        case 'PutItem': return putItem(ctx, table, request);
        case 'UpdateItem': return updateItem(ctx, table, request);
        case 'DeleteItem': return deleteItem(ctx, table, request);
        case 'Query': return query(ctx, table, request);
        case 'Scan': return scan(ctx, table, request);
        case 'BatchGetItem': return batchGetItem(ctx, request);
        case 'BatchPutItem': return batchPutItem(ctx, request);
        case 'BatchDeleteItem': return batchDeleteItem(ctx, request);
        case 'TransactGetItems': return transactGetItems(ctx, request);
        case 'TransactWriteItems': return transactWriteItems(ctx, request);
        default:
          throw validation(`Unsupported operation '${String(operation)}'. Supported: ${TABLE_OPERATIONS.join(', ')}`);
      }
  }
}
