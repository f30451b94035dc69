/**
 * In-band token refresh (Switchboard extension of the AppSync protocol): a JWT connection ends at
 * the token's expiry unless the client sends `refresh` with a new token of the same user first;
 * subscriptions stay up across the refresh.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw, headerProtocol, type RawClient } from '../support/ws-client.ts';

let t: TestServer;

async function token(username: string, ttlSeconds: number): Promise<string> {
  const res = await fetch(`${t.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username, groups: [], ttlSeconds }) });
  return ((await res.json()) as { token: string }).token;
}

async function subscribed(jwt: string): Promise<RawClient> {
  const host = new URL(t.url).host;
  const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol({ host, Authorization: jwt })]);
  c.send({ type: 'connection_init' });
  await c.next((f) => f.type === 'connection_ack');
  c.send({ id: 'n', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onNoteCreated { text } }' }) } });
  await c.next((f) => f.type === 'start_ack');
  return c;
}

describe('token refresh on a live connection', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => t.close());

  test('without a refresh the connection ends at the token expiry with "Token has expired."', async () => {
    const c = await subscribed(await token('carol', 2));
    const error = await c.next((f) => f.type === 'error', 5000);
    assert.equal(error.payload.errors[0].message, 'Token has expired.');
    assert.equal((await c.closed()).code, 1000);
  });

  test('a refresh with a new token of the same user keeps the subscription across the old expiry', async () => {
    const c = await subscribed(await token('dave', 2));
    c.send({ type: 'refresh', payload: { authorization: { host: new URL(t.url).host, Authorization: await token('dave', 600) } } });
    const ack = await c.next((f) => f.type === 'refresh_ack');
    assert.ok(Date.parse(ack.payload.expiresAt) > Date.now() + 500_000);
    await new Promise((r) => setTimeout(r, 3000));
    await t.graphql({ query: 'mutation { createNote(text: "after the old expiry") { id text } }' });
    const data = await c.next((f) => f.type === 'data');
    assert.equal(data.payload.data.onNoteCreated.text, 'after the old expiry');
    c.ws.close();
  });

  test("a refresh with another user's token is refused and changes nothing", async () => {
    const c = await subscribed(await token('erin', 600));
    c.send({ type: 'refresh', payload: { authorization: { Authorization: await token('mallory', 600) } } });
    const refused = await c.next((f) => f.type === 'refresh_error');
    assert.equal(refused.payload.errors[0].message, 'The new credentials belong to another principal.');
    c.ws.close();
  });
});

describe('token refresh on graphql-transport-ws', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => t.close());

  test('an expired token closes with 4403; a ping carrying refresh keeps the subscription', async () => {
    const expiring = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    expiring.send({ type: 'connection_init', payload: { authorization: await token('frank', 2) } });
    await expiring.next((f) => f.type === 'connection_ack');
    assert.deepEqual(await expiring.closed(), { code: 4403, reason: 'Token has expired.' });

    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    c.send({ type: 'connection_init', payload: { authorization: await token('grace', 2) } });
    await c.next((f) => f.type === 'connection_ack');
    c.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { onNoteCreated { text } }' } });
    c.send({ type: 'ping', payload: { refresh: { authorization: await token('grace', 600) } } });
    const pong = await c.next((f) => f.type === 'pong');
    assert.equal(pong.payload.refreshed, true);
    await new Promise((r) => setTimeout(r, 3000));
    await t.graphql({ query: 'mutation { createNote(text: "still subscribed") { id text } }' });
    const next = await c.next((f) => f.type === 'next');
    assert.equal(next.payload.data.onNoteCreated.text, 'still subscribed');
    c.ws.close();
  });
});
