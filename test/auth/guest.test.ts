import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthenticator, createGuestVendor, signSigV4 } from '../../src/auth/index.ts';
import type { AuthenticatorConfig, AuthRequest, GuestCredentials } from '../../src/auth/index.ts';
import { VirtualClock, isSwitchboardError } from '../../src/core/index.ts';
import { asAuthRequest, referenceSign } from './smithy-signer.ts';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const GUEST_KEY = '42'.repeat(32);
const BODY = '{"query":"subscription { onCreateFlight { id } }"}';

function guestConfig(guest: AuthenticatorConfig['guest'] = { allow: ['Query.*', 'Subscription.onCreateFlight'] }): AuthenticatorConfig {
  return { defaultMode: 'API_KEY', additionalModes: ['AWS_IAM'], apiKeys: [], accessKeys: [], ...(guest !== undefined ? { guest } : {}) };
}

async function signedWith(creds: GuestCredentials, now: number): Promise<AuthRequest> {
  const headers = await referenceSign({ ...creds, now, body: BODY, headers: { 'content-type': 'application/json; charset=UTF-8' } });
  return asAuthRequest(headers, { body: BODY, sourceIp: '198.51.100.9' });
}

test('guest credentials have the STS shape and a one-hour default lifetime', () => {
  const auth = createAuthenticator({ auth: guestConfig(), clock: new VirtualClock(START), guestKey: GUEST_KEY });
  const creds = auth.vendGuestCredentials();
  assert.ok(creds);
  assert.match(creds.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.match(creds.identityId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(creds.secretAccessKey.length, 40);
  assert.equal(creds.expiration, '2026-01-01T01:00:00.000Z');
  assert.notEqual(auth.vendGuestCredentials()?.identityId, creds.identityId);
});

test('guest credentials sign requests that verify, and expire', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: guestConfig(), clock, guestKey: GUEST_KEY });
  const creds = auth.vendGuestCredentials();
  assert.ok(creds);
  assert.deepEqual(await auth.authenticate(await signedWith(creds, START)), {
    ok: true,
    auth: {
      mode: 'AWS_IAM',
      identity: {
        accountId: '000000000000',
        cognitoIdentityPoolId: 'us-east-1:switchboard-guests',
        cognitoIdentityId: creds.identityId,
        sourceIp: ['198.51.100.9'],
        username: creds.accessKeyId,
        userArn: `arn:aws:sts::000000000000:assumed-role/switchboard-guest/${creds.identityId}`,
        cognitoIdentityAuthType: 'unauthenticated',
        cognitoIdentityAuthProvider: null,
      },
      guestAllow: ['Query.*', 'Subscription.onCreateFlight'],
    },
  });
  await clock.advance(3600 * 1000 - 1);
  assert.equal((await auth.authenticate(await signedWith(creds, clock.now()))).ok, true);
  await clock.advance(1);
  assert.deepEqual(await auth.authenticate(await signedWith(creds, clock.now())), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'The security token included in the request is expired',
  });
});

test('guest credentials verify in another authenticator holding the same guest key (stateless)', async () => {
  const clock = new VirtualClock(START);
  const vendor = createAuthenticator({ auth: guestConfig(), clock, guestKey: GUEST_KEY });
  const replica = createAuthenticator({ auth: guestConfig(), clock, guestKey: GUEST_KEY });
  const stranger = createAuthenticator({ auth: guestConfig(), clock, guestKey: '43'.repeat(32) });
  const creds = vendor.vendGuestCredentials();
  assert.ok(creds);
  const req = await signedWith(creds, START);
  assert.equal((await replica.authenticate(req)).ok, true);
  assert.deepEqual(await stranger.authenticate(req), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'The security token included in the request is invalid.',
  });
});

test('a guest session token only works with its own access key id', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: guestConfig(), clock, guestKey: GUEST_KEY });
  const a = auth.vendGuestCredentials();
  const b = auth.vendGuestCredentials();
  assert.ok(a && b);
  const mixed = await signedWith({ ...a, sessionToken: b.sessionToken }, START);
  assert.equal((await auth.authenticate(mixed)).ok, false);
  const req = await signedWith(a, START);
  const { 'x-amz-security-token': _token, ...noToken } = req.headers;
  assert.equal((await auth.authenticate({ ...req, headers: noToken })).ok, false);
});

test('a tampered guest session token is refused', () => {
  const vendor = createGuestVendor({ guestKey: GUEST_KEY });
  const creds = vendor.vend(START);
  const blob = Buffer.from(creds.sessionToken, 'base64');
  blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 1;
  assert.deepEqual(vendor.open(creds.accessKeyId, blob.toString('base64'), START), { ok: false, reason: 'invalid' });
  assert.deepEqual(vendor.open(creds.accessKeyId, 'garbage', START), { ok: false, reason: 'invalid' });
  const opened = vendor.open(creds.accessKeyId, creds.sessionToken, START);
  assert.deepEqual(opened, {
    ok: true,
    principal: { identityId: creds.identityId, accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, expiresAt: START + 3600_000 },
  });
});

test('the guest roleArn and duration come from the config', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({
    auth: guestConfig({ allow: ['Query.listFlights'], roleArn: 'arn:aws:iam::111122223333:role/unauth', durationSeconds: 900 }),
    clock,
    guestKey: GUEST_KEY,
    region: 'eu-west-1',
  });
  const creds = auth.vendGuestCredentials();
  assert.ok(creds);
  assert.equal(creds.expiration, '2026-01-01T00:15:00.000Z');
  assert.match(creds.identityId, /^eu-west-1:/);
  const outcome = await auth.authenticate(await signedWith(creds, START));
  assert.ok(outcome.ok);
  const identity = outcome.auth.identity as { userArn: string; accountId: string };
  assert.deepEqual([identity.userArn, identity.accountId, outcome.auth.guestAllow], ['arn:aws:iam::111122223333:role/unauth', '111122223333', ['Query.listFlights']]);
});

test('guest credentials sign with our own signer too', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: guestConfig(), clock, guestKey: GUEST_KEY });
  const creds = auth.vendGuestCredentials();
  assert.ok(creds);
  const headers = signSigV4({ method: 'POST', url: 'https://localhost:4000/graphql', body: BODY, credentials: creds, region: 'us-east-1', service: 'appsync', now: START });
  assert.equal((await auth.authenticate(asAuthRequest(headers, { body: BODY }))).ok, true);
});

test('a guest key that is not 64 hex characters is refused at startup', () => {
  assert.throws(
    () => createAuthenticator({ auth: guestConfig(), clock: new VirtualClock(START), guestKey: 'short' }),
    (e: unknown) => isSwitchboardError(e, 'SB_CONFIG_INVALID'),
  );
});
