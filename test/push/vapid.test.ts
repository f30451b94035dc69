/**
 * VAPID (RFC 8292): the RFC's own example token verifies with the independent checker the mock push
 * service uses; tokens we sign pass it; key pairs are web-push's format, checked for a matching
 * public key; subjects must be real mailto:/https: contacts (Apple refuses placeholders).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import webpush from 'web-push';
import { isSwitchboardError, VirtualClock } from '../../src/core/index.ts';
import { checkVapidKeys, checkVapidSubject, createVapidAuthorizer, generateVapidKeys, importVapidKeys } from '../../src/push/index.ts';
import { verifyVapid } from './support/vapid-verify.ts';

const RFC_TOKEN =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0.i3CYb7t4xfxCDquptFOepC9GAu_HLGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA';
const RFC_K = 'BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs';

test('RFC 8292 §2.4: the example token verifies with its key, an hour before its exp', () => {
  const check = verifyVapid(`vapid t=${RFC_TOKEN}, k=${RFC_K}`, 'https://push.example.net', (1453523768 - 3600) * 1000);
  assert.ok(check.ok, check.ok ? '' : check.reason);
  assert.deepEqual(check.claims, { aud: 'https://push.example.net', exp: 1453523768, sub: 'mailto:push@example.com' });
  // ...and not after it, nor for another origin.
  assert.equal(verifyVapid(`vapid t=${RFC_TOKEN}, k=${RFC_K}`, 'https://push.example.net', 1453523768 * 1000).ok, false);
  assert.equal(verifyVapid(`vapid t=${RFC_TOKEN}, k=${RFC_K}`, 'https://push.example.net:8443', (1453523768 - 3600) * 1000).ok, false);
});

test('a token we sign has aud = the origin with its port, exp 12 h ahead, an ES256 signature the checker accepts', () => {
  const clock = new VirtualClock();
  const keys = importVapidKeys(generateVapidKeys());
  const authorizer = createVapidAuthorizer({ keys, subject: 'https://orders.switchboard-push-tests.dev/contact', clock });
  const header = authorizer.authorization('http://127.0.0.1:8443');
  assert.match(header, /^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]{87}$/);
  const check = verifyVapid(header, 'http://127.0.0.1:8443', clock.now());
  assert.ok(check.ok, check.ok ? '' : check.reason);
  assert.equal(check.k, keys.publicKey);
  assert.equal(check.claims.exp, clock.now() / 1000 + 12 * 3600);
  // A flipped signature byte fails.
  const tampered = header.replace(/\.([\w-])([\w-]*), k=/, (_, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest}, k=`);
  assert.equal(verifyVapid(tampered, 'http://127.0.0.1:8443', clock.now()).ok, false);
  // One token per origin.
  assert.notEqual(authorizer.authorization('https://fcm.googleapis.com'), header);
  assert.equal(authorizer.signed, 2);
});

test('generated key pairs have web-push\'s format, and web-push keys import', () => {
  const ours = generateVapidKeys();
  const theirs = webpush.generateVAPIDKeys();
  for (const pair of [ours, theirs]) {
    assert.equal(pair.publicKey.length, 87);
    assert.equal(pair.privateKey.length, 43);
    assert.equal(checkVapidKeys(pair), undefined);
    assert.equal(importVapidKeys(pair).publicKey, pair.publicKey);
  }
  // A token signed with web-push's keys by web-push verifies like ours.
  const headers = webpush.getVapidHeaders('https://fcm.googleapis.com', 'mailto:ops@switchboard-push-tests.dev', theirs.publicKey, theirs.privateKey, 'aes128gcm');
  assert.ok(verifyVapid(headers.Authorization, 'https://fcm.googleapis.com', Date.now()).ok);
});

test('importVapidKeys refuses malformed keys and a public key of another pair with SB_PUSH_KEY_INVALID', () => {
  const a = generateVapidKeys();
  const b = generateVapidKeys();
  const cases: [{ publicKey: string; privateKey: string }, RegExp][] = [
    [{ publicKey: a.publicKey, privateKey: b.privateKey }, /publicKey expects the public key of privateKey/],
    [{ publicKey: a.publicKey.slice(1), privateKey: a.privateKey }, /publicKey expects the base64url of a 65-byte uncompressed P-256 point/],
    [{ publicKey: a.publicKey, privateKey: 'short' }, /privateKey expects the base64url of a 32-byte P-256 private key/],
    [{ publicKey: a.publicKey, privateKey: `${a.privateKey}AAAA` }, /32-byte P-256 private key/],
    [{ publicKey: a.publicKey, privateKey: 'A'.repeat(43) }, /privateKey expects a valid P-256 private key/],
  ];
  for (const [pair, message] of cases) {
    const problem = checkVapidKeys(pair);
    assert.match(problem === undefined ? 'accepted' : `${problem.key} expects ${problem.expected}`, message);
    assert.throws(() => importVapidKeys(pair), (e: unknown) => isSwitchboardError(e, 'SB_PUSH_KEY_INVALID') && message.test(e.message));
  }
});

test('subjects: mailto: and https: contacts pass; placeholder and local domains are refused, naming Apple', () => {
  for (const ok of ['mailto:ops@acme-foods.com', 'mailto:push@orders.acme-foods.co.uk', 'https://acme-foods.com/contact']) assert.equal(checkVapidSubject(ok), undefined, ok);
  const refused: [string, RegExp][] = [
    ['mailto:push@example.com', /"example.com" is a placeholder domain.*Apple/],
    ['mailto:me@localhost', /"localhost" is a placeholder domain/],
    ['https://localhost:3000', /placeholder/],
    ['https://push.example.org/', /placeholder/],
    ['mailto:dev@shop.test', /".test" is a reserved or local domain/],
    ['https://127.0.0.1', /IP address/],
    ['mailto:not-an-address', /e-mail address/],
    ['http://acme-foods.com', /mailto: or https:/],
    ['ops@acme-foods.com', /mailto: or https:/],
  ];
  for (const [subject, message] of refused) assert.match(checkVapidSubject(subject) ?? 'accepted', message, subject);
});
