/**
 * Every table operation that writes publishes its item changes when the table declares `changes`:
 * one event per changed item on `bus:<bus>`, none for a write that changed nothing or failed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import type { TableDefinition } from '../../src/app/index.ts';
import { VirtualClock } from '../../src/core/index.ts';
import { createSqliteEventLog, createSqliteTableStore, eventLogMigrations, openDatabase, tablesMigrations, type EventLog, type SqliteDb } from '../../src/storage/index.ts';
import { createChangeSinks, createTableService, TableError, type TableService } from '../../src/tables/index.ts';

const TABLES: Readonly<Record<string, TableDefinition>> = {
  orders: { name: 'orders', partitionKey: { name: 'id', type: 'S' }, indexes: {}, changes: { bus: 'default', pipeName: 'orders-changes', viewType: 'NEW_AND_OLD_IMAGES' } },
  audit: { name: 'audit', partitionKey: { name: 'id', type: 'S' }, indexes: {}, changes: { bus: 'ops', pipeName: 'audit-pipe', viewType: 'KEYS_ONLY' } },
  plain: { name: 'plain', partitionKey: { name: 'id', type: 'S' }, indexes: {} },
};

const dir = mkdtempSync(join(tmpdir(), 'sb-tables-changes-'));

let db: SqliteDb;
let log: EventLog;
let service: TableService;
let woken: string[];
let fileNo = 0;

beforeEach(() => {
  if (db?.open) db.close();
  db = openDatabase({ path: join(dir, `data-${++fileNo}.db`) }, [eventLogMigrations, tablesMigrations]);
  log = createSqliteEventLog(db);
  woken = [];
  const sinks = createChangeSinks(TABLES, { clock: new VirtualClock(), onAppend: (bus) => woken.push(bus) });
  service = createTableService({ store: createSqliteTableStore(db).withChanges(sinks), tables: TABLES });
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Event {
  source: string;
  detail: { eventName: string; dynamodb: { Keys: unknown; NewImage?: unknown; OldImage?: unknown; StreamViewType: string } };
}
const events = async (bus = 'default'): Promise<Event[]> => (await log.read(`bus:${bus}`, 0, 100)).map((r) => JSON.parse(r.payload) as Event);
const names = async (bus = 'default') => (await events(bus)).map((e) => e.detail.eventName);
const key = (id: string) => ({ id: { S: id } });

describe('change events from table operations', () => {
  it('PutItem, UpdateItem and DeleteItem are INSERT, MODIFY and REMOVE', async () => {
    await service.execute({ operation: 'PutItem', key: key('o1'), attributeValues: { status: { S: 'NEW' } } }, 'orders');
    await service.execute({ operation: 'UpdateItem', key: key('o1'), update: { expression: 'SET #s = :s', expressionNames: { '#s': 'status' }, expressionValues: { ':s': { S: 'PAID' } } } }, 'orders');
    await service.execute({ operation: 'DeleteItem', key: key('o1') }, 'orders');
    const all = await events();
    assert.deepEqual(all.map((e) => e.detail.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    assert.deepEqual(all[1]?.detail.dynamodb.OldImage, { id: { S: 'o1' }, status: { S: 'NEW' } });
    assert.deepEqual(all[1]?.detail.dynamodb.NewImage, { id: { S: 'o1' }, status: { S: 'PAID' } });
    assert.ok(all.every((e) => e.source === 'Pipe orders-changes'));
    assert.deepEqual(woken, ['default', 'default', 'default']);
  });

  it('a delete of an absent item, a rewrite of the same item and a failed condition append nothing', async () => {
    await service.execute({ operation: 'DeleteItem', key: key('nobody') }, 'orders');
    await service.execute({ operation: 'PutItem', key: key('o2'), attributeValues: { n: { N: '1' } } }, 'orders');
    await service.execute({ operation: 'PutItem', key: key('o2'), attributeValues: { n: { N: '1' } } }, 'orders');
    await assert.rejects(
      service.execute({ operation: 'PutItem', key: key('o2'), attributeValues: { n: { N: '2' } }, condition: { expression: 'attribute_not_exists(id)' } }, 'orders'),
      (e: unknown) => e instanceof TableError && e.type === 'ConditionalCheckFailedException',
    );
    // AppSync's rule: a failed condition on an item already as requested is a success, and no change.
    await service.execute({ operation: 'PutItem', key: key('o2'), attributeValues: { n: { N: '1' } }, condition: { expression: 'attribute_not_exists(id)' } }, 'orders');
    assert.deepEqual(await names(), ['INSERT']);
  });

  it('a table without changes publishes nothing', async () => {
    await service.execute({ operation: 'PutItem', key: key('p1'), attributeValues: {} }, 'plain');
    assert.deepEqual(await events(), []);
    assert.deepEqual(woken, []);
  });

  it('BatchPutItem and BatchDeleteItem publish one event per changed item, each table to its own bus', async () => {
    await service.execute({ operation: 'BatchPutItem', tables: { orders: [key('b1'), key('b2')], audit: [key('a1')], plain: [key('p1')] } }, undefined);
    await service.execute({ operation: 'BatchDeleteItem', tables: { orders: [key('b1'), key('missing')] } }, undefined);
    assert.deepEqual(await names(), ['INSERT', 'INSERT', 'REMOVE']);
    const audit = await events('ops');
    assert.deepEqual(audit.map((e) => [e.source, e.detail.eventName, e.detail.dynamodb.StreamViewType]), [['Pipe audit-pipe', 'INSERT', 'KEYS_ONLY']]);
    assert.equal(audit[0]?.detail.dynamodb.NewImage, undefined);
  });

  it('TransactWriteItems publishes its writes, not its condition checks; a cancelled one publishes nothing', async () => {
    await service.execute({ operation: 'PutItem', key: key('t1'), attributeValues: { n: { N: '1' } } }, 'orders');
    await service.execute({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'orders', operation: 'UpdateItem', key: key('t1'), update: { expression: 'SET n = n + :one', expressionValues: { ':one': { N: '1' } } } },
        { table: 'orders', operation: 'PutItem', key: key('t2'), attributeValues: {} },
        { table: 'audit', operation: 'ConditionCheck', key: key('x'), condition: { expression: 'attribute_not_exists(id)' } },
      ],
    }, undefined);
    await assert.rejects(
      service.execute({
        operation: 'TransactWriteItems',
        transactItems: [
          { table: 'orders', operation: 'DeleteItem', key: key('t2') },
          { table: 'orders', operation: 'PutItem', key: key('t1'), attributeValues: {}, condition: { expression: 'attribute_not_exists(id)' } },
        ],
      }, undefined),
      (e: unknown) => e instanceof TableError && e.type === 'TransactionCanceledException',
    );
    assert.deepEqual(await names(), ['INSERT', 'MODIFY', 'INSERT']);
    assert.deepEqual(await events('ops'), []);
  });
});
