/** `switchboard vapid`: the real CLI prints a key pair the config accepts and that signs verifiable tokens. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VirtualClock } from '../../src/core/index.ts';
import { checkVapidKeys, createVapidAuthorizer, importVapidKeys } from '../../src/push/index.ts';
import { RUN_TO_END } from '../support/server-process.ts';
import { verifyVapid } from './support/vapid-verify.ts';

const run = promisify(execFile);

test('switchboard vapid --json prints a fresh P-256 pair that signs tokens a push service accepts', async () => {
  const { stdout } = await run(process.execPath, ['bin/switchboard.js', 'vapid', '--json'], RUN_TO_END);
  const keys = JSON.parse(stdout) as { publicKey: string; privateKey: string };
  assert.equal(keys.publicKey.length, 87);
  assert.equal(keys.privateKey.length, 43);
  assert.equal(checkVapidKeys(keys), undefined);
  const clock = new VirtualClock();
  const header = createVapidAuthorizer({ keys: importVapidKeys(keys), subject: 'mailto:ops@acme-foods.com', clock }).authorization('https://fcm.googleapis.com');
  assert.ok(verifyVapid(header, 'https://fcm.googleapis.com', clock.now()).ok);
  const again = JSON.parse((await run(process.execPath, ['bin/switchboard.js', 'vapid', '--json'], RUN_TO_END)).stdout) as { publicKey: string };
  assert.notEqual(again.publicKey, keys.publicKey, 'a new pair each time');
});

test('switchboard vapid prints both keys and the config snippet; it is listed in help', async () => {
  const { stdout } = await run(process.execPath, ['bin/switchboard.js', 'vapid'], RUN_TO_END);
  const pub = /publicKey {3}(\S{87})/.exec(stdout)?.[1];
  const priv = /privateKey {2}(\S{43})/.exec(stdout)?.[1];
  assert.ok(pub !== undefined && priv !== undefined, stdout);
  assert.ok(stdout.includes(`push: { vapid: { subject: 'mailto:you@your-domain.com', publicKey: '${pub}', privateKey: '${priv}' } }`));
  const help = await run(process.execPath, ['bin/switchboard.js', '--help'], RUN_TO_END);
  assert.match(help.stdout, /switchboard vapid \[--json\]\n\s+generate a VAPID key pair/);
});
