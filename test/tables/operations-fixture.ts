/**
 * Shared setup for the table-operation tests: a REAL SQLite file in a fresh temp dir (WAL, the
 * migrations the server runs), the table store on it and the table service over three tables:
 * `orders` (partition key only), `items` (string sort key and a GSI) and `scores` (numeric sort key).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableDefinition } from '../../src/app/index.ts';
import { createSqliteTableStore, openDatabase, tablesMigrations, type SqliteDb, type TableStore } from '../../src/storage/index.ts';
import { createTableService, TableError, type TableErrorType, type TableService } from '../../src/tables/index.ts';

export const TABLES: Readonly<Record<string, TableDefinition>> = {
  orders: { name: 'orders', partitionKey: { name: 'id', type: 'S' }, indexes: {} },
  items: {
    name: 'items',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: { byStatus: { kind: 'GSI', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } } },
  },
  scores: { name: 'scores', partitionKey: { name: 'player', type: 'S' }, sortKey: { name: 'score', type: 'N' }, indexes: {} },
};

export interface Page {
  readonly items: Record<string, unknown>[];
  readonly nextToken: string | null;
  readonly scannedCount: number;
}

export interface Fixture {
  readonly dir: string;
  readonly path: string;
  readonly db: SqliteDb;
  readonly store: TableStore;
  readonly service: TableService;
  /** `service.execute`: results are plain JSON. */
  run(request: Record<string, unknown>, table?: string): Promise<unknown>;
  /** `service.execute` of a Query or Scan. */
  page(request: Record<string, unknown>, table?: string): Promise<Page>;
  close(): void;
}

export function openFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tables-'));
  const path = join(dir, 'data.db');
  const db = openDatabase({ path }, [tablesMigrations]);
  const store = createSqliteTableStore(db);
  const service = createTableService({ store, tables: TABLES });
  return {
    dir,
    path,
    db,
    store,
    service,
    run: (request, table) => service.execute(request, table),
    page: async (request, table) => (await service.execute(request, table)) as Page,
    close() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Asserts a TableError with DynamoDB's exception name and exact message. */
export async function rejectsWith(promise: Promise<unknown>, type: TableErrorType, message: string): Promise<TableError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TableError, `expected a TableError, got ${String(caught)}`);
  assert.equal(caught.type, type);
  assert.equal(caught.message, message);
  return caught;
}

/** `PutItem` request from plain values: strings become S, numbers N. */
export function put(key: Record<string, string | number>, attributes: Record<string, string | number> = {}, condition?: Record<string, unknown>): Record<string, unknown> {
  return { operation: 'PutItem', key: typed(key), attributeValues: typed(attributes), ...(condition ? { condition } : {}) };
}

export function typed(values: Record<string, string | number>): Record<string, { S: string } | { N: string }> {
  const out: Record<string, { S: string } | { N: string }> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'number' ? { N: String(v) } : { S: v };
  return out;
}
