/**
 * Auth over real HTTP with real clients' signers: SigV4 from @smithy/signature-v4 (what the AWS
 * SDK and Amplify use), API keys, dev-issued JWTs with groups, and guest credentials.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/notes');
let t: TestServer;

async function signedHeaders(body: string, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, signingDate?: Date): Promise<Record<string, string>> {
  const url = new URL(`${t.url}/graphql`);
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/graphql', headers: { host: url.host, 'content-type': 'application/json' }, body },
    signingDate ? { signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers, body });
  return { status: res.status, json: await res.json() };
}

describe('auth modes over HTTP', () => {
  before(async () => {
    t = await startTestServer(APP);
  });
  after(async () => t.close());

  test('a mutation signed by @smithy/signature-v4 with the generated access key is accepted', async () => {
    const body = JSON.stringify({ query: 'mutation { internalPublish(text: "hi") { id text } }' });
    const res = await post(body, await signedHeaders(body, t.accessKey));
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(res.json, { data: { internalPublish: { id: 'published', text: 'hi' } } });
  });

  test('ctx.identity for IAM is AppSync-shaped', async () => {
    const body = JSON.stringify({ query: '{ whoami }' });
    const res = await post(body, await signedHeaders(body, t.accessKey));
    const identity = JSON.parse(res.json.data.whoami).identity;
    assert.equal(identity.accountId, '000000000000');
    assert.equal(identity.username, t.accessKey.accessKeyId);
    assert.deepEqual(identity.sourceIp, ['127.0.0.1']);
  });

  test('a tampered body is refused with 401', async () => {
    const body = JSON.stringify({ query: 'mutation { internalPublish(text: "hi") { id } }' });
    const headers = await signedHeaders(body, t.accessKey);
    const res = await post(body.replace('hi', 'ho'), headers);
    assert.equal(res.status, 401);
    assert.equal(res.json.errors[0].errorType, 'UnauthorizedException');
  });

  test('a signature older than 5 minutes is refused with 401', async () => {
    const body = JSON.stringify({ query: 'mutation { internalPublish(text: "hi") { id } }' });
    const res = await post(body, await signedHeaders(body, t.accessKey, new Date(Date.now() - 10 * 60_000)));
    assert.equal(res.status, 401);
  });

  test('a wrong secret is refused with 401', async () => {
    const body = JSON.stringify({ query: '{ secret }' });
    const res = await post(body, await signedHeaders(body, { accessKeyId: t.accessKey.accessKeyId, secretAccessKey: 'not-the-secret' }));
    assert.equal(res.status, 401);
  });

  test('an @aws_iam field called with only an API key is refused as Unauthorized', async () => {
    const res = await t.graphql({ query: 'mutation { internalPublish(text: "hi") { id } }' });
    assert.equal(res.status, 200);
    assert.equal(res.json.data.internalPublish, null);
    assert.equal(res.json.errors[0].errorType, 'Unauthorized');
    assert.equal(res.json.errors[0].message, 'Not Authorized to access internalPublish on type Mutation');
  });

  test('a JWT minted by the dev endpoint is accepted, and cognito_groups admits only members', async () => {
    const mint = async (groups: string[]) => {
      const res = await fetch(`${t.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username: 'alice', groups }) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { token: string }).token;
    };
    const admin = await mint(['Admin']);
    const ok = await t.graphql({ query: '{ adminOnly whoami }' }, { authorization: admin });
    assert.equal(ok.json.data.adminOnly, 'admins');
    const identity = JSON.parse(ok.json.data.whoami).identity;
    assert.equal(identity.username, 'alice');
    assert.deepEqual(identity.groups, ['Admin']);
    const user = await mint(['Readers']);
    const denied = await t.graphql({ query: '{ adminOnly }' }, { authorization: user });
    assert.equal(denied.json.data.adminOnly, null);
    assert.equal(denied.json.errors[0].errorType, 'Unauthorized');
  });

  test('a forged JWT is refused with 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', 'cognito:username': 'mallory', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const res = await t.graphql({ query: '{ whoami }' }, { authorization: `${header}.${payload}.c2lnbmF0dXJl` });
    assert.equal(res.status, 401);
  });

  test('guest credentials from /auth/guest-credentials sign requests limited to the allow-list', async () => {
    const vend = await fetch(`${t.url}/auth/guest-credentials`, { method: 'POST' });
    assert.equal(vend.status, 200);
    const guest = (await vend.json()) as { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
    assert.ok(Date.parse(guest.expiration) > Date.now());
    const creds = { accessKeyId: guest.accessKeyId, secretAccessKey: guest.secretAccessKey, sessionToken: guest.sessionToken };
    const allowed = JSON.stringify({ query: '{ getNote(id: "none") { id } }' });
    const ok = await post(allowed, await signedHeaders(allowed, creds));
    assert.deepEqual(ok.json, { data: { getNote: null } });
    const forbidden = JSON.stringify({ query: 'mutation { internalPublish(text: "x") { id } }' });
    const denied = await post(forbidden, await signedHeaders(forbidden, creds));
    assert.equal(denied.json.errors[0].errorType, 'Unauthorized');
  });
});
