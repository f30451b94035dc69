/**
 * Pipeline resolvers: before → functions (request → data source → response) → after, with
 * `ctx.prev.result` chaining, one stash per run, and how `util.error`, `util.appendError` and
 * `runtime.earlyReturn` change the order.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceFile, StepDefinition } from '../../src/app/index.ts';
import { ResolverFieldError } from '../../src/resolvers/index.ts';
import { ORDERS, app, code, field, openStorage, rejection, runtimeFor } from './fixtures/harness.ts';

const storage = openStorage({ orders: ORDERS });
after(() => storage.close());

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A function over NONE that records its handlers in `ctx.stash.trace` and adds its name to the chain. */
function tracer(name: string, requestExtra = ''): StepDefinition {
  return {
    dataSource: 'none',
    code: code(
      `export function request(ctx) { ctx.stash.trace.push('${name}.request prev=' + JSON.stringify(ctx.prev.result)); ${requestExtra} return { payload: '${name}' }; }
       export function response(ctx) { ctx.stash.trace.push('${name}.response result=' + ctx.result); const p = ctx.prev.result; return [].concat(Array.isArray(p) ? p : p.chain, ctx.result); }`,
    ),
  };
}

/** A function that writes `{id}` to the orders table, so a skipped data source is observable. */
function writer(id: string, requestExtra = ''): StepDefinition {
  return {
    dataSource: 'orders',
    code: code(
      `import { put } from '@aws-appsync/utils/dynamodb';
       export function request(ctx) { ctx.stash.trace.push('${id}.request'); ${requestExtra} return put({ key: { id: '${id}' }, item: {} }); }
       export function response(ctx) { ctx.stash.trace.push('${id}.response'); return { chain: ['${id}'] }; }`,
    ),
  };
}

const BEFORE_AFTER = `
  export function request(ctx) { ctx.stash.trace = ['before']; return { chain: [] }; }
  export function response(ctx) { ctx.stash.trace.push('after'); return { prev: ctx.prev.result, result: ctx.result, trace: ctx.stash.trace }; }`;

async function pipeline(steps: readonly StepDefinition[], resolverCode: SourceFile | null = code(BEFORE_AFTER)) {
  const definition = app({
    tables: { orders: ORDERS },
    dataSources: { none: { name: 'none', type: 'NONE' }, orders: { name: 'orders', type: 'TABLE', table: 'orders' } },
    resolvers: [{ kind: 'PIPELINE', typeName: 'Mutation', fieldName: 'run', steps, ...(resolverCode !== null ? { code: resolverCode } : {}) }],
  });
  return runtimeFor(definition, storage);
}

const exists = async (id: string): Promise<boolean> => (await storage.tables.execute({ operation: 'GetItem', key: { id: { S: id } } }, 'orders')) !== null;

test('before, each function and after run in order, chaining ctx.prev.result and sharing the stash', async () => {
  const runtime = await pipeline([tracer('a'), tracer('b')]);
  assert.deepEqual(plain(await runtime.resolve(field('Mutation', 'run'))), {
    prev: ['a', 'b'],
    result: ['a', 'b'],
    trace: ['before', 'a.request prev={"chain":[]}', 'a.response result=a', 'b.request prev=["a"]', 'b.response result=b', 'after'],
  });
});

test('a pipeline without resolver code starts from {} and returns the last function result', async () => {
  const first: StepDefinition = { dataSource: 'none', code: code(`export function request(ctx) { return { payload: ctx.prev.result }; } export function response(ctx) { return ctx.result; }`) };
  const runtime = await pipeline([first], null);
  assert.deepEqual(plain(await runtime.resolve(field('Mutation', 'run'))), {});
});

test('util.error in a function stops the remaining functions and the after handler', async () => {
  const failing: StepDefinition = {
    dataSource: 'none',
    code: code(`import { util } from '@aws-appsync/utils'; export function request(ctx) { util.error('stop here', 'Custom', { at: 'failing' }, { hint: 1 }); }`),
  };
  const runtime = await pipeline([tracer('a'), failing, writer('after-error')]);
  const error = await rejection(runtime.resolve(field('Mutation', 'run')));
  assert.ok(error instanceof ResolverFieldError);
  assert.deepEqual({ message: error.message, errorType: error.errorType, data: plain(error.data), errorInfo: plain(error.errorInfo) }, {
    message: 'stop here',
    errorType: 'Custom',
    data: { at: 'failing' },
    errorInfo: { hint: 1 },
  });
  assert.equal(await exists('after-error'), false);
});

test('util.appendError records the error with the field path and the pipeline continues', async () => {
  const appending: StepDefinition = {
    dataSource: 'none',
    code: code(`export function request(ctx) { util.appendError('partial', 'Warning', null, { step: 2 }); return { payload: 'appended' }; }`),
  };
  const runtime = await pipeline([appending, writer('after-append')]);
  const invocation = field('Mutation', 'run', {}, { path: ['run'] });
  const value = plain(await runtime.resolve(invocation)) as { trace: string[] };
  assert.deepEqual(value.trace, ['before', 'after-append.request', 'after-append.response', 'after']);
  assert.equal(await exists('after-append'), true);
  assert.deepEqual(plain(invocation.scope.appendedErrors), [{ path: ['run'], error: { message: 'partial', errorType: 'Warning', data: null, errorInfo: { step: 2 } } }]);
});

test('runtime.earlyReturn in a function request skips its data source and response, then continues', async () => {
  const runtime = await pipeline([writer('skipped', `runtime.earlyReturn({ chain: ['early'] });`), tracer('b')]);
  const value = plain(await runtime.resolve(field('Mutation', 'run'))) as { prev: unknown; trace: string[] };
  assert.deepEqual(value.trace, ['before', 'skipped.request', 'b.request prev={"chain":["early"]}', 'b.response result=b', 'after']);
  assert.deepEqual(value.prev, ['early', 'b']);
  assert.equal(await exists('skipped'), false);
});

test("runtime.earlyReturn with skipTo 'END' jumps to the after handler", async () => {
  const runtime = await pipeline([tracer('a', `runtime.earlyReturn({ chain: ['end'] }, { skipTo: 'END' });`), writer('never-reached'), tracer('c')]);
  assert.deepEqual(plain(await runtime.resolve(field('Mutation', 'run'))), {
    prev: { chain: ['end'] },
    result: { chain: ['end'] },
    trace: ['before', 'a.request prev={"chain":[]}', 'after'],
  });
  assert.equal(await exists('never-reached'), false);
});

test("runtime.earlyReturn with skipTo 'NEXT' in the last function goes to the after handler", async () => {
  const runtime = await pipeline([tracer('a'), tracer('z', `runtime.earlyReturn('last', { skipTo: 'NEXT' });`)]);
  assert.deepEqual(plain(await runtime.resolve(field('Mutation', 'run'))), {
    prev: 'last',
    result: 'last',
    trace: ['before', 'a.request prev={"chain":[]}', 'a.response result=a', 'z.request prev=["a"]', 'after'],
  });
});

test('runtime.earlyReturn in the resolver request handler skips every function but runs the after handler', async () => {
  const resolverCode = code(`
    export function request(ctx) { ctx.stash.trace = ['before']; runtime.earlyReturn({ from: 'before' }); }
    export function response(ctx) { ctx.stash.trace.push('after'); return { prev: ctx.prev.result, result: ctx.result, trace: ctx.stash.trace }; }`);
  const runtime = await pipeline([writer('not-run'), tracer('b')], resolverCode);
  assert.deepEqual(plain(await runtime.resolve(field('Mutation', 'run'))), { prev: { from: 'before' }, result: { from: 'before' }, trace: ['before', 'after'] });
  assert.equal(await exists('not-run'), false);
});

test('a data-source failure in a function sets ctx.error for that function only', async () => {
  // A different item than the stored one: AppSync forgives a failed condition when they are equal.
  await storage.tables.execute({ operation: 'PutItem', key: { id: { S: 'dup' } }, attributeValues: { v: { N: '1' } } }, 'orders');
  const conditional: StepDefinition = {
    dataSource: 'orders',
    code: code(
      `import { put } from '@aws-appsync/utils/dynamodb';
       export function request(ctx) { return put({ key: { id: 'dup' }, item: { v: 2 }, condition: { id: { attributeExists: false } } }); }
       export function response(ctx) { ctx.stash.trace.push('dup ' + ctx.error.type); return { chain: [ctx.result] }; }`,
    ),
  };
  const checker: StepDefinition = {
    dataSource: 'none',
    code: code(`export function request(ctx) { return { payload: ctx.error === undefined }; } export function response(ctx) { ctx.stash.trace.push('no error: ' + ctx.result); return ctx.prev.result; }`),
  };
  const runtime = await pipeline([conditional, checker]);
  assert.deepEqual(plain(await runtime.resolve(field('Mutation', 'run'))), {
    prev: { chain: [null] },
    result: { chain: [null] },
    trace: ['before', 'dup DynamoDB:ConditionalCheckFailedException', 'no error: true', 'after'],
  });
});

test('each resolution gets its own stash', async () => {
  const counting: StepDefinition = {
    dataSource: 'none',
    code: code(`export function request(ctx) { ctx.stash.n = (ctx.stash.n ?? 0) + 1; return { payload: ctx.stash.n }; } export function response(ctx) { return ctx.result; }`),
  };
  const runtime = await pipeline([counting, counting], null);
  assert.equal(await runtime.resolve(field('Mutation', 'run')), 2);
  assert.equal(await runtime.resolve(field('Mutation', 'run')), 2);
});

test('a pipeline of more than 10 functions is refused at start', async () => {
  const steps = Array.from({ length: 11 }, (_, i) => tracer(`f${i}`));
  const error = await rejection(pipeline(steps));
  assert.equal((error as { code?: unknown }).code, 'SB_CONFIG_INVALID');
  assert.equal((error as Error).message, "resolvers['Mutation.run']: a pipeline holds at most 10 functions, got 11");
});
