import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevIssuer, createJwtVerifier, subjectFor } from '../../src/auth/index.ts';
import { VirtualClock, isSwitchboardError } from '../../src/core/index.ts';

const START = Date.parse('2026-01-01T00:00:00.000Z');

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempKeyFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-auth-'));
  dirs.push(dir);
  return join(dir, 'nested', 'dir', 'dev-key.json');
}

test('dev issuer keys survive a restart', async () => {
  const keyFile = await tempKeyFile();
  const clock = new VirtualClock(START);
  const first = await createDevIssuer({ keyFile, clock });
  const minted = await first.mint({ username: 'alice', groups: ['admins'] });
  const second = await createDevIssuer({ keyFile, clock });
  assert.deepEqual(await second.jwks(), await first.jwks());
  const verifier = createJwtVerifier({ mode: 'AMAZON_COGNITO_USER_POOLS', keys: { jwks: second.publicKeySet }, issuer: second.issuer });
  const result = await verifier.verify(minted.token, START + 1000, '127.0.0.1');
  assert.equal(result.ok, true);
});

test('the dev key file is created with mode 0600 in a created directory, versioned, and private', async () => {
  const keyFile = await tempKeyFile();
  const issuer = await createDevIssuer({ keyFile });
  assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
  const record = JSON.parse(await readFile(keyFile, 'utf8')) as { version: number; privateJwk: Record<string, unknown> };
  assert.equal(record.version, 1);
  assert.equal(record.privateJwk['kty'], 'EC');
  assert.equal(record.privateJwk['crv'], 'P-256');
  assert.equal(typeof record.privateJwk['d'], 'string');
  const jwks = await issuer.jwks();
  assert.equal(jwks.keys.length, 1);
  const [publicKey] = jwks.keys as Record<string, unknown>[];
  assert.equal(publicKey?.['d'], undefined, 'the published key set must not carry the private part');
  assert.equal(publicKey?.['alg'], 'ES256');
  assert.equal(typeof publicKey?.['kid'], 'string');
});

test('a minted token looks like a Cognito ID token', async () => {
  const clock = new VirtualClock(START);
  const issuer = await createDevIssuer({ keyFile: await tempKeyFile(), clock });
  const minted = await issuer.mint({ username: 'bob', groups: ['ops', 'admins'], email: 'bob@example.com', ttlSeconds: 600 });
  const iat = START / 1000;
  const { jti, ...claims } = minted.claims;
  assert.equal(typeof jti, 'string');
  assert.deepEqual(claims, {
    sub: subjectFor('bob'),
    'cognito:groups': ['ops', 'admins'],
    email: 'bob@example.com',
    email_verified: true,
    iss: 'https://switchboard.local/dev-user-pool',
    'cognito:username': 'bob',
    aud: 'switchboard-dev-client',
    token_use: 'id',
    auth_time: iat,
    iat,
    exp: iat + 600,
  });
  assert.equal(minted.expiresAt, '2026-01-01T00:10:00.000Z');
  const [header, payload] = minted.token.split('.');
  assert.equal(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()).alg, 'ES256');
  assert.deepEqual(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), minted.claims);
});

test('the sub of a dev user is a stable uuid derived from the username', () => {
  assert.equal(subjectFor('alice'), subjectFor('alice'));
  assert.notEqual(subjectFor('alice'), subjectFor('bob'));
  assert.match(subjectFor('alice'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('a custom issuer is used in minted tokens', async () => {
  const issuer = await createDevIssuer({ keyFile: await tempKeyFile(), issuer: 'https://auth.local/pool' });
  assert.equal(issuer.issuer, 'https://auth.local/pool');
  assert.equal((await issuer.mint({ username: 'x', groups: [] })).claims['iss'], 'https://auth.local/pool');
  assert.equal((await issuer.mint({ username: 'x', groups: [] })).claims['cognito:groups'], undefined);
});

test('a corrupt dev key file is reported, not silently replaced', async () => {
  const keyFile = await tempKeyFile();
  await createDevIssuer({ keyFile });
  await writeFile(keyFile, '{"version":1}');
  await assert.rejects(createDevIssuer({ keyFile }), (e: unknown) => isSwitchboardError(e, 'SB_CONFIG_LOAD_FAILED'));
});
