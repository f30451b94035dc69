/**
 * Seed 003's createOrder pipeline (createOrder → putEvent), loaded unmodified from
 * examples/food-ordering with `loadApp`, run over a real SQLite file.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApp, type AppDefinition } from '../../src/app/index.ts';
import { ResolverFieldError } from '../../src/resolvers/index.ts';
import { busStream } from '../../src/bus/index.ts';
import { app, code, field, openStorage, rejection, runtimeFor } from './fixtures/harness.ts';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../examples/food-ordering');
const definition = await loadApp(EXAMPLE);
const storage = openStorage(definition.tables);
const runtime = await runtimeFor(definition, storage);
after(() => storage.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const products = [{ name: 'Pizza', quantity: 2 }, { name: 'Soda', quantity: 1 }];

test('createOrder pipeline returns the new PENDING order', async () => {
  const order = (await runtime.resolve(field('Mutation', 'createOrder', { input: { products } }))) as Record<string, unknown>;
  assert.match(String(order['id']), UUID);
  assert.deepEqual(order, { id: order['id'], status: 'PENDING', products, createdAt: '2024-05-01T12:00:00.000Z', updatedAt: '2024-05-01T12:00:00.000Z' });
});

test('createOrder pipeline stores the order in the orders table', async () => {
  const order = (await runtime.resolve(field('Mutation', 'createOrder', { input: { products } }))) as { id: string };
  const stored = await storage.tables.execute({ operation: 'GetItem', key: { id: { S: order.id } } }, 'orders');
  assert.deepEqual(stored, { id: order.id, status: 'PENDING', products, createdAt: '2024-05-01T12:00:00.000Z', updatedAt: '2024-05-01T12:00:00.000Z' });
});

test('createOrder pipeline appends an order.created EventBridge envelope to bus:default', async () => {
  const stream = busStream('default');
  assert.equal(stream, 'bus:default');
  const head = await storage.eventLog.head(stream);
  const order = (await runtime.resolve(field('Mutation', 'createOrder', { input: { products } }))) as Record<string, unknown>;
  const records = await storage.eventLog.read(stream, head, 10);
  assert.equal(records.length, 1);
  const record = records[0]!;
  const envelope = JSON.parse(record.payload) as Record<string, unknown>;
  assert.deepEqual(Object.keys(envelope), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.deepEqual(envelope, {
    version: '0',
    id: record.id,
    'detail-type': 'order.created',
    source: 'order.api',
    account: '000000000000',
    time: '2024-05-01T12:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: order,
  });
  assert.match(record.id, UUID);
});

test('putEvent returns ctx.prev.result, not the PutEvents result', async () => {
  const order = (await runtime.resolve(field('Mutation', 'createOrder', { input: { products } }))) as Record<string, unknown>;
  assert.equal('Entries' in order, false);
  assert.equal(order['status'], 'PENDING');
});

test('putEvent raises InternalError when the stash holds no event', async () => {
  // The seed's putEvent file, behind a first step that stashes nothing.
  const putEvent = definition.resolvers.find((r) => r.kind === 'PIPELINE')?.steps[1];
  assert.ok(putEvent);
  const bare: AppDefinition = app({
    dataSources: { none: { name: 'none', type: 'NONE' }, eventBus: { name: 'eventBus', type: 'EVENT_BUS', bus: 'default' } },
    resolvers: [
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'createOrder',
        steps: [
          { dataSource: 'none', code: code(`export const request = () => ({ payload: { id: 'x' } }); export const response = (ctx) => ctx.result;`) },
          { dataSource: 'eventBus', code: putEvent.code },
        ],
      },
    ],
  });
  const local = await runtimeFor(bare, storage);
  const head = await storage.eventLog.head('bus:default');
  const error = await rejection(local.resolve(field('Mutation', 'createOrder', { input: { products } })));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.message, 'InternalError');
  assert.equal(error.errorType, null);
  assert.equal(await storage.eventLog.head('bus:default'), head);
});
