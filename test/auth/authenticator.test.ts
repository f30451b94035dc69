import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthenticator, createApiKeySet } from '../../src/auth/index.ts';
import type { AuthenticatorConfig, AuthRequest } from '../../src/auth/index.ts';
import { VirtualClock } from '../../src/core/index.ts';
import type { AuthDefinition } from '../../src/app/types.ts';
import { asAuthRequest, referenceSign } from './smithy-signer.ts';

const GUEST_KEY = '0f'.repeat(32);
const START = Date.parse('2026-01-01T00:00:00.000Z');
const BODY = '{"query":"{ listFlights { id } }"}';

function config(overrides: Partial<AuthenticatorConfig> = {}): AuthenticatorConfig {
  return {
    defaultMode: 'API_KEY',
    additionalModes: ['AWS_IAM'],
    apiKeys: [
      { key: 'da2-old', expires: START + 60_000 },
      { key: 'da2-current', expires: START + 86_400_000 },
      { key: 'da2-forever' },
    ],
    accessKeys: [
      { accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret' },
      { accessKeyId: 'AKIDBUS', secretAccessKey: 'bus-secret', accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:role/bus' },
    ],
    ...overrides,
  };
}

function apiKeyRequest(key: string): AuthRequest {
  return { method: 'POST', path: '/graphql', headers: { host: 'localhost', 'x-api-key': key }, body: BODY, sourceIp: '127.0.0.1' };
}

test('an expired API key is refused while a second active key works', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: config(), clock, guestKey: GUEST_KEY });
  assert.deepEqual(await auth.authenticate(apiKeyRequest('da2-old')), { ok: true, auth: { mode: 'API_KEY', identity: null } });
  await clock.advance(60_000);
  assert.deepEqual(await auth.authenticate(apiKeyRequest('da2-old')), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'You are not authorized to make this call.',
  });
  assert.deepEqual(await auth.authenticate(apiKeyRequest('da2-current')), { ok: true, auth: { mode: 'API_KEY', identity: null } });
  await clock.advance(86_400_000);
  assert.equal((await auth.authenticate(apiKeyRequest('da2-current'))).ok, false);
  assert.equal((await auth.authenticate(apiKeyRequest('da2-forever'))).ok, true);
});

test('an unknown API key is refused', async () => {
  const auth = createAuthenticator({ auth: config(), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  assert.deepEqual(await auth.authenticate(apiKeyRequest('da2-nope')), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'You are not authorized to make this call.',
  });
});

test('an API key is refused when API_KEY is not an enabled mode', async () => {
  const auth = createAuthenticator({
    auth: config({ defaultMode: 'AWS_IAM', additionalModes: [] }),
    clock: new VirtualClock(START),
    guestKey: GUEST_KEY,
  });
  assert.equal((await auth.authenticate(apiKeyRequest('da2-forever'))).ok, false);
});

test('API key success returns one shared outcome, not an object per request', async () => {
  const auth = createAuthenticator({ auth: config(), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  const a = await auth.authenticate(apiKeyRequest('da2-forever'));
  const b = await auth.authenticate(apiKeyRequest('da2-current'));
  assert.equal(a, b);
  assert.equal(Object.isFrozen(a), true);
});

test('an API key set checks expiry at the exact instant', () => {
  const keys = createApiKeySet([{ key: 'k', expires: 1000 }]);
  assert.equal(keys.check('k', 999), 'valid');
  assert.equal(keys.check('k', 1000), 'expired');
  assert.equal(keys.check('other', 0), 'unknown');
  assert.equal(keys.size, 1);
});

test('a configured access key authenticates as AWS_IAM with the AppSync IAM identity', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: config(), clock, guestKey: GUEST_KEY });
  const headers = await referenceSign({ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret', now: START, body: BODY });
  assert.deepEqual(await auth.authenticate(asAuthRequest(headers, { body: BODY, sourceIp: '198.51.100.4' })), {
    ok: true,
    auth: {
      mode: 'AWS_IAM',
      identity: {
        accountId: '000000000000',
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp: ['198.51.100.4'],
        username: 'AKIDSERVICE',
        userArn: 'arn:aws:iam::000000000000:user/AKIDSERVICE',
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
    },
  });
  const bus = await referenceSign({ accessKeyId: 'AKIDBUS', secretAccessKey: 'bus-secret', now: START, body: BODY });
  const outcome = await auth.authenticate(asAuthRequest(bus, { body: BODY }));
  assert.ok(outcome.ok);
  assert.deepEqual(
    { accountId: (outcome.auth.identity as { accountId: string }).accountId, userArn: (outcome.auth.identity as { userArn: string }).userArn },
    { accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:role/bus' },
  );
});

test('a SigV4 request is refused with the AWS message when the signature is bad or stale', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: config(), clock, guestKey: GUEST_KEY });
  const headers = await referenceSign({ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'wrong', now: START, body: BODY });
  const bad = await auth.authenticate(asAuthRequest(headers, { body: BODY }));
  assert.match(bad.ok ? 'ok' : bad.message, /^The request signature we calculated does not match the signature you provided\./);
  const good = await referenceSign({ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret', now: START, body: BODY });
  await clock.advance(6 * 60 * 1000);
  const stale = await auth.authenticate(asAuthRequest(good, { body: BODY }));
  assert.equal(stale.ok ? 'ok' : stale.message.split(':')[0], 'Signature expired');
});

test('a SigV4 request is refused when AWS_IAM is not an enabled mode', async () => {
  const auth = createAuthenticator({ auth: config({ additionalModes: [] }), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  const headers = await referenceSign({ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret', now: START, body: BODY });
  assert.deepEqual(await auth.authenticate(asAuthRequest(headers, { body: BODY })), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'You are not authorized to make this call.',
  });
});

test('a SigV4 request for a service other than appsync is refused', async () => {
  const auth = createAuthenticator({ auth: config(), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  const headers = await referenceSign({ accessKeyId: 'AKIDSERVICE', secretAccessKey: 'service-secret', now: START, body: BODY, service: 'execute-api' });
  const outcome = await auth.authenticate(asAuthRequest(headers, { body: BODY }));
  assert.equal(outcome.ok ? 'ok' : outcome.message, "Credential should be scoped to correct service: 'appsync'.");
});

test('a request without credentials is refused', async () => {
  const auth = createAuthenticator({ auth: config(), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  const req: AuthRequest = { method: 'POST', path: '/graphql', headers: { host: 'localhost' }, body: BODY, sourceIp: '127.0.0.1' };
  assert.deepEqual(await auth.authenticate(req), { ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });
});

test('an opaque Authorization token is refused when AWS_LAMBDA is enabled without an authorizer function', async () => {
  const auth = createAuthenticator({
    auth: config({ additionalModes: ['AWS_LAMBDA'] }),
    clock: new VirtualClock(START),
    guestKey: GUEST_KEY,
  });
  const req: AuthRequest = { method: 'POST', path: '/graphql', headers: { authorization: 'custom-token' }, body: BODY, sourceIp: '127.0.0.1' };
  assert.deepEqual(await auth.authenticate(req), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'You are not authorized to make this call.',
  });
});

test('vendGuestCredentials is undefined when the app declares no guest access', () => {
  const auth = createAuthenticator({ auth: config(), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  assert.equal(auth.vendGuestCredentials(), undefined);
});

test("the app's AuthDefinition is accepted as the authenticator's config", async () => {
  const definition: AuthDefinition = {
    defaultMode: 'API_KEY',
    additionalModes: [],
    apiKeys: [{ key: 'da2-app', description: 'from switchboard.config.ts' }],
    accessKeys: [],
  };
  // Compile-time: an AuthDefinition fits AuthenticatorConfig without mapping.
  const auth = createAuthenticator({ auth: definition, clock: new VirtualClock(START), guestKey: GUEST_KEY });
  assert.equal((await auth.authenticate(apiKeyRequest('da2-app'))).ok, true);
});
