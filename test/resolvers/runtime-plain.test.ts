/**
 * Plain TypeScript resolvers (`kind: 'PLAIN'` from a file, `INLINE` as a function): run outside
 * the sandbox with a plain `ctx`, may be async and use Node; errors keep an `errorType` they carry.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolverDefinition, SourceFile } from '../../src/app/index.ts';
import { isSwitchboardError } from '../../src/core/index.ts';
import { ResolverFieldError } from '../../src/resolvers/index.ts';
import { FIXTURES, app, field, openStorage, rejection, runtimeFor, scope } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

const fixture = (name: string): SourceFile => {
  const path = join(FIXTURES, 'plain', name);
  return { path, text: readFileSync(path, 'utf8') };
};

const runtimeWith = (resolvers: readonly ResolverDefinition[]) => runtimeFor(app({ resolvers, env: { STAGE: 'dev' } }), storage);

test('a PLAIN resolver file is called with a plain ctx and may be async', async () => {
  const runtime = await runtimeWith([{ kind: 'PLAIN', typeName: 'Query', fieldName: 'greeting', handler: fixture('greeting.ts') }]);
  const invocation = field('Query', 'greeting', { name: 'Ada' }, { scope: scope({ headers: { 'x-lang': 'en' } }) });
  assert.deepEqual(await runtime.resolve(invocation), { text: 'Hello, Ada', digest: '99a563ab', field: 'Query.greeting', header: 'en', env: 'dev' });
});

test('a PLAIN resolver error carrying errorType becomes that field error', async () => {
  const runtime = await runtimeWith([{ kind: 'PLAIN', typeName: 'Query', fieldName: 'getOrder', handler: fixture('failing.ts') }]);
  const error = await rejection(runtime.resolve(field('Query', 'getOrder')));
  assert.ok(error instanceof ResolverFieldError);
  assert.deepEqual({ message: error.message, errorType: error.errorType, data: error.data, errorInfo: error.errorInfo }, {
    message: 'no such order',
    errorType: 'NotFound',
    data: { id: 'o-404' },
    errorInfo: null,
  });
});

test('a PLAIN resolver file without a default or resolve export fails at start', async () => {
  const handler = fixture('../ts-resolver/text.ts');
  const error = await rejection(runtimeWith([{ kind: 'PLAIN', typeName: 'Query', fieldName: 'x', handler }]));
  assert.ok(isSwitchboardError(error));
  assert.equal(error.code, 'SB_RESOLVER_LOAD_FAILED');
  assert.equal(error.message, `${handler.path}: export a default function or a function named resolve`);
});

test('an INLINE resolver function receives args, stash, source and info', async () => {
  const runtime = await runtimeWith([
    {
      kind: 'INLINE',
      typeName: 'Order',
      fieldName: 'total',
      resolve: (ctx) => {
        ctx.stash['seen'] = true;
        const source = ctx.source as { lines: { price: number; qty: number }[] };
        return { total: source.lines.reduce((sum, l) => sum + l.price * l.qty, 0) * Number(ctx.args['factor']), info: ctx.info, stash: ctx.stash, identity: ctx.identity };
      },
    },
  ]);
  const value = await runtime.resolve(field('Order', 'total', { factor: 2 }, { source: { lines: [{ price: 3, qty: 2 }, { price: 1, qty: 1 }] } }));
  assert.deepEqual(value, { total: 14, info: { fieldName: 'total', parentTypeName: 'Order', variables: {} }, stash: { seen: true }, identity: null });
});

test('an INLINE resolver that throws a plain Error gives errorType Code', async () => {
  const runtime = await runtimeWith([{ kind: 'INLINE', typeName: 'Query', fieldName: 'boom', resolve: () => Promise.reject(new Error('kaput')) }]);
  const error = await rejection(runtime.resolve(field('Query', 'boom')));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.message, 'kaput');
  assert.equal(error.errorType, 'Code');
});

test('has() answers for configured fields only and resolve() of another field is undefined', async () => {
  const runtime = await runtimeWith([{ kind: 'INLINE', typeName: 'Query', fieldName: 'one', resolve: () => 1 }]);
  assert.equal(runtime.has('Query', 'one'), true);
  assert.equal(runtime.has('Query', 'two'), false);
  assert.equal(await runtime.resolve(field('Query', 'two')), undefined);
});
