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

const HANGS = join(FIXTURES, 'functions', 'hangs.ts');
const hangs = (timeoutSeconds?: number) => ({ name: 'hangs', type: 'FUNCTION', handler: HANGS, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) }) as const;
const hangsModule = async () => (await import(HANGS)) as { release: (value: unknown) => void; fail: (message: string) => void };

/** Waits (in real time: the handler file is imported on first use) until the call under test has set its timer. */
async function timerSet(count = 1): Promise<void> {
  for (let i = 0; i < 2_000 && storage.clock.pendingTimers < count; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(storage.clock.pendingTimers, count, 'the call set its timeout timer');
}

/** Settles `promise` into a value or its error, so a test can advance the clock while it is pending. */
function settled<T>(promise: Promise<T>): { readonly outcome: () => { value?: T; error?: unknown } | undefined } {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then((value) => (outcome = { value }), (error: unknown) => (outcome = { error }));
  return { outcome: () => outcome };
}

test('an Invoke that outlasts the function timeout (default 3 s, as Lambda) fails with Lambda\'s "Task timed out" error', async () => {
  const ds = storage.dataSource(hangs());
  const call1 = settled(ds.invoke({ operation: 'Invoke', payload: null }, call));
  await timerSet();
  await storage.clock.advance(2_999);
  assert.equal(call1.outcome(), undefined, 'still waiting before 3 s');
  await storage.clock.advance(1);
  const error = call1.outcome()?.error;
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'Lambda:Unhandled');
  assert.match(error.message, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 3\.00 seconds$/);
  (await hangsModule()).release('too late');
});

test('timeoutSeconds sets the wait; a handler that answers in time is not cut', async () => {
  const ds = storage.dataSource(hangs(10));
  const call1 = settled(ds.invoke({ operation: 'Invoke', payload: null }, call));
  await timerSet();
  await storage.clock.advance(9_000);
  assert.equal(call1.outcome(), undefined);
  (await hangsModule()).release({ ok: true });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(call1.outcome(), { value: { ok: true } });
  await storage.clock.advance(2_000);
  assert.deepEqual(call1.outcome(), { value: { ok: true } }, 'the timer does not fire after the answer');
});

test('past AppSync\'s 30 s data source limit the call fails as AppSync fails it, whatever the function timeout', async () => {
  const ds = storage.dataSource(hangs(60));
  const call1 = settled(ds.invoke({ operation: 'Invoke', payload: null }, call));
  await timerSet();
  await storage.clock.advance(30_000);
  const error = call1.outcome()?.error;
  assert.ok(error instanceof DataSourceError);
  assert.deepEqual({ type: error.type, message: error.message }, { type: 'Lambda:ExecutionTimeoutException', message: 'Execution timed out.' });
  (await hangsModule()).release(null);
});

test('what a timed-out handler throws later is dropped: no unhandled rejection, the next call works', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const ds = storage.dataSource(hangs(1));
    const first = settled(ds.invoke({ operation: 'Invoke', payload: null }, call));
    await timerSet();
    await storage.clock.advance(1_000);
    assert.ok(first.outcome()?.error instanceof DataSourceError);
    (await hangsModule()).fail('late failure');
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(unhandled, []);
    const second = ds.invoke({ operation: 'Invoke', payload: null }, call);
    await timerSet();
    (await hangsModule()).release('second');
    assert.equal(await second, 'second');
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('the timeout reaches ctx.error, where the response handler sees it', async () => {
  const runtime = await runtimeFor(
    app({
      dataSources: { hangs: hangs(2) },
      resolvers: [
        {
          kind: 'UNIT',
          typeName: 'Query',
          fieldName: 'f',
          dataSource: 'hangs',
          code: code(`export function request() { return { operation: 'Invoke', payload: null }; } export function response(ctx) { return ctx.error ? ctx.error.type + ': ' + ctx.error.message.replace(/RequestId: \\S+ /, '') : ctx.result; }`),
        },
      ],
    }),
    storage,
  );
  const resolved = settled(Promise.resolve(runtime.resolve(field('Query', 'f'))));
  await timerSet();
  await storage.clock.advance(2_000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(resolved.outcome(), { value: 'Lambda:Unhandled: Error: Task timed out after 2.00 seconds' });
  (await hangsModule()).release(null);
});
