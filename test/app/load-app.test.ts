import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../src/app/index.ts';
import { isSwitchboardError } from '../../src/core/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { appFolder, loadError } from '../support/app-folder.ts';

const configError = (dir: string): Promise<string> => loadError(dir, ['SB_CONFIG_INVALID', 'SB_CONFIG_LOAD_FAILED']);

test('the food-ordering example loads into a frozen definition with the seed pipeline', async () => {
  const app = await loadApp(join(REPO_ROOT, 'examples/food-ordering'));
  assert.equal(app.name, 'food-ordering');
  assert.deepEqual(app.tables['orders']?.partitionKey, { name: 'id', type: 'S' });
  const createOrder = app.resolvers.find((r) => r.fieldName === 'createOrder');
  assert.equal(createOrder?.kind, 'PIPELINE');
  assert.equal(createOrder?.kind === 'PIPELINE' ? createOrder.steps.length : 0, 2);
  assert.ok(Object.isFrozen(app) && Object.isFrozen(app.tables) && Object.isFrozen(app.auth));
  assert.equal(app.auth.defaultMode, 'API_KEY');
  assert.deepEqual(app.auth.additionalModes, ['AWS_IAM']);
});

test('an unknown key is an error naming file, line, path, expected and got', async () => {
  const dir = appFolder(`export default {\n  name: 'x',\n  tabels: {},\n};\n`);
  const message = await configError(dir);
  assert.match(message, new RegExp(`${join(dir, 'switchboard.config.ts').replace(/[.]/g, '\\.')}:3 tabels expects no such key \\(known keys: name, api, tables`));
  assert.match(message, /got an object/);
});

test('a wrong value type names what was expected and what was given', async () => {
  const dir = appFolder(`export default {\n  api: {\n    auth: {\n      defaultMode: 'API_KEYS',\n    },\n  },\n};\n`);
  const message = await configError(dir);
  assert.match(message, /switchboard\.config\.ts:4 api\.auth\.defaultMode expects one of "API_KEY", "AWS_IAM", "AMAZON_COGNITO_USER_POOLS", "OPENID_CONNECT", "AWS_LAMBDA", got "API_KEYS"/);
});

test('references between sections are checked: pipelines name declared functions, sources name declared tables', async () => {
  const dir = appFolder(
    [
      'export default {',
      "  dataSources: { items: { type: 'TABLE', table: 'itemz' } },",
      "  functions: { one: { dataSource: 'items', code: 'resolvers/one.js' } },",
      "  resolvers: { 'Query.hello': { pipeline: ['one', 'two'] } },",
      '};',
    ].join('\n'),
    { 'resolvers/one.js': 'export const request = () => ({}); export const response = (ctx) => ctx.result;' },
  );
  const message = await configError(dir);
  assert.match(message, /:2 dataSources\.items\.table expects a table declared in tables \(none declared\), got "itemz"/);
  // The table error stops nothing else: every problem is listed at once.
  assert.match(message, /:4 resolvers\['Query\.hello'\]\.pipeline\[1\] expects a function declared in functions \(one\), got "two"/);
});

test('a missing resolver file is reported with its path', async () => {
  const dir = appFolder(`export default {\n  dataSources: { none: { type: 'NONE' } },\n  resolvers: { 'Query.hello': { dataSource: 'none', code: 'resolvers/missing.js' } },\n};\n`);
  const message = await configError(dir);
  assert.match(message, /resolvers\['Query\.hello'\]\.code expects an existing resolver file .*got "resolvers\/missing\.js"/);
});

test('a folder without a config says what an app folder holds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-empty-'));
  const message = await configError(dir);
  assert.match(message, /no switchboard\.config\.ts in this folder/);
});

test('a config that throws is reported with the file', async () => {
  const dir = appFolder(`throw new Error('kaboom');\nexport default {};\n`);
  await assert.rejects(loadApp(dir), (e: unknown) => isSwitchboardError(e, 'SB_CONFIG_LOAD_FAILED') && /kaboom/.test((e as Error).message));
});

test('table changes: defaults are filled in (pipe <table>-changes, NEW_AND_OLD_IMAGES)', async () => {
  const dir = appFolder(
    [
      'export default {',
      '  buses: { ops: {} },',
      '  tables: {',
      "    orders: { partitionKey: 'id', changes: { bus: 'default' } },",
      "    audit: { partitionKey: 'id', changes: { bus: 'ops', pipeName: 'audit.pipe', viewType: 'KEYS_ONLY' } },",
      "    plain: { partitionKey: 'id' },",
      '  },',
      '};',
    ].join('\n'),
  );
  const app = await loadApp(dir);
  assert.deepEqual(app.tables['orders']?.changes, { bus: 'default', pipeName: 'orders-changes', viewType: 'NEW_AND_OLD_IMAGES' });
  assert.deepEqual(app.tables['audit']?.changes, { bus: 'ops', pipeName: 'audit.pipe', viewType: 'KEYS_ONLY' });
  assert.equal(app.tables['plain']?.changes, undefined);
});

test('table changes: unknown keys, wrong types and bad names are errors naming file, line, path, expected and got', async () => {
  const dir = appFolder(
    [
      'export default {',
      '  tables: {',
      '    orders: {',
      "      partitionKey: 'id',",
      "      changes: { bus: 'default', viewType: 'NEW', batchSize: 10 },",
      '    },',
      "    lines: { partitionKey: 'id', changes: { pipeName: 'has space' } },",
      "    notes: { partitionKey: 'id', changes: 'default' },",
      '  },',
      '};',
    ].join('\n'),
  );
  const message = await configError(dir);
  assert.match(message, /switchboard\.config\.ts:5 tables\.orders\.changes\.viewType expects one of "NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY", got "NEW"/);
  assert.match(message, /:5 tables\.orders\.changes\.batchSize expects no such key \(known keys: bus, pipeName, viewType\), got 10/);
  assert.match(message, /:7 tables\.lines\.changes\.bus expects an event bus name, got nothing \(it is required\)/);
  assert.match(message, /:7 tables\.lines\.changes\.pipeName expects a pipe name \(1-64 letters, digits, \., - or _\), got "has space"/);
  assert.match(message, /:8 tables\.notes\.changes expects an object with keys bus, pipeName, viewType, got "default"/);
});

test('table changes: the bus must be default or declared, and pipe names are not shared', async () => {
  const dir = appFolder(
    [
      'export default {',
      '  buses: { ops: {} },',
      '  tables: {',
      "    orders: { partitionKey: 'id', changes: { bus: 'orderz' } },",
      "    lines: { partitionKey: 'id', changes: { bus: 'ops', pipeName: 'orders-changes' } },",
      '  },',
      '};',
    ].join('\n'),
  );
  const message = await configError(dir);
  assert.match(message, /:4 tables\.orders\.changes\.bus expects "default" or a bus declared in buses \(ops\), got "orderz"/);
  assert.match(message, /:5 tables\.lines\.changes\.pipeName expects a pipe name not used by another table \(tables\.orders uses it\), got "orders-changes"/);
});

test('site must name an existing folder of the app, reported with its line', async () => {
  const message = await configError(appFolder(`export default {\n  name: 'x',\n  site: 'pages',\n};\n`));
  assert.match(message, /switchboard\.config\.ts:3 site expects an existing folder \(relative to .*\), got "pages"/);
  const app = await loadApp(appFolder(`export default { name: 'x', site: 'pages' };\n`, { 'pages/index.html': '<h1>hi</h1>' }));
  assert.match(app.site ?? '', /[\\/]pages$/);
});

test('regions entries need a region name; their port is an integer', async () => {
  const message = await configError(appFolder(`export default {\n  regions: {\n    a: { region: 'moon', port: 4.5 },\n  },\n};\n`));
  assert.match(message, /regions\.a\.region expects a region name such as "us-east-1", got "moon"/);
  assert.match(message, /regions\.a\.port expects/);
});
