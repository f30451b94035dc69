/**
 * Counted-work invariants: every resolver module is bundled and evaluated once, at start, in one
 * vm context shared by all requests; a resolution creates no context, compiles nothing and
 * imports nothing. Counted by wrapping `vm.createContext` / `vm.Script` (one of each per module
 * load, which is also one esbuild run) and `importModule`.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.ts';
import { createDataSource, createResolverRuntime, type DataSource } from '../../src/resolvers/index.ts';
import { FIXTURES, app, code, field, importModule, openStorage } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

interface Counts {
  contexts: number;
  scripts: number;
  imports: number;
}

/** Counts vm contexts, compiled scripts and module imports while `fn` runs. */
async function counting<T>(counts: Counts, fn: () => Promise<T>): Promise<T> {
  const createContext = vm.createContext;
  const Script = vm.Script;
  vm.createContext = ((...args: Parameters<typeof createContext>) => {
    counts.contexts += 1;
    return createContext(...args);
  }) as typeof createContext;
  vm.Script = class extends Script {
    constructor(...args: ConstructorParameters<typeof Script>) {
      super(...args);
      counts.scripts += 1;
    }
  };
  try {
    return await fn();
  } finally {
    vm.createContext = createContext;
    vm.Script = Script;
  }
}

test('each module is compiled once at start and never per resolution', async () => {
  const shared = code(`export function request(ctx) { return { payload: (ctx.prev.result.n ?? 0) + 1 }; } export function response(ctx) { return { n: ctx.result }; }`);
  const unit = code(`export function request(ctx) { return { payload: ctx.args.v }; }`);
  const definition = app({
    dataSources: { none: { name: 'none', type: 'NONE' }, fn: { name: 'fn', type: 'FUNCTION', handler: join(FIXTURES, 'functions', 'echo.ts') } },
    resolvers: [
      // The same function file in two pipelines, twice in one of them: one compiled module.
      { kind: 'PIPELINE', typeName: 'Mutation', fieldName: 'a', steps: [{ dataSource: 'none', code: shared }, { dataSource: 'none', code: shared }] },
      { kind: 'PIPELINE', typeName: 'Mutation', fieldName: 'b', steps: [{ dataSource: 'none', code: shared }] },
      { kind: 'UNIT', typeName: 'Query', fieldName: 'u', dataSource: 'none', code: unit },
      { kind: 'UNIT', typeName: 'Query', fieldName: 'f', dataSource: 'fn', code: code(`export function request(ctx) { return { operation: 'Invoke', payload: ctx.args }; }`) },
      { kind: 'PLAIN', typeName: 'Query', fieldName: 'p', handler: { path: join(FIXTURES, 'plain', 'greeting.ts'), text: '' } },
    ],
  });
  const counts: Counts = { contexts: 0, scripts: 0, imports: 0 };
  const countingImport = (p: string) => {
    counts.imports += 1;
    return importModule(p);
  };
  await counting(counts, async () => {
    const dataSources: Record<string, DataSource> = {};
    for (const def of Object.values(definition.dataSources)) {
      dataSources[def.name] = storage.dataSource(def);
    }
    // The FUNCTION data source imports through the harness; the PLAIN handler through this one.
    const runtime = await createResolverRuntime({ app: definition, dataSources, clock: storage.clock, logger: silentLogger, importModule: countingImport });
    // 3 APPSYNC_JS modules (shared, unit, the FUNCTION resolver); 1 PLAIN import.
    assert.deepEqual({ ...counts }, { contexts: 3, scripts: 3, imports: 1 });

    const started = { ...counts };
    for (let i = 0; i < 50; i += 1) {
      assert.deepEqual(JSON.parse(JSON.stringify(await runtime.resolve(field('Mutation', 'a')))), { n: 2 });
      assert.deepEqual(JSON.parse(JSON.stringify(await runtime.resolve(field('Mutation', 'b')))), { n: 1 });
      assert.equal(await runtime.resolve(field('Query', 'u', { v: i })), i);
      assert.equal(((await runtime.resolve(field('Query', 'p', { name: 'x' }))) as { text: string }).text, 'Hello, x');
    }
    assert.deepEqual({ ...counts }, started);
  });
});

test('a FUNCTION data source imports its handler once, on first use', async () => {
  let imports = 0;
  const dataSource = createDataSource(
    { name: 'echo', type: 'FUNCTION', handler: join(FIXTURES, 'functions', 'echo.ts') },
    {
      eventLog: storage.eventLog,
      tables: storage.tables,
      clock: storage.clock,
      logger: silentLogger,
      importModule: (p) => {
        imports += 1;
        return importModule(p);
      },
    },
  );
  assert.equal(imports, 0);
  const call = { auth: { mode: 'API_KEY', identity: null }, typeName: 'Query', fieldName: 'f' } as const;
  for (let i = 0; i < 20; i += 1) await dataSource.invoke({ operation: 'Invoke', payload: i }, call);
  assert.equal(imports, 1);
});

test('a FUNCTION handler that failed to import is imported again on the next call', async () => {
  let imports = 0;
  const dataSource = createDataSource(
    { name: 'broken', type: 'FUNCTION', handler: join(FIXTURES, 'ts-resolver', 'text.ts') },
    {
      eventLog: storage.eventLog,
      tables: storage.tables,
      clock: storage.clock,
      logger: silentLogger,
      importModule: (p) => {
        imports += 1;
        return importModule(p);
      },
    },
  );
  const call = { auth: { mode: 'API_KEY', identity: null }, typeName: 'Query', fieldName: 'f' } as const;
  for (let i = 0; i < 2; i += 1) {
    await assert.rejects(dataSource.invoke({ operation: 'Invoke', payload: i }, call), { message: `${join(FIXTURES, 'ts-resolver', 'text.ts')} must export a function named handler (or a default export)` });
  }
  assert.equal(imports, 2);
});
