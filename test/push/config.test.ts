/**
 * `defineApp({ push })` is validated at load: a VAPID identity is required, subjects must be real
 * mailto:/https: contacts (Apple refuses placeholders, and the message says so), key pairs must be
 * well formed and belong together, and messages name file, line, path, expected and got — without
 * ever printing a private key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../../src/app/index.ts';
import { DEFAULT_PUSH_SERVICES, generateVapidKeys } from '../../src/push/index.ts';
import { appFolder as app, loadError } from '../support/app-folder.ts';

const appFolder = (push: string, extra = ''): string => app(`export default {\n  name: 'p',\n${extra}  push: ${push},\n};\n`, { 'public/.keep': '' });
const configError = (dir: string): Promise<string> => loadError(dir);

test('a push section with one VAPID key loads with its defaults filled in', async () => {
  const keys = generateVapidKeys();
  const app = await loadApp(appFolder(`{ vapid: { subject: 'mailto:ops@acme-foods.com', publicKey: '${keys.publicKey}', privateKey: '${keys.privateKey}' }, notifications: { status: { title: 'Order update' } }, page: 'public' }`));
  assert.deepEqual(app.push?.keys, [{ subject: 'mailto:ops@acme-foods.com', ...keys }]);
  assert.equal(app.push?.bus, 'default');
  assert.deepEqual(app.push?.allowedEndpoints, DEFAULT_PUSH_SERVICES);
  assert.deepEqual(app.push?.notifications, { status: { title: 'Order update', ttlSeconds: 3600, urgency: 'normal' } });
  assert.equal(app.push?.page, join(app.dir, 'public'));
  assert.ok(Object.isFrozen(app.push));
});

test('an app without push has no push definition; keys may be left out to be generated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-push-app-'));
  writeFileSync(join(dir, 'switchboard.config.ts'), `export default { name: 'none' };\n`);
  writeFileSync(join(dir, 'schema.graphql'), 'type Query { hello: String }\n');
  assert.equal((await loadApp(dir)).push, undefined);
  const generated = await loadApp(appFolder(`{ vapid: { subject: 'https://acme-foods.com/contact' } }`));
  assert.deepEqual(generated.push?.keys, [{ subject: 'https://acme-foods.com/contact' }]);
});

test('a placeholder subject is refused with file, line, path, the reason (Apple) and what was given', async () => {
  const dir = appFolder(`{\n    vapid: {\n      subject: 'mailto:push@example.com',\n    },\n  }`);
  const message = await configError(dir);
  assert.match(
    message,
    new RegExp(`${join(dir, 'switchboard.config.ts').replace(/\./g, '\\.')}:5 push\\.vapid\\.subject expects a contact address of yours: "example\\.com" is a placeholder domain, and Apple's push service rejects a VAPID subject that is not a real contact \\(403 BadJwtToken\\), got "mailto:push@example\\.com"`),
  );
  assert.match(await configError(appFolder(`{ vapid: { subject: 'https://localhost:3000' } }`)), /push\.vapid\.subject expects an https: URL of yours: "localhost" is a placeholder domain/);
  assert.match(await configError(appFolder(`{ vapid: { subject: 'ops@acme-foods.com' } }`)), /push\.vapid\.subject expects a mailto: or https: contact URI \(RFC 8292 §2\.1\), got "ops@acme-foods\.com"/);
});

test('key pairs are checked and a private key is never printed', async () => {
  const a = generateVapidKeys();
  const b = generateVapidKeys();
  const message = await configError(appFolder(`{ vapid: { subject: 'mailto:ops@acme-foods.com', publicKey: '${a.publicKey}', privateKey: '${b.privateKey}' } }`));
  assert.match(message, /push\.vapid\.publicKey expects the public key of privateKey \(copy both from the same `switchboard vapid` output\), got "B/);
  const short = await configError(appFolder(`{ vapid: { subject: 'mailto:ops@acme-foods.com', publicKey: '${a.publicKey}', privateKey: '${a.privateKey.slice(0, 30)}x!' } }`));
  assert.match(short, /push\.vapid\.privateKey expects the base64url of a 32-byte P-256 private key \(43 characters\), got a 32-character string \(not shown\)/);
  assert.ok(!short.includes(a.privateKey.slice(0, 30)));
  assert.match(await configError(appFolder(`{ vapid: { subject: 'mailto:ops@acme-foods.com', publicKey: '${a.publicKey}' } }`)), /push\.vapid\.privateKey expects both publicKey and privateKey/);
});

test('two keys may be active during a rotation, the current first; vapid and keys are exclusive; one is required', async () => {
  const current = generateVapidKeys();
  const previous = generateVapidKeys();
  const key = (k: { publicKey: string; privateKey: string }) => `{ subject: 'mailto:ops@acme-foods.com', publicKey: '${k.publicKey}', privateKey: '${k.privateKey}' }`;
  const app = await loadApp(appFolder(`{ keys: [${key(current)}, ${key(previous)}] }`));
  assert.deepEqual(app.push?.keys.map((k) => k.publicKey), [current.publicKey, previous.publicKey]);
  assert.match(await configError(appFolder(`{ keys: [${key(current)}, ${key(current)}] }`)), /push\.keys\[1\]\.publicKey expects a key not listed before/);
  assert.match(await configError(appFolder(`{ vapid: ${key(current)}, keys: [${key(previous)}] }`)), /push\.keys expects either vapid or keys, not both/);
  assert.match(await configError(appFolder(`{ notifications: {} }`)), /push\.vapid expects a VAPID identity/);
  assert.match(await configError(appFolder(`{ keys: [{ subject: 'mailto:ops@acme-foods.com' }] }`)), /push\.keys\[0\]\.publicKey expects a string, got nothing \(it is required\)/);
});

test('notification options, endpoint patterns, bus and page are checked', async () => {
  const vapid = `vapid: { subject: 'mailto:ops@acme-foods.com' }`;
  assert.match(await configError(appFolder(`{ ${vapid}, notifications: { s: { urgency: 'urgent' } } }`)), /push\.notifications\.s\.urgency expects one of "very-low", "low", "normal", "high", got "urgent"/);
  assert.match(await configError(appFolder(`{ ${vapid}, notifications: { s: { ttlSeconds: 9999999 } } }`)), /push\.notifications\.s\.ttlSeconds expects an integer >= 0 <= 2592000/);
  assert.match(await configError(appFolder(`{ ${vapid}, allowedEndpoints: ['fcm.googleapis.com'] }`)), /push\.allowedEndpoints\[0\] expects an origin pattern/);
  assert.match(await configError(appFolder(`{ ${vapid}, bus: 'orders' }`)), /push\.bus expects "default" or a bus declared in buses/);
  assert.match(await configError(appFolder(`{ ${vapid}, page: 'nowhere' }`)), /push\.page expects an existing folder/);
  assert.match(await configError(appFolder(`{ ${vapid}, vapidKey: 'x' }`)), /push\.vapidKey expects no such key \(known keys: vapid, keys, bus, allowedEndpoints, notifications, page\)/);
});
