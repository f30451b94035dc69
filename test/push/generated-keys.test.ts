/** A VAPID pair left out of the config is generated once into the data folder (mode 0600) and kept; a corrupt file stops the start. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSwitchboardError, silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { checkVapidKeys } from '../../src/push/index.ts';
import { startSwitchboard } from '../../src/server/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';

delete process.env['SB_VAPID_PUBLIC_KEY'];
delete process.env['SB_VAPID_PRIVATE_KEY'];

test('keys omitted from the config are generated at first start, kept, and served', async () => {
  const app = await loadApp(join(REPO_ROOT, 'examples/web-push-orders'));
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-push-keys-'));
  const file = join(dataDir, 'vapid-keys.json');
  let server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger });
  const first = (await (await fetch(`${server.url}/push/vapid.json`)).json()) as { publicKey: string };
  await server.stop();
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  assert.equal(stored.publicKey, first.publicKey);
  assert.equal(checkVapidKeys(stored), undefined);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger });
  assert.deepEqual(await (await fetch(`${server.url}/push/vapid.json`)).json(), first, 'the same key after a restart');
  await server.stop();
});

test('a corrupt vapid-keys.json stops the start with SB_CONFIG_LOAD_FAILED naming the file', async () => {
  const app = await loadApp(join(REPO_ROOT, 'examples/web-push-orders'));
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-push-keys-'));
  writeFileSync(join(dataDir, 'vapid-keys.json'), '{"publicKey": 1');
  await assert.rejects(
    startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger }),
    (e: unknown) => isSwitchboardError(e, 'SB_CONFIG_LOAD_FAILED') && e.message.includes('vapid-keys.json'),
  );
});
