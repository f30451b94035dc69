/**
 * The AppSync real-time protocol with each auth mode, over raw sockets (research/appsync.md §2.2,
 * §2.3): SigV4 on the virtual `/graphql/connect` request for the connection and on each start's
 * data; a user-pool JWT; guest credentials and their allow-list. And `start_ack` comes only once
 * the subscription is live. The notes fixture enables API_KEY, AWS_IAM and user pools.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw, headerProtocol, type RawClient } from '../support/ws-client.ts';
import { signedHeaderObject, type SigningCredentials } from '../support/sigv4-headers.ts';

let t: TestServer;
const SUB = JSON.stringify({ query: 'subscription { onNoteCreated { text } }', variables: {} });

const realtimeUrl = (): string => `${t.url.replace('http', 'ws')}/graphql/realtime`;

/** Connects with `header` as the connection's header object and sends connection_init. */
async function connect(header: Record<string, string>): Promise<RawClient> {
  const c = await connectRaw(realtimeUrl(), ['graphql-ws', headerProtocol(header)]);
  c.send({ type: 'connection_init' });
  return c;
}

async function start(c: RawClient, id: string, authorization: Record<string, string>, data = SUB): Promise<any> {
  c.send({ id, type: 'start', payload: { data, extensions: { authorization } } });
  return c.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'));
}

async function createNote(text: string): Promise<void> {
  const res = await t.graphql({ query: 'mutation ($t: String!) { createNote(text: $t) { text } }', variables: { t: text } });
  assert.equal(res.json.errors, undefined, JSON.stringify(res.json));
}

const iamConnection = (creds: SigningCredentials = t.accessKey) => signedHeaderObject(`${t.url}/graphql/connect`, creds, '{}');
const iamStart = (data: string, creds: SigningCredentials = t.accessKey) => signedHeaderObject(`${t.url}/graphql`, creds, data);

describe('AppSync real-time protocol: auth modes and start_ack', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => t.close());

  test('SigV4 on /graphql/connect authenticates the connection, SigV4 over the start data its start; the subscriber receives', async () => {
    const c = await connect(await iamConnection());
    await c.next((f) => f.type === 'connection_ack');
    assert.equal((await start(c, 's', await iamStart(SUB))).type, 'start_ack');
    await createNote('signed');
    assert.deepEqual((await c.next((f) => f.type === 'data')).payload.data, { onNoteCreated: { text: 'signed' } });
    c.ws.close();
  });

  test('SigV4: a start signed over other data is refused with UnauthorizedException, and the connection stays usable', async () => {
    const c = await connect(await iamConnection());
    await c.next((f) => f.type === 'connection_ack');
    const otherData = JSON.stringify({ query: 'subscription { onNoteCreated { id text } }', variables: {} });
    const refused = await start(c, 'forged', await iamStart(otherData));
    assert.equal(refused.type, 'error');
    assert.equal(refused.payload.errors[0].errorType, 'UnauthorizedException');
    assert.equal((await start(c, 'good', await iamStart(SUB))).type, 'start_ack');
    c.ws.close();
  });

  test('SigV4: a connection header signed for /graphql instead of /graphql/connect gets connection_error 401 and the close', async () => {
    const c = await connect(await signedHeaderObject(`${t.url}/graphql`, t.accessKey, '{}'));
    const refused = await c.next((f) => f.type === 'connection_error');
    assert.equal(refused.payload.errors[0].errorCode, 401);
    await c.closed();
  });

  test('a user-pool JWT in Authorization authenticates the connection and its start', async () => {
    const res = await fetch(`${t.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username: 'alice', groups: [] }) });
    const { token } = (await res.json()) as { token: string };
    const host = new URL(t.url).host;
    const c = await connect({ host, Authorization: token });
    await c.next((f) => f.type === 'connection_ack');
    assert.equal((await start(c, 'jwt', { host, Authorization: token })).type, 'start_ack');
    await createNote('for alice');
    assert.deepEqual((await c.next((f) => f.type === 'data')).payload.data, { onNoteCreated: { text: 'for alice' } });
    // A character inside the signature changed (the last one may only carry padding bits).
    const at = token.length - 10;
    const forgedToken = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    const forged = await start(c, 'forged', { host, Authorization: forgedToken });
    assert.equal(forged.type, 'error');
    assert.equal(forged.payload.errors[0].errorType, 'UnauthorizedException');
    c.ws.close();
  });

  test('guest credentials connect, and a subscription outside their allow-list is refused as Unauthorized', async () => {
    const vend = await fetch(`${t.url}/auth/guest-credentials`, { method: 'POST' });
    const guest = (await vend.json()) as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
    const creds = { accessKeyId: guest.accessKeyId, secretAccessKey: guest.secretAccessKey, sessionToken: guest.sessionToken };
    const c = await connect(await iamConnection(creds));
    await c.next((f) => f.type === 'connection_ack');
    const refused = await start(c, 'guest', await iamStart(SUB, creds));
    assert.equal(refused.type, 'error');
    assert.deepEqual(refused.payload.errors.map((e: { errorType: string }) => e.errorType), ['Unauthorized']);
    c.ws.close();
  });

  test('start_ack comes only once the subscription is live: a note created the moment it arrives is delivered', async () => {
    const host = new URL(t.url).host;
    const c = await connect({ host, 'x-api-key': t.apiKey });
    await c.next((f) => f.type === 'connection_ack');
    for (let i = 0; i < 20; i++) {
      assert.equal((await start(c, `live-${i}`, { host, 'x-api-key': t.apiKey })).type, 'start_ack');
      await createNote(`at ack ${i}`);
      const data = await c.next((f) => f.type === 'data' && f.id === `live-${i}`);
      assert.deepEqual(data.payload.data, { onNoteCreated: { text: `at ack ${i}` } });
      c.send({ id: `live-${i}`, type: 'stop' });
      await c.next((f) => f.type === 'complete' && f.id === `live-${i}`);
      c.pending.length = 0;
    }
    c.ws.close();
  });
});
