/**
 * The APPSYNC_JS sandbox: what resolver code can see, how compile and load failures are
 * reported (at start, naming the file), and how exceptions in user code reach the client.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceFile } from '../../src/app/index.ts';
import { isSwitchboardError } from '../../src/core/index.ts';
import { ResolverFieldError } from '../../src/resolvers/index.ts';
import { FIXTURES, app, code, field, openStorage, rejection, runtimeFor } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

const dataSources = { none: { name: 'none', type: 'NONE' } } as const;

function runtimeWith(file: SourceFile) {
  return runtimeFor(app({ dataSources, resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'probe', dataSource: 'none', code: file }] }), storage);
}

/** Evaluates `expression` in a request handler and resolves to its value (through NONE). */
async function evaluate(expression: string): Promise<unknown> {
  const runtime = await runtimeWith(code(`export function request(ctx) { return { payload: ${expression} }; }`));
  return runtime.resolve(field('Query', 'probe'));
}

test('resolver code sees no Node globals', async () => {
  assert.equal(await evaluate(`[typeof process, typeof setTimeout, typeof fetch, typeof Buffer, typeof globalThis.process].join(',')`), 'undefined,undefined,undefined,undefined,undefined');
});

test('resolver code sees util, extensions and runtime as globals and as @aws-appsync/utils exports', async () => {
  const runtime = await runtimeWith(
    code(`import * as utils from '@aws-appsync/utils';
      export function request() { return { payload: [typeof util, typeof extensions, typeof runtime, utils.util === util, utils.runtime === runtime, utils.extensions === extensions].join(',') }; }`),
  );
  assert.equal(await runtime.resolve(field('Query', 'probe')), 'object,object,object,true,true,true');
});

test("importing 'fs' fails at start with a message that says why", async () => {
  const file = code(`import { readFileSync } from 'fs'; export function request() { return { payload: readFileSync('/etc/hostname', 'utf8') }; }`);
  const error = await rejection(runtimeWith(file));
  assert.ok(isSwitchboardError(error));
  assert.equal(error.code, 'SB_RESOLVER_LOAD_FAILED');
  assert.ok(error.message.startsWith(`${file.path}: cannot compile resolver:`), error.message);
  assert.match(error.message, /Cannot import 'fs': APPSYNC_JS resolvers have no Node APIs/);
});

test("require('node:child_process') is refused the same way", async () => {
  const error = await rejection(runtimeWith(code(`const cp = require('node:child_process'); export function request() { return {}; }`)));
  assert.ok(isSwitchboardError(error));
  assert.match(error.message, /Cannot import 'node:child_process': APPSYNC_JS resolvers have no Node APIs/);
});

test('JSON.parse of invalid JSON returns an empty string', async () => {
  assert.equal(await evaluate(`JSON.parse('bad')`), '');
  assert.deepEqual(JSON.parse(JSON.stringify(await evaluate(`JSON.parse('{"a":[1]}')`))), { a: [1] });
});

test('code generation from strings is disabled', async () => {
  const runtime = await runtimeWith(code(`export function request() { return { payload: eval('1 + 1') }; }`));
  const error = await rejection(runtime.resolve(field('Query', 'probe')));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.errorType, 'Code');
  assert.match(error.message, /Code generation from strings disallowed/);
});

test('handlers run in strict mode', async () => {
  const runtime = await runtimeWith(code(`export function request() { undeclared = 1; return { payload: 1 }; }`));
  const error = await rejection(runtime.resolve(field('Query', 'probe')));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.message, 'undeclared is not defined');
});

test('a TypeScript resolver with a relative import bundles and runs', async () => {
  const path = join(FIXTURES, 'ts-resolver', 'shout.ts');
  const runtime = await runtimeWith({ path, text: readFileSync(path, 'utf8') });
  assert.equal(await runtime.resolve(field('Query', 'probe', { word: 'hey' })), 'HEY!');
});

test('a syntax error fails at start with SB_RESOLVER_LOAD_FAILED naming the file and line', async () => {
  const file = code(`export function request(ctx) {\n  return { payload: 1 \n}`);
  const error = await rejection(runtimeWith(file));
  assert.ok(isSwitchboardError(error));
  assert.equal(error.code, 'SB_RESOLVER_LOAD_FAILED');
  assert.ok(error.message.startsWith(`${file.path}: cannot compile resolver:`), error.message);
  assert.match(error.message, /inline-\d+\.js:3:1: ERROR: Unexpected end of file$/);
});

test('a module whose top-level code throws fails at start with SB_RESOLVER_LOAD_FAILED', async () => {
  const file = code(`const table = util.doesNotExist.name; export function request() { return { payload: table }; }`);
  const error = await rejection(runtimeWith(file));
  assert.ok(isSwitchboardError(error));
  assert.equal(error.code, 'SB_RESOLVER_LOAD_FAILED');
  assert.equal(error.message, `${file.path}: cannot load resolver: Cannot read properties of undefined (reading 'name')`);
});

test('a module whose top-level code never ends is stopped after 1 s', async () => {
  const file = code(`for (;;) {} export function request() { return {}; }`);
  const error = await rejection(runtimeWith(file));
  assert.ok(isSwitchboardError(error));
  assert.equal(error.message, `${file.path}: cannot load resolver: Script execution timed out after 1000ms`);
});

test('an exception in user code becomes a field error with errorType Code', async () => {
  const runtime = await runtimeWith(code(`export function request(ctx) { return { payload: ctx.args.missing.deep }; }`));
  const error = await rejection(runtime.resolve(field('Query', 'probe')));
  assert.ok(error instanceof ResolverFieldError);
  assert.deepEqual({ message: error.message, errorType: error.errorType, data: error.data, errorInfo: error.errorInfo }, {
    message: "Cannot read properties of undefined (reading 'deep')",
    errorType: 'Code',
    data: null,
    errorInfo: null,
  });
});

test('util.unauthorized gives the Unauthorized field error', async () => {
  const runtime = await runtimeWith(code(`export function request() { util.unauthorized(); }`));
  const error = await rejection(runtime.resolve(field('Query', 'probe')));
  assert.ok(error instanceof ResolverFieldError);
  assert.equal(error.errorType, 'Unauthorized');
  assert.equal(error.message, 'Not Authorized to access probe on type Query');
});

test('console output goes to the logger, tagged with the resolver file', async () => {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const logger = {
    log: (level: string, msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields: fields ?? {} }),
    child(base: Record<string, unknown>) {
      return { log: (level: string, msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields: { ...base, ...fields } }), child: () => logger };
    },
  };
  const file = code(`export function request() { console.log('hello', 42); console.error('bad'); return {}; }`);
  const runtime = await runtimeFor(app({ dataSources, resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'probe', dataSource: 'none', code: file }] }), storage, logger);
  await runtime.resolve(field('Query', 'probe'));
  assert.deepEqual(JSON.parse(JSON.stringify(lines)), [
    { level: 'info', msg: 'resolver console.log', fields: { resolver: file.path, args: ['hello', 42] } },
    { level: 'warn', msg: 'resolver console.error', fields: { resolver: file.path, args: ['bad'] } },
  ]);
});
