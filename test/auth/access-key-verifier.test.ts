/**
 * SigV4 for the AWS service APIs (EventBridge): accepted with a configured access key scoped to
 * the route's service, whatever the app's GraphQL auth modes; refused with a reason the wire
 * mapper can name as AWS does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccessKeyVerifier } from '../../src/auth/index.ts';
import { VirtualClock } from '../../src/core/index.ts';
import { asAuthRequest, referenceSign } from './smithy-signer.ts';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const BODY = '{"Entries":[]}';
const KEYS = [
  { accessKeyId: 'AKIDBUS', secretAccessKey: 'bus-secret', accountId: '123456789012' },
  { accessKeyId: 'AKIDPLAIN', secretAccessKey: 'plain-secret' },
];

function verifier(clock = new VirtualClock(START)) {
  return createAccessKeyVerifier({ accessKeys: KEYS, clock, service: 'events' });
}

async function signed(accessKeyId: string, secretAccessKey: string, service = 'events', region = 'eu-west-1') {
  const headers = await referenceSign({ accessKeyId, secretAccessKey, service, region, now: START, body: BODY, path: '/' });
  return asAuthRequest(headers, { path: '/', body: BODY });
}

test('a request signed for service events with a configured key is accepted with its account and signed region', async () => {
  assert.deepEqual(verifier()(await signed('AKIDBUS', 'bus-secret')), { ok: true, accessKeyId: 'AKIDBUS', accountId: '123456789012', region: 'eu-west-1' });
  const plain = verifier()(await signed('AKIDPLAIN', 'plain-secret'));
  assert.equal(plain.ok && plain.accountId, '000000000000', 'a key without accountId acts for 000000000000');
});

test('an unknown key id is refused as unknown-key', async () => {
  const out = verifier()(await signed('AKIDNOPE', 'bus-secret'));
  assert.deepEqual(out, { ok: false, reason: 'unknown-key', message: 'The security token included in the request is invalid.' });
});

test('a wrong secret is refused as bad-signature', async () => {
  const out = verifier()(await signed('AKIDBUS', 'wrong'));
  assert.equal(out.ok === false && out.reason, 'bad-signature');
});

test('credentials scoped to another service are refused as wrong-scope', async () => {
  const out = verifier()(await signed('AKIDBUS', 'bus-secret', 'appsync'));
  assert.deepEqual(out, { ok: false, reason: 'wrong-scope', message: "Credential should be scoped to correct service: 'events'." });
});

test('a request without Authorization is refused as missing', () => {
  const out = verifier()(asAuthRequest({ host: 'api.example.com' }, { path: '/', body: BODY }));
  assert.deepEqual(out, { ok: false, reason: 'missing', message: 'Missing Authentication Token' });
});

test('a signature older than 5 minutes is refused as expired', async () => {
  const clock = new VirtualClock(START);
  const req = await signed('AKIDBUS', 'bus-secret');
  await clock.advance(5 * 60 * 1000 + 1000);
  const out = verifier(clock)(req);
  assert.equal(out.ok === false && out.reason, 'expired');
});
