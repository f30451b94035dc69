/**
 * graphql-transport-ws on /graphql, proven with the `graphql-ws` library's own client, plus raw
 * sockets for the close codes the protocol defines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw } from '../support/ws-client.ts';

let t: TestServer;

function client(payload: Record<string, string>): Client {
  return createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: payload, retryAttempts: 0, lazy: true });
}

describe('graphql-transport-ws with the graphql-ws client', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => t.close());

  test('a subscriber receives each createNote made over HTTP, projected to its selection', async () => {
    const c = client({ 'x-api-key': t.apiKey });
    const received: unknown[] = [];
    let resolveTwo: () => void = () => {};
    const two = new Promise<void>((r) => (resolveTwo = r));
    const acked = new Promise<void>((r) => c.on('connected', () => r()));
    const dispose = c.subscribe({ query: 'subscription { onNoteCreated { text } }' }, {
      next: (value) => {
        received.push(value);
        if (received.length === 2) resolveTwo();
      },
      error: (e) => assert.fail(JSON.stringify(e)),
      complete: () => {},
    });
    await acked;
    // The subscription is live once the server registered it; give the subscribe frame a moment.
    await waitFor(() => t.server.realtime.size === 1);
    await t.graphql({ query: 'mutation { createNote(text: "one") { id text } }' });
    await t.graphql({ query: 'mutation { createNote(text: "two") { id text } }' });
    await two;
    assert.deepEqual(received, [
      { data: { onNoteCreated: { text: 'one' } }, extensions: { offset: 1 } },
      { data: { onNoteCreated: { text: 'two' } }, extensions: { offset: 2 } },
    ]);
    dispose();
    await waitFor(() => t.server.realtime.size === 0);
    await c.dispose();
  });

  test('queries and mutations run over the socket too', async () => {
    const c = client({ 'x-api-key': t.apiKey });
    const result = await new Promise<unknown>((resolve, reject) => {
      let value: unknown;
      c.subscribe({ query: 'mutation { createNote(text: "over ws") { text } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
    });
    assert.deepEqual(result, { data: { createNote: { text: 'over ws' } } });
    await c.dispose();
  });

  test('a validation error is an error message for that operation', async () => {
    const c = client({ 'x-api-key': t.apiKey });
    const errors = await new Promise<unknown>((resolve) => {
      c.subscribe({ query: 'subscription { onNoteCreated { nope } }' }, { next: () => {}, error: resolve, complete: () => {} });
    });
    assert.match(JSON.stringify(errors), /FieldUndefined: Field 'nope' in type 'Note' is undefined/);
    await c.dispose();
  });

  test('bad credentials in connection_init close the socket with 4403', async () => {
    const raw = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    raw.send({ type: 'connection_init', payload: { 'x-api-key': 'da2-nopenopenopenopenopenopenop' } });
    assert.deepEqual(await raw.closed(), { code: 4403, reason: 'Forbidden' });
  });

  test('subscribe before connection_ack closes with 4401', async () => {
    const raw = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { onNoteCreated { id } }' } });
    assert.deepEqual(await raw.closed(), { code: 4401, reason: 'Unauthorized' });
  });

  test('a second connection_init closes with 4429 and a reused id with 4409', async () => {
    const raw = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    raw.send({ type: 'connection_init', payload: { 'x-api-key': t.apiKey } });
    await raw.next((f) => f.type === 'connection_ack');
    raw.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { onNoteCreated { id } }' } });
    raw.send({ id: 'a', type: 'subscribe', payload: { query: 'subscription { onNoteCreated { id } }' } });
    assert.deepEqual(await raw.closed(), { code: 4409, reason: 'Subscriber for a already exists' });
    const again = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    again.send({ type: 'connection_init', payload: { 'x-api-key': t.apiKey } });
    again.send({ type: 'connection_init', payload: { 'x-api-key': t.apiKey } });
    assert.deepEqual(await again.closed(), { code: 4429, reason: 'Too many initialisation requests' });
  });

  test('ping is answered with pong', async () => {
    const raw = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    raw.send({ type: 'connection_init', payload: { 'x-api-key': t.apiKey } });
    await raw.next((f) => f.type === 'connection_ack');
    raw.send({ type: 'ping', payload: { n: 1 } });
    assert.deepEqual(await raw.next(), { type: 'pong', payload: { n: 1 } });
    raw.ws.close();
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
