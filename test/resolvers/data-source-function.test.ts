/**
 * FUNCTION: a TypeScript handler file is AppSync's Lambda data source. `Invoke` returns the
 * handler's value; a thrown error becomes `ctx.error`, not a failed field.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DataSourceError } from '../../src/resolvers/index.ts';
import { FIXTURES, app, code, field, openStorage, rejection, runtimeFor } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

const echo = { name: 'echo', type: 'FUNCTION', handler: join(FIXTURES, 'functions', 'echo.ts') } as const;
const fails = { name: 'fails', type: 'FUNCTION', handler: join(FIXTURES, 'functions', 'fails.ts') } as const;
const call = { auth: { mode: 'API_KEY', identity: null }, typeName: 'Query', fieldName: 'f' } as const;

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('Invoke returns the value of the handler, awaited', async () => {
  const runtime = await runtimeFor(
    app({
      dataSources: { echo },
      resolvers: [
        {
          kind: 'UNIT',
          typeName: 'Query',
          fieldName: 'f',
          dataSource: 'echo',
          code: code(`export function request(ctx) { return { operation: 'Invoke', payload: { args: ctx.args } }; } export function response(ctx) { return ctx.result; }`),
        },
      ],
    }),
    storage,
  );
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'f', { id: 'o1' }))), { echoed: { args: { id: 'o1' } }, functionName: 'echo', requestIdLength: 36 });
});

test('BatchInvoke passes the list of payloads', async () => {
  const ds = storage.dataSource(echo);
  assert.deepEqual(await ds.invoke({ operation: 'BatchInvoke', payload: [1, 2] }, call), [{ echoed: 1 }, { echoed: 2 }]);
});

test('a thrown error sets ctx.error and the response handler decides', async () => {
  const runtime = await runtimeFor(
    app({
      dataSources: { fails },
      resolvers: [
        {
          kind: 'UNIT',
          typeName: 'Query',
          fieldName: 'f',
          dataSource: 'fails',
          code: code(`export function request(ctx) { return { operation: 'Invoke', payload: ctx.args }; } export function response(ctx) { return { error: ctx.error, result: ctx.result }; }`),
        },
      ],
    }),
    storage,
  );
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'f', {}))), { error: { message: 'function exploded', type: 'Lambda:Unhandled' }, result: null });
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'f', { kind: 'custom' }))), { error: { message: 'card declined', type: 'PaymentDeclined' }, result: null });
});

test('a thrown error the response handler ignores resolves the field to null', async () => {
  const runtime = await runtimeFor(
    app({
      dataSources: { fails },
      resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'f', dataSource: 'fails', code: code(`export function request() { return { operation: 'Invoke', payload: null }; }`) }],
    }),
    storage,
  );
  assert.equal(await runtime.resolve(field('Query', 'f')), null);
});

test('the result is what Lambda would return, its JSON: a Date is its text; a BigInt fails the call with the serializer\'s TypeError', async () => {
  const unserializable = { name: 'unserializable', type: 'FUNCTION', handler: join(FIXTURES, 'functions', 'unserializable.ts') } as const;
  const runtime = await runtimeFor(
    app({
      dataSources: { unserializable },
      resolvers: [
        {
          kind: 'UNIT',
          typeName: 'Query',
          fieldName: 'f',
          dataSource: 'unserializable',
          code: code(`export function request(ctx) { return { operation: 'Invoke', payload: ctx.args }; } export function response(ctx) { return { error: ctx.error, result: ctx.result }; }`),
        },
      ],
    }),
    storage,
  );
  const date = (await runtime.resolve(field('Query', 'f', { kind: 'date' }))) as { result: unknown };
  assert.deepEqual(date.result, { at: '1970-01-01T00:00:00.000Z', kept: 1 });
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'f', { kind: 'bigint' }))), { error: { message: 'Do not know how to serialize a BigInt', type: 'TypeError' }, result: null });
});

test("invocationType 'Event' does not wait and resolves to null", async () => {
  const ds = storage.dataSource(fails);
  assert.equal(await ds.invoke({ operation: 'Invoke', invocationType: 'Event', payload: null }, call), null);
});

test('an operation other than Invoke or BatchInvoke is a BadRequestException', async () => {
  const error = await rejection(storage.dataSource(echo).invoke({ operation: 'Call' }, call));
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'BadRequestException');
  assert.equal(error.message, "Unsupported operation 'Call'. Use Invoke or BatchInvoke.");
});

test('a handler file without a handler export gives InternalFailure in ctx.error and is logged', async () => {
  const lines: { level: string; msg: string }[] = [];
  const logger = { log: (level: string, msg: string) => void lines.push({ level, msg }), child: () => logger };
  const broken = { name: 'broken', type: 'FUNCTION', handler: join(FIXTURES, 'ts-resolver', 'text.ts') } as const;
  const runtime = await runtimeFor(
    app({
      dataSources: { broken },
      resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'f', dataSource: 'broken', code: code(`export function request() { return { operation: 'Invoke', payload: 1 }; } export function response(ctx) { return ctx.error; }`) }],
    }),
    storage,
    logger,
  );
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'f'))), { message: 'An internal failure occurred while calling the data source.', type: 'InternalFailure' });
  assert.deepEqual(lines, [{ level: 'error', msg: 'data source failed' }]);
});
