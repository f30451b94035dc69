/**
 * Unit resolvers: request → data source → response, the `ctx` each handler sees, and data-source
 * failures that land in `ctx.error` instead of failing the field.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthContext, IamIdentity } from '../../src/auth/index.ts';
import { ResolverFieldError } from '../../src/resolvers/index.ts';
import { ORDERS, app, code, field, openStorage, rejection, runtimeFor, scope } from './fixtures/harness.ts';

const storage = openStorage({ orders: ORDERS });
after(() => storage.close());

const dataSources = { none: { name: 'none', type: 'NONE' }, orders: { name: 'orders', type: 'TABLE', table: 'orders' } } as const;

/** JSON round trip: values built in the vm realm carry that realm's prototypes. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function unit(dataSource: 'none' | 'orders', text: string, env: Record<string, string> = {}) {
  const definition = app({ tables: { orders: ORDERS }, dataSources, env, resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'probe', dataSource, code: code(text) }] });
  return runtimeFor(definition, storage);
}

test('unit resolver runs request, then the data source, then response with ctx.result', async () => {
  const runtime = await unit(
    'none',
    `export function request(ctx) { ctx.stash.calls = ['request']; return { payload: { n: ctx.args.n * 2 } }; }
     export function response(ctx) { ctx.stash.calls.push('response'); return { got: ctx.result, calls: ctx.stash.calls }; }`,
  );
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'probe', { n: 21 }))), { got: { n: 42 }, calls: ['request', 'response'] });
});

test('ctx exposes arguments, args, identity, source, stash, info, request headers and env', async () => {
  const runtime = await unit(
    'none',
    `export function request(ctx) {
       return { payload: {
         sameArgs: ctx.args === ctx.arguments, args: ctx.arguments, identity: ctx.identity, source: ctx.source,
         stash: ctx.stash, info: ctx.info, headers: ctx.request.headers, domainName: ctx.request.domainName, env: ctx.env,
       } };
     }
     export function response(ctx) { return ctx.result; }`,
    { STAGE: 'test' },
  );
  const invocation = field('Query', 'probe', { limit: 5 }, {
    source: { orderId: 'o1' },
    path: ['probe'],
    selectionSetList: ['id', 'lines', 'lines/sku'],
    selectionSetGraphQL: '{ id lines { sku } }',
    scope: scope({ headers: { 'x-trace': 't-1' }, domainName: 'api.example.com', variables: { id: 'o1' } }),
  });
  assert.deepEqual(plain(await runtime.resolve(invocation)), {
    sameArgs: true,
    args: { limit: 5 },
    identity: null,
    source: { orderId: 'o1' },
    stash: {},
    info: { fieldName: 'probe', parentTypeName: 'Query', variables: { id: 'o1' }, selectionSetList: ['id', 'lines', 'lines/sku'], selectionSetGraphQL: '{ id lines { sku } }' },
    headers: { 'x-trace': 't-1' },
    domainName: 'api.example.com',
    env: { STAGE: 'test' },
  });
});

test('ctx.identity is the request identity (IAM)', async () => {
  const runtime = await unit('none', `export function request(ctx) { return { payload: ctx.identity.username }; }`);
  const identity: IamIdentity = {
    accountId: '000000000000',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp: ['127.0.0.1'],
    username: 'AIDAEXAMPLE',
    userArn: 'arn:aws:iam::000000000000:user/dev',
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  };
  const auth: AuthContext = { mode: 'AWS_IAM', identity };
  assert.equal(await runtime.resolve(field('Query', 'probe', {}, { scope: scope({ auth }) })), 'AIDAEXAMPLE');
});

test('ctx top-level properties cannot be reassigned by a handler', async () => {
  const runtime = await unit(
    'none',
    `export function request(ctx) { return { payload: 1 }; }
     export function response(ctx) { ctx.result = 'replaced'; return ctx.result; }`,
  );
  // AppSync modules are strict, so the write throws a TypeError instead of being ignored.
  const error = await rejection(runtime.resolve(field('Query', 'probe')));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.errorType, 'Code');
  assert.match(error.message, /Cannot assign to read only property 'result'/);
});

test('a failed attribute_not_exists condition sets ctx.error to DynamoDB:ConditionalCheckFailedException', async () => {
  await storage.tables.execute({ operation: 'PutItem', key: { id: { S: 'taken' } }, attributeValues: { v: { N: '1' } } }, 'orders');
  const runtime = await unit(
    'orders',
    `import { util } from '@aws-appsync/utils';
     import { put } from '@aws-appsync/utils/dynamodb';
     export function request(ctx) { return put({ key: { id: ctx.args.id }, item: { v: 2 }, condition: { id: { attributeExists: false } } }); }
     export function response(ctx) { ctx.stash.seen = ctx.error; return { error: ctx.error, result: ctx.result }; }`,
  );
  const value = plain(await runtime.resolve(field('Query', 'probe', { id: 'taken' }))) as { error: { type: string; message: string }; result: unknown };
  assert.equal(value.error.type, 'DynamoDB:ConditionalCheckFailedException');
  assert.equal(value.error.message, 'The conditional request failed');
  assert.equal(value.result, null);
  assert.deepEqual(await storage.tables.execute({ operation: 'GetItem', key: { id: { S: 'taken' } } }, 'orders'), { id: 'taken', v: 1 });
});

test('a data-source failure the response handler ignores resolves the field to null', async () => {
  const runtime = await unit(
    'orders',
    `import { put } from '@aws-appsync/utils/dynamodb';
     export function request(ctx) { return put({ key: { id: 'taken' }, item: { v: 3 }, condition: { id: { attributeExists: false } } }); }
     export function response(ctx) { return ctx.result; }`,
  );
  const invocation = field('Query', 'probe');
  assert.equal(await runtime.resolve(invocation), null);
  assert.deepEqual(invocation.scope.appendedErrors, []);
});

test('a response handler turns ctx.error into a field error with util.error', async () => {
  const runtime = await unit(
    'orders',
    `import { util } from '@aws-appsync/utils';
     import { put } from '@aws-appsync/utils/dynamodb';
     export function request(ctx) { return put({ key: { id: 'taken' }, item: { v: 4 }, condition: { id: { attributeExists: false } } }); }
     export function response(ctx) { if (ctx.error) util.error(ctx.error.message, ctx.error.type, { id: 'taken' }); return ctx.result; }`,
  );
  const error = await rejection(runtime.resolve(field('Query', 'probe')));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.message, 'The conditional request failed');
  assert.equal(error.errorType, 'DynamoDB:ConditionalCheckFailedException');
  assert.deepEqual(plain(error.data), { id: 'taken' });
});

test('runtime.earlyReturn in a unit request handler returns the value and skips data source and response', async () => {
  const runtime = await unit(
    'orders',
    `import { runtime } from '@aws-appsync/utils';
     export function request(ctx) { runtime.earlyReturn({ cached: true }); return { operation: 'PutItem', key: { id: { S: 'early' } }, attributeValues: {} }; }
     export function response(ctx) { return 'response ran'; }`,
  );
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'probe'))), { cached: true });
  assert.equal(await storage.tables.execute({ operation: 'GetItem', key: { id: { S: 'early' } } }, 'orders'), null);
});

test('runtime.earlyReturn without a value resolves to null', async () => {
  const runtime = await unit('none', `export function request() { runtime.earlyReturn(); }`);
  assert.equal(await runtime.resolve(field('Query', 'probe')), null);
});

test('a module without a response handler returns ctx.result', async () => {
  const runtime = await unit('none', `export function request(ctx) { return { payload: ctx.args }; }`);
  assert.deepEqual(plain(await runtime.resolve(field('Query', 'probe', { a: 1 }))), { a: 1 });
});

test('util.authType reflects the request auth mode', async () => {
  const runtime = await unit('none', `export function request() { return { payload: util.authType() }; }`);
  assert.equal(await runtime.resolve(field('Query', 'probe')), 'API Key Authorization');
  const iam = scope({ auth: { mode: 'AWS_IAM', identity: null } });
  assert.equal(await runtime.resolve(field('Query', 'probe', {}, { scope: iam })), 'IAM Authorization');
});
