import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createAuthenticator, createDevIssuer, createJwtVerifier, subjectFor } from '../../src/auth/index.ts';
import type { AuthenticatorConfig, AuthRequest, DevIssuer } from '../../src/auth/index.ts';
import { VirtualClock } from '../../src/core/index.ts';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const GUEST_KEY = 'ab'.repeat(32);
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function devIssuer(clock: VirtualClock, issuer?: string): Promise<DevIssuer> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-jwt-'));
  dirs.push(dir);
  return createDevIssuer({ keyFile: join(dir, 'key.json'), clock, ...(issuer !== undefined ? { issuer } : {}) });
}

function bearer(token: string): AuthRequest {
  return { method: 'POST', path: '/graphql', headers: { authorization: token }, body: '{}', sourceIp: '192.0.2.1' };
}

function userPoolConfig(overrides: Partial<AuthenticatorConfig> = {}): AuthenticatorConfig {
  return { defaultMode: 'AMAZON_COGNITO_USER_POOLS', additionalModes: [], apiKeys: [], accessKeys: [], ...overrides };
}

test('a minted token verifies and maps cognito:groups', async () => {
  const clock = new VirtualClock(START);
  const dev = await devIssuer(clock);
  const auth = createAuthenticator({ auth: userPoolConfig(), clock, devIssuer: dev, guestKey: GUEST_KEY });
  const minted = await dev.mint({ username: 'alice', groups: ['admins', 'pilots'], email: 'alice@example.com' });
  const outcome = await auth.authenticate(bearer(minted.token));
  assert.deepEqual(outcome, {
    ok: true,
    auth: {
      mode: 'AMAZON_COGNITO_USER_POOLS',
      identity: {
        sub: subjectFor('alice'),
        issuer: 'https://switchboard.local/dev-user-pool',
        username: 'alice',
        claims: minted.claims,
        sourceIp: ['192.0.2.1'],
        defaultAuthStrategy: 'ALLOW',
        groups: ['admins', 'pilots'],
      },
    },
  });
});

test('a token with a Bearer prefix is accepted', async () => {
  const clock = new VirtualClock(START);
  const dev = await devIssuer(clock);
  const auth = createAuthenticator({ auth: userPoolConfig(), clock, devIssuer: dev, guestKey: GUEST_KEY });
  const minted = await dev.mint({ username: 'alice', groups: [] });
  const outcome = await auth.authenticate(bearer(`Bearer ${minted.token}`));
  assert.equal(outcome.ok && outcome.auth.identity !== null && 'groups' in outcome.auth.identity ? outcome.auth.identity.groups : 'refused', null);
});

test('an expired token is refused with "Token has expired."', async () => {
  const clock = new VirtualClock(START);
  const dev = await devIssuer(clock);
  const auth = createAuthenticator({ auth: userPoolConfig(), clock, devIssuer: dev, guestKey: GUEST_KEY });
  const minted = await dev.mint({ username: 'alice', groups: [], ttlSeconds: 60 });
  await clock.advance(59_000);
  assert.equal((await auth.authenticate(bearer(minted.token))).ok, true);
  await clock.advance(1_000);
  assert.deepEqual(await auth.authenticate(bearer(minted.token)), { ok: false, errorType: 'UnauthorizedException', message: 'Token has expired.' });
});

test('an unparseable token is refused with "Unable to parse JWT token."', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: userPoolConfig(), clock, devIssuer: await devIssuer(clock), guestKey: GUEST_KEY });
  for (const token of ['not-a-jwt', 'a.b.c', 'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln']) {
    assert.deepEqual(await auth.authenticate(bearer(token)), { ok: false, errorType: 'UnauthorizedException', message: 'Unable to parse JWT token.' }, token);
  }
});

test('a missing Authorization header in a user-pool API is refused with "Valid authorization header not provided."', async () => {
  const clock = new VirtualClock(START);
  const auth = createAuthenticator({ auth: userPoolConfig(), clock, devIssuer: await devIssuer(clock), guestKey: GUEST_KEY });
  const req: AuthRequest = { method: 'POST', path: '/graphql', headers: {}, body: '{}', sourceIp: '192.0.2.1' };
  assert.deepEqual(await auth.authenticate(req), { ok: false, errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' });
});

test('a token signed by another key is refused', async () => {
  const clock = new VirtualClock(START);
  const trusted = await devIssuer(clock);
  const impostor = await devIssuer(clock); // same issuer name, different key pair
  const auth = createAuthenticator({ auth: userPoolConfig(), clock, devIssuer: trusted, guestKey: GUEST_KEY });
  const forged = await impostor.mint({ username: 'mallory', groups: ['admins'] });
  assert.deepEqual(await auth.authenticate(bearer(forged.token)), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'You are not authorized to make this call.',
  });
  // Same key, signature bytes altered.
  const genuine = await trusted.mint({ username: 'alice', groups: [] });
  const [h, p, s] = genuine.token.split('.') as [string, string, string];
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...genuine.claims, 'cognito:groups': ['admins'] })).toString('base64url')}.${s}`;
  assert.equal((await auth.authenticate(bearer(tampered))).ok, false);
  assert.equal((await auth.authenticate(bearer(`${h}.${p}.${s}`))).ok, true);
});

test('a token from another issuer is refused when the issuer is configured', async () => {
  const clock = new VirtualClock(START);
  const dev = await devIssuer(clock);
  const auth = createAuthenticator({
    auth: userPoolConfig({ userPool: { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc' } }),
    clock,
    devIssuer: dev,
    guestKey: GUEST_KEY,
  });
  const minted = await dev.mint({ username: 'alice', groups: [] });
  assert.equal((await auth.authenticate(bearer(minted.token))).ok, false);
});

test('aud or client_id must be one of the configured client ids', async () => {
  const clock = new VirtualClock(START);
  const dev = await devIssuer(clock);
  const auth = createAuthenticator({
    auth: userPoolConfig({ userPool: { clientIds: ['web-client'] } }),
    clock,
    devIssuer: dev,
    guestKey: GUEST_KEY,
  });
  const other = await dev.mint({ username: 'alice', groups: [] });
  assert.deepEqual(await auth.authenticate(bearer(other.token)), {
    ok: false,
    errorType: 'UnauthorizedException',
    message: 'You are not authorized to make this call.',
  });
  const web = await dev.mint({ username: 'alice', groups: [], clientId: 'web-client' });
  assert.equal((await auth.authenticate(bearer(web.token))).ok, true);
});

test('a Cognito access token (client_id, username, no aud) maps username and passes the client id check', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  const verifier = createJwtVerifier({
    mode: 'AMAZON_COGNITO_USER_POOLS',
    keys: { jwks: { keys: [jwk] } },
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
    clientIds: ['app-client'],
  });
  const iat = START / 1000;
  const token = await new SignJWT({
    sub: 'f1e2d3c4-0000-4000-8000-000000000001',
    token_use: 'access',
    client_id: 'app-client',
    username: 'carol',
    'cognito:groups': ['crew'],
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(privateKey);
  const result = await verifier.verify(token, START, '10.0.0.1');
  assert.ok(result.ok);
  assert.deepEqual(
    { username: 'username' in result.identity ? result.identity.username : '', groups: 'groups' in result.identity ? result.identity.groups : [] },
    { username: 'carol', groups: ['crew'] },
  );
});

test('an OIDC token verifies against a JWKS URL and is routed to OPENID_CONNECT by issuer', async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'oidc-1', alg: 'RS256', use: 'sig' }] };
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const clock = new VirtualClock(START);
    const dev = await devIssuer(clock);
    const auth = createAuthenticator({
      auth: {
        defaultMode: 'AMAZON_COGNITO_USER_POOLS',
        additionalModes: ['OPENID_CONNECT'],
        apiKeys: [],
        accessKeys: [],
        oidc: { issuer: 'https://idp.example.com', jwksUrl: `http://127.0.0.1:${port}/jwks.json` },
      },
      clock,
      devIssuer: dev,
      guestKey: GUEST_KEY,
    });
    const iat = START / 1000;
    const token = await new SignJWT({ sub: 'oidc-user-1', email: 'dana@example.com' })
      .setProtectedHeader({ alg: 'RS256', kid: 'oidc-1' })
      .setIssuer('https://idp.example.com')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .sign(privateKey);
    const outcome = await auth.authenticate(bearer(token));
    assert.deepEqual(outcome, {
      ok: true,
      auth: {
        mode: 'OPENID_CONNECT',
        identity: { sub: 'oidc-user-1', issuer: 'https://idp.example.com', claims: { sub: 'oidc-user-1', email: 'dana@example.com', iss: 'https://idp.example.com', iat, exp: iat + 300 } },
      },
    });
    // The user-pool token still goes to the user pool in the same API.
    const minted = await dev.mint({ username: 'alice', groups: [] });
    const pool = await auth.authenticate(bearer(minted.token));
    assert.equal(pool.ok ? pool.auth.mode : pool.message, 'AMAZON_COGNITO_USER_POOLS');
    await auth.authenticate(bearer(token));
    assert.equal(fetches, 1, 'the JWKS is fetched once and cached');
  } finally {
    server.close();
  }
});
