/** A FUNCTION data source in the app config: its handler file and its timeout, checked at load with file and line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadApp } from '../../src/app/index.ts';
import { appFolder, loadError } from '../support/app-folder.ts';

const HANDLER = { 'functions/slow.ts': 'export const handler = async () => null;\n' };
const withSource = (source: string): string => appFolder(`export default {\n  dataSources: {\n    slow: ${source},\n  },\n};\n`, HANDLER);

test('timeoutSeconds is optional (the data source then waits Lambda\'s default 3 s) and loads as given', async () => {
  const plain = await loadApp(withSource("{ type: 'FUNCTION', handler: 'functions/slow.ts' }"));
  assert.equal((plain.dataSources['slow'] as { timeoutSeconds?: number }).timeoutSeconds, undefined);
  const set = await loadApp(withSource("{ type: 'FUNCTION', handler: 'functions/slow.ts', timeoutSeconds: 20 }"));
  assert.equal((set.dataSources['slow'] as { timeoutSeconds?: number }).timeoutSeconds, 20);
});

test('timeoutSeconds is a whole number of seconds, 1..900, as a Lambda function\'s timeout', async () => {
  for (const bad of ['0', '901', '2.5', "'3'"]) {
    const message = await loadError(withSource(`{ type: 'FUNCTION', handler: 'functions/slow.ts', timeoutSeconds: ${bad} }`));
    assert.match(message, /switchboard\.config\.ts:\d+ dataSources\.slow\.timeoutSeconds expects an integer >= 1 <= 900, got/, bad);
  }
});
