import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signSigV4, verifySigV4 } from '../../src/auth/index.ts';
import type { AuthRequest } from '../../src/auth/index.ts';
import { cachedSigningKeyCount } from '../../src/auth/sigv4-canonical.ts';
import { asAuthRequest, referenceSign } from './smithy-signer.ts';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const BODY = '{"operationName":"ListFlights","variables":{},"query":"query ListFlights { listFlights { id } }"}';
const lookup = (id: string) => (id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey } : undefined);
const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

async function appsyncRequest(now = NOW, body = BODY): Promise<AuthRequest> {
  const headers = await referenceSign({
    ...KEY,
    now,
    body,
    headers: { accept: '*/*', 'content-type': 'application/json; charset=UTF-8' },
  });
  return asAuthRequest(headers, { body });
}

test('accepts a request signed by @smithy/signature-v4', async () => {
  const result = verifySigV4(await appsyncRequest(), lookup, NOW, { service: 'appsync' });
  assert.deepEqual(result, {
    ok: true,
    accessKeyId: 'AKIDEXAMPLE',
    region: 'us-east-1',
    service: 'appsync',
    principal: { secretAccessKey: KEY.secretAccessKey },
  });
});

test('accepts a smithy-signed request with a session token, an encoded path and a query string', async () => {
  const headers = await referenceSign({
    ...KEY,
    sessionToken: 'FwoGZXIvYXdzEJr//////////token+with/slashes==',
    now: NOW,
    method: 'GET',
    path: '/items/a%20b/./c/../d',
    query: { 'b key': 'x y', a: ['2', '1'], empty: '', 'tilde~': 'slash/plus+' },
    headers: { 'x-custom': '  several   spaced\tvalues  ' },
  });
  const req = asAuthRequest(headers, {
    method: 'GET',
    path: '/items/a%20b/./c/../d',
    query: 'b%20key=x%20y&a=2&a=1&empty=&tilde~=slash%2Fplus%2B',
  });
  const result = verifySigV4(req, lookup, NOW);
  assert.equal(result.ok, true, JSON.stringify(result));
});

test('canonicalizes a path with empty segments and a trailing slash as AWS does', async () => {
  const headers = await referenceSign({ ...KEY, now: NOW, method: 'GET', path: '/v1//items/' });
  assert.equal(verifySigV4(asAuthRequest(headers, { method: 'GET', path: '/v1//items/' }), lookup, NOW).ok, true);
  const withoutSlash = verifySigV4(asAuthRequest(headers, { method: 'GET', path: '/v1/items' }), lookup, NOW);
  assert.equal(withoutSlash.ok ? 'ok' : withoutSlash.reason, 'bad-signature');
});

test('accepts a smithy-signed virtual /graphql/connect request (real-time IAM handshake)', async () => {
  const headers = await referenceSign({
    ...KEY,
    now: NOW,
    path: '/graphql/connect',
    body: '{}',
    headers: {
      accept: 'application/json, text/javascript',
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=UTF-8',
    },
  });
  assert.match(headers['authorization'] ?? '', /SignedHeaders=accept;content-encoding;content-type;host;x-amz-date,/);
  const result = verifySigV4(asAuthRequest(headers, { path: '/graphql/connect', body: '{}' }), lookup, NOW);
  assert.equal(result.ok, true);
});

test('refuses a tampered body', async () => {
  const req = await appsyncRequest();
  const result = verifySigV4({ ...req, body: BODY.replace('ListFlights', 'DeleteFlights') }, lookup, NOW);
  assert.deepEqual(result, { ok: false, reason: 'bad-signature', message: BAD_SIGNATURE });
});

test('refuses a tampered signed header and a tampered path', async () => {
  const req = await appsyncRequest();
  const otherHeader = verifySigV4({ ...req, headers: { ...req.headers, accept: 'text/html' } }, lookup, NOW);
  assert.equal(otherHeader.ok ? 'ok' : otherHeader.reason, 'bad-signature');
  const otherPath = verifySigV4({ ...req, path: '/graphql2' }, lookup, NOW);
  assert.equal(otherPath.ok ? 'ok' : otherPath.reason, 'bad-signature');
});

test('refuses a signature made with the wrong secret', async () => {
  const headers = await referenceSign({ ...KEY, secretAccessKey: 'not-the-secret', now: NOW, body: BODY });
  const result = verifySigV4(asAuthRequest(headers, { body: BODY }), lookup, NOW);
  assert.equal(result.ok ? 'ok' : result.reason, 'bad-signature');
});

test('refuses a signature older than 5 minutes', async () => {
  const signedAt = NOW - 5 * 60 * 1000 - 1000;
  const result = verifySigV4(await appsyncRequest(signedAt), lookup, NOW);
  assert.deepEqual(result, {
    ok: false,
    reason: 'expired',
    message: 'Signature expired: 20260101T115459Z is now earlier than 20260101T115500Z (20260101T120000Z - 5 min.)',
  });
  const justInTime = verifySigV4(await appsyncRequest(NOW - 5 * 60 * 1000), lookup, NOW);
  assert.equal(justInTime.ok, true);
});

test('refuses a signature dated more than 5 minutes in the future', async () => {
  const result = verifySigV4(await appsyncRequest(NOW + 6 * 60 * 1000), lookup, NOW);
  assert.deepEqual(result, {
    ok: false,
    reason: 'expired',
    message: 'Signature not yet current: 20260101T120600Z is still later than 20260101T120500Z (20260101T120000Z + 5 min.)',
  });
});

test('refuses an unknown access key id', async () => {
  const result = verifySigV4(await appsyncRequest(), () => undefined, NOW);
  assert.deepEqual(result, { ok: false, reason: 'unknown-key', message: 'The security token included in the request is invalid.' });
});

test('refuses a signature that does not sign host', async () => {
  const headers = await referenceSign({ ...KEY, now: NOW, body: BODY, unsignableHeaders: new Set(['host']) });
  assert.doesNotMatch(headers['authorization'] ?? '', /host/);
  const result = verifySigV4(asAuthRequest(headers, { body: BODY }), lookup, NOW);
  assert.deepEqual(result, {
    ok: false,
    reason: 'missing-host',
    message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  });
});

test('refuses credentials scoped to another service when a service is expected', async () => {
  const headers = await referenceSign({ ...KEY, now: NOW, body: BODY, service: 'events' });
  const result = verifySigV4(asAuthRequest(headers, { body: BODY }), lookup, NOW, { service: 'appsync' });
  assert.deepEqual(result, { ok: false, reason: 'wrong-scope', message: "Credential should be scoped to correct service: 'appsync'." });
});

test('refuses a malformed Authorization header and a missing x-amz-date', async () => {
  const req = await appsyncRequest();
  const malformed = verifySigV4({ ...req, headers: { ...req.headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/appsync/aws4_request' } }, lookup, NOW);
  assert.deepEqual(malformed, {
    ok: false,
    reason: 'malformed',
    message: "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.",
  });
  const { 'x-amz-date': _date, ...noDate } = req.headers;
  const missingDate = verifySigV4({ ...req, headers: noDate }, lookup, NOW);
  assert.equal(missingDate.ok ? 'ok' : missingDate.message, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
});

test('accepts a signed x-amz-content-sha256 header only when it matches the body', async () => {
  const headers = await referenceSign({ ...KEY, now: NOW, body: BODY, applyChecksum: true });
  assert.equal(headers['x-amz-content-sha256']?.length, 64);
  assert.equal(verifySigV4(asAuthRequest(headers, { body: BODY }), lookup, NOW).ok, true);
  const unsigned = await referenceSign({ ...KEY, now: NOW, body: BODY, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  // UNSIGNED-PAYLOAD would leave a GraphQL body unprotected: refused.
  assert.equal(verifySigV4(asAuthRequest(unsigned, { body: 'anything' }), lookup, NOW).ok, false);
  // A correct signature with the checksum of another body is refused too.
  assert.equal(verifySigV4(asAuthRequest(headers, { body: BODY + ' ' }), lookup, NOW).ok, false);
});

test('signSigV4 produces the same Authorization header as @smithy/signature-v4', async () => {
  const cases = [
    { sessionToken: undefined, applyChecksum: false, query: {}, search: '' },
    { sessionToken: 'IQoJb3JpZ2luX2VjEJr//token==', applyChecksum: true, query: { Action: 'PutEvents', 'a b': 'c/d' }, search: '?Action=PutEvents&a%20b=c%2Fd' },
  ];
  for (const c of cases) {
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents', 'user-agent': 'switchboard' };
    const reference = await referenceSign({
      ...KEY,
      ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
      now: NOW,
      host: 'events.eu-west-1.amazonaws.com',
      path: '/',
      query: c.query,
      region: 'eu-west-1',
      service: 'events',
      headers,
      body: BODY,
      applyChecksum: c.applyChecksum,
    });
    const ours = signSigV4({
      method: 'POST',
      url: `https://events.eu-west-1.amazonaws.com/${c.search}`,
      headers,
      body: BODY,
      credentials: { ...KEY, ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}) },
      region: 'eu-west-1',
      service: 'events',
      now: NOW,
      contentSha256Header: c.applyChecksum,
    });
    assert.equal(ours['authorization'], reference['authorization']);
    assert.equal(ours['x-amz-date'], '20260101T120000Z');
    assert.equal(ours['x-amz-security-token'], c.sessionToken);
    assert.equal(ours['host'], 'events.eu-west-1.amazonaws.com');
  }
});

test('a request signed by signSigV4 verifies, and only with its own body', () => {
  const headers = signSigV4({
    method: 'POST',
    url: 'https://api.example.com/graphql',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    credentials: KEY,
    region: 'us-east-1',
    service: 'appsync',
    now: NOW,
  });
  assert.equal(verifySigV4(asAuthRequest(headers, { body: BODY }), lookup, NOW + 1000).ok, true);
  assert.equal(verifySigV4(asAuthRequest(headers, { body: `${BODY} ` }), lookup, NOW + 1000).ok, false);
});

test('derives the signing key once per secret, date, region and service', async () => {
  const req = await appsyncRequest();
  verifySigV4(req, lookup, NOW);
  const before = cachedSigningKeyCount();
  for (let i = 0; i < 5; i++) assert.equal(verifySigV4(req, lookup, NOW).ok, true);
  assert.equal(cachedSigningKeyCount(), before);
});
