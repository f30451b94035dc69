/**
 * Rules of graphql-transport-ws (docs/protocols/graphql-transport-ws.md and the graphql-ws
 * library's PROTOCOL.md) over raw sockets on a real server: the init timeout (on a virtual clock),
 * malformed messages, invalidation, and the three ways a connection is authenticated (a JWT or
 * SigV4 headers in `connection_init`, else the upgrade request's own headers).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw, type RawClient } from '../support/ws-client.ts';
import { signedHeaderObject } from '../support/sigv4-headers.ts';

const NOTES = join(REPO_ROOT, 'test/fixtures/apps/notes');
const CHANNELS = join(REPO_ROOT, 'test/fixtures/apps/channels');
const PROTOCOLS = ['graphql-transport-ws'];
const ON_NOTE = 'subscription { onNoteCreated { text } }';

const wsUrl = (t: { url: string }): string => `${t.url.replace('http', 'ws')}/graphql`;

/** A socket that sent `connection_init` with `payload` (none when `undefined`) and got its ack. */
async function acknowledged(t: TestServer, payload: Record<string, string> | undefined, headers: Record<string, string> = {}): Promise<RawClient> {
  const raw = await connectRaw(wsUrl(t), PROTOCOLS, headers);
  raw.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
  assert.deepEqual(await raw.next(), { type: 'connection_ack' });
  return raw;
}

/** Sends `subscribe` and waits until the server registered it (the protocol has no subscribe ack). */
async function subscribed(t: TestServer, raw: RawClient, id: string, query: string, variables?: Record<string, unknown>): Promise<void> {
  const before = t.server.realtime.size;
  raw.send({ id, type: 'subscribe', payload: variables === undefined ? { query } : { query, variables } });
  await waitFor(() => t.server.realtime.size === before + 1);
}

/** Closes the socket and waits until the server dropped its subscriptions. */
async function done(t: TestServer, raw: RawClient): Promise<void> {
  raw.ws.close();
  await raw.closed();
  await waitFor(() => t.server.realtime.size === 0);
}

/** Runs a query over the socket: its `next` payload, then `complete`. */
async function query(raw: RawClient, id: string, text: string): Promise<unknown> {
  raw.send({ id, type: 'subscribe', payload: { query: text } });
  const next = await raw.next((f) => f.id === id);
  assert.equal(next.type, 'next', JSON.stringify(next));
  assert.deepEqual(await raw.next((f) => f.id === id), { id, type: 'complete' });
  return next.payload;
}

/** Proves a subscription delivers: a note created over HTTP arrives as its `next`. */
async function delivers(t: TestServer, raw: RawClient, id: string, text: string): Promise<void> {
  await subscribed(t, raw, id, ON_NOTE);
  // A subscriber sees the fields the mutation selected (AppSync's rule): select `text`.
  const res = await t.graphql({ query: 'mutation ($t: String!) { createNote(text: $t) { id text } }', variables: { t: text } });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const next = await raw.next((f) => f.id === id);
  assert.deepEqual({ ...next, payload: { data: next.payload.data } }, { id, type: 'next', payload: { data: { onNoteCreated: { text } } } });
}

async function devToken(t: TestServer, username: string): Promise<string> {
  const res = await fetch(`${t.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { token: string }).token;
}

/** The SigV4 headers AppSync clients put in the connect header object: a virtual `POST /graphql/connect`, body `{}`. */
function connectHeaders(t: TestServer): Promise<Record<string, string>> {
  return signedHeaderObject(`${t.url}/graphql/connect`, t.accessKey, '{}');
}

/**
 * The same text with one character changed, ten from the end: inside a JWT's signature, and a
 * whole base64url digit (a JWT's last digit holds padding bits, so changing it can decode to the
 * same signature).
 */
function tampered(text: string): string {
  const i = text.length - 10;
  return text.slice(0, i) + (text[i] === 'a' ? 'b' : 'a') + text.slice(i + 1);
}

/** The close the server sent; fails (instead of hanging) when none comes, naming the frames that came instead. */
function closed(raw: RawClient, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms; frames: ${JSON.stringify(raw.pending)}`)), timeoutMs);
  });
  return Promise.race([raw.closed(), deadline]).finally(() => clearTimeout(timer));
}

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('graphql-transport-ws: the init timeout, on a virtual clock', () => {
  let server: RunningSwitchboard;
  let dataDir: string;
  const clock = new VirtualClock(Date.now());

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-twr-'));
    server = await startSwitchboard({ app: await loadApp(NOTES), dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, clock });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('no connection_init within 3 s closes the socket with 4408 Connection initialisation timeout', async () => {
    const raw = await connectRaw(wsUrl(server), PROTOCOLS);
    await clock.advance(2999);
    // Still open a millisecond before: a ping (allowed at any time) is answered.
    raw.send({ type: 'ping' });
    assert.deepEqual(await raw.next(), { type: 'pong' });
    await clock.advance(1);
    assert.deepEqual(await closed(raw), { code: 4408, reason: 'Connection initialisation timeout' });
  });

  test('a connection acknowledged within 3 s is not closed by the init timeout', async () => {
    const raw = await connectRaw(wsUrl(server), PROTOCOLS);
    raw.send({ type: 'connection_init', payload: { 'x-api-key': server.credentials.apiKeys[0]?.key ?? '' } });
    assert.deepEqual(await raw.next(), { type: 'connection_ack' });
    await clock.advance(60_000);
    raw.send({ type: 'ping', payload: { after: 'a minute' } });
    assert.deepEqual(await raw.next(), { type: 'pong', payload: { after: 'a minute' } });
    raw.ws.close();
    await raw.closed();
  });
});

describe('graphql-transport-ws: malformed messages, auth in connection_init and in the upgrade request', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(NOTES);
  });
  after(async () => t.close());

  test('a malformed message closes the socket with 4400 Invalid message received', async () => {
    const SUB = { query: ON_NOTE };
    // [label, frame text, whether connection_init/ack comes first]
    const cases: [string, string, boolean][] = [
      ['not JSON', '{"type":', false],
      ['JSON number', '42', false],
      ['JSON null', 'null', false],
      ['JSON array', '[{"type":"connection_init"}]', false],
      ['JSON string', '"connection_init"', false],
      ['no type', '{}', false],
      ['type not a string', '{"type":1}', false],
      ['empty type', '{"type":""}', false],
      ['unknown type', '{"type":"start","id":"1","payload":{}}', false],
      ['unknown type too long for a close reason', JSON.stringify({ type: 'x'.repeat(200) }), false],
      ['server-only connection_ack', '{"type":"connection_ack"}', true],
      ['server-only next', '{"type":"next","id":"1","payload":{"data":null}}', true],
      ['server-only error', '{"type":"error","id":"1","payload":[{"message":"x"}]}', true],
      ['connection_init payload a string', '{"type":"connection_init","payload":"da2-key"}', false],
      ['connection_init payload an array', '{"type":"connection_init","payload":[]}', false],
      ['ping payload a number', '{"type":"ping","payload":1}', true],
      ['pong payload a string', '{"type":"pong","payload":"x"}', true],
      ['subscribe without id', JSON.stringify({ type: 'subscribe', payload: SUB }), true],
      ['subscribe with empty id', JSON.stringify({ type: 'subscribe', id: '', payload: SUB }), true],
      ['subscribe with numeric id', JSON.stringify({ type: 'subscribe', id: 1, payload: SUB }), true],
      ['subscribe without payload', '{"type":"subscribe","id":"1"}', true],
      ['subscribe payload an array', '{"type":"subscribe","id":"1","payload":[]}', true],
      ['subscribe without query', '{"type":"subscribe","id":"1","payload":{}}', true],
      ['subscribe query not a string', '{"type":"subscribe","id":"1","payload":{"query":{}}}', true],
      ['subscribe variables a string', JSON.stringify({ type: 'subscribe', id: '1', payload: { ...SUB, variables: '{}' } }), true],
      ['subscribe variables an array', JSON.stringify({ type: 'subscribe', id: '1', payload: { ...SUB, variables: [] } }), true],
      ['subscribe operationName a number', JSON.stringify({ type: 'subscribe', id: '1', payload: { ...SUB, operationName: 1 } }), true],
      ['subscribe extensions a string', JSON.stringify({ type: 'subscribe', id: '1', payload: { ...SUB, extensions: 'x' } }), true],
      // Validated before the state: a malformed subscribe is a bad request even before the ack (not 4401).
      ['subscribe without query before the ack', '{"type":"subscribe","id":"1","payload":{}}', false],
      ['complete without id', '{"type":"complete"}', true],
      ['complete with empty id', '{"type":"complete","id":""}', true],
    ];
    const seen: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const [label, text, init] of cases) {
      const raw = init ? await acknowledged(t, { 'x-api-key': t.apiKey }) : await connectRaw(wsUrl(t), PROTOCOLS);
      raw.send(text);
      seen[label] = await closed(raw).then(
        (close) => ({ ...close, frames: raw.pending }),
        () => (raw.ws.terminate(), { notClosed: true, frames: raw.pending }),
      );
      expected[label] = { code: 4400, reason: 'Invalid message received', frames: [] };
    }
    assert.deepEqual(seen, expected);
    // None of it took the server down.
    await done(t, await acknowledged(t, { 'x-api-key': t.apiKey }));
  });

  test('a close reason longer than a close frame holds (a 4409 for a long id) is cut to 123 bytes, and the server stays up', async () => {
    const raw = await acknowledged(t, { 'x-api-key': t.apiKey });
    const id = 'i'.repeat(200);
    raw.send({ id, type: 'subscribe', payload: { query: ON_NOTE } });
    raw.send({ id, type: 'subscribe', payload: { query: ON_NOTE } });
    assert.deepEqual(await closed(raw), { code: 4409, reason: `Subscriber for ${id} already exists`.slice(0, 123) });
    await done(t, await acknowledged(t, { 'x-api-key': t.apiKey }));
  });

  test('authorization "Bearer <JWT>" from the user pool in connection_init is accepted: the connection runs as that user and its subscriptions deliver', async () => {
    const raw = await acknowledged(t, { authorization: `Bearer ${await devToken(t, 'alice')}` });
    const who = (await query(raw, 'w', '{ whoami }')) as { data: { whoami: string } };
    assert.equal(JSON.parse(who.data.whoami).identity.username, 'alice');
    await delivers(t, raw, 's', 'for alice');
    await done(t, raw);
  });

  test('a raw JWT (no Bearer prefix) in connection_init, under either case of Authorization, is accepted', async () => {
    const token = await devToken(t, 'bob');
    for (const name of ['authorization', 'Authorization']) {
      const raw = await acknowledged(t, { [name]: token });
      const who = (await query(raw, 'w', '{ whoami }')) as { data: { whoami: string } };
      assert.equal(JSON.parse(who.data.whoami).identity.username, 'bob');
      await delivers(t, raw, 's', `for bob (${name})`);
      await done(t, raw);
    }
  });

  test('a JWT with a bad signature in connection_init, with or without Bearer, closes with 4403 Forbidden', async () => {
    const bad = tampered(await devToken(t, 'mallory'));
    for (const authorization of [`Bearer ${bad}`, bad, 'Bearer not-a-jwt']) {
      const raw = await connectRaw(wsUrl(t), PROTOCOLS);
      raw.send({ type: 'connection_init', payload: { authorization } });
      assert.deepEqual(await closed(raw), { code: 4403, reason: 'Forbidden' }, authorization);
      assert.deepEqual(raw.pending, []);
    }
  });

  test('SigV4 headers signed over POST /graphql/connect in connection_init are accepted: the connection runs as the IAM principal', async () => {
    const raw = await acknowledged(t, await connectHeaders(t));
    // `secret` is @aws_iam only: the connection's auth is IAM, not a default.
    assert.deepEqual(await query(raw, 'q', '{ secret }'), { data: { secret: 'iam-only' } });
    const who = (await query(raw, 'w', '{ whoami }')) as { data: { whoami: string } };
    assert.equal(JSON.parse(who.data.whoami).identity.username, t.accessKey.accessKeyId);
    await delivers(t, raw, 's', 'for iam');
    await done(t, raw);
  });

  test('SigV4 connect headers with a tampered signature, or with an x-amz-date other than the one signed, close with 4403 Forbidden', async () => {
    const good = await connectHeaders(t);
    const authorization = good['authorization'] as string;
    const badSignature = { ...good, authorization: tampered(authorization) };
    const otherDate = { ...good, 'x-amz-date': (good['x-amz-date'] as string).replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10)) };
    for (const [label, payload] of [['signature', badSignature], ['x-amz-date', otherDate]] as const) {
      const raw = await connectRaw(wsUrl(t), PROTOCOLS);
      raw.send({ type: 'connection_init', payload });
      assert.deepEqual(await closed(raw), { code: 4403, reason: 'Forbidden' }, label);
    }
  });

  test('with no credentials in connection_init, the x-api-key of the upgrade request authenticates the connection', async () => {
    // No payload, an empty one, and one that carries only other connection params.
    for (const payload of [undefined, {}, { client: 'dashboard' }]) {
      const raw = await acknowledged(t, payload, { 'x-api-key': t.apiKey });
      await delivers(t, raw, 's', `upgrade key ${JSON.stringify(payload)}`);
      await done(t, raw);
    }
  });

  test('with no credentials in connection_init, the AppSync-style header query parameter of the upgrade URL authenticates the connection', async () => {
    // `?header=<base64 of {"x-api-key": ...}>`, as AppSync's real-time URL carries it: a browser cannot set upgrade headers.
    const header = Buffer.from(JSON.stringify({ host: 'localhost', 'x-api-key': t.apiKey })).toString('base64');
    const raw = await connectRaw(`${wsUrl(t)}?header=${encodeURIComponent(header)}&payload=e30=`, PROTOCOLS);
    raw.send({ type: 'connection_init' });
    assert.deepEqual(await raw.next(), { type: 'connection_ack' });
    await delivers(t, raw, 's', 'upgrade URL key');
    await done(t, raw);
    // A wrong key there is refused as anywhere else.
    const wrong = Buffer.from(JSON.stringify({ 'x-api-key': 'da2-nopenopenopenopenopenopenop' })).toString('base64');
    const refused = await connectRaw(`${wsUrl(t)}?header=${encodeURIComponent(wrong)}`, PROTOCOLS);
    refused.send({ type: 'connection_init' });
    assert.deepEqual(await closed(refused), { code: 4403, reason: 'Forbidden' });
  });

  test('credentials in connection_init take precedence over the upgrade request: a wrong key there closes with 4403 Forbidden', async () => {
    const raw = await connectRaw(wsUrl(t), PROTOCOLS, { 'x-api-key': t.apiKey });
    raw.send({ type: 'connection_init', payload: { 'x-api-key': 'da2-nopenopenopenopenopenopenop' } });
    assert.deepEqual(await closed(raw), { code: 4403, reason: 'Forbidden' });
  });

  test('with credentials neither in connection_init nor in the upgrade request, the connection closes with 4403 Forbidden', async () => {
    for (const payload of [undefined, {}, { client: 'dashboard' }]) {
      const raw = await connectRaw(wsUrl(t), PROTOCOLS);
      raw.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
      assert.deepEqual(await closed(raw), { code: 4403, reason: 'Forbidden' }, JSON.stringify(payload));
      assert.deepEqual(raw.pending, []);
    }
    // A wrong key in the upgrade request is refused the same way.
    const raw = await connectRaw(wsUrl(t), PROTOCOLS, { 'x-api-key': 'da2-nopenopenopenopenopenopenop' });
    raw.send({ type: 'connection_init' });
    assert.deepEqual(await closed(raw), { code: 4403, reason: 'Forbidden' });
  });
});

describe('graphql-transport-ws: invalidation', () => {
  let t: TestServer;
  const CHANNEL = 'subscription ($n: String!) { subscribe(name: $n) { name } }';
  before(async () => {
    t = await startTestServer(CHANNELS);
  });
  after(async () => t.close());

  /** One socket with `general` as id `a` and `tech` as id `b` (the resolver's filter admits both channels to both). */
  async function twoSubscriptions(): Promise<RawClient> {
    const raw = await acknowledged(t, { 'x-api-key': t.apiKey });
    await subscribed(t, raw, 'a', CHANNEL, { n: 'general' });
    await subscribed(t, raw, 'b', CHANNEL, { n: 'tech' });
    return raw;
  }

  test('an invalidated subscription gets complete with its id; the socket stays open and its other subscriptions still deliver', async () => {
    const raw = await twoSubscriptions();
    assert.deepEqual(await t.signedPost('/admin/subscriptions/invalidate', { field: 'subscribe', payload: { name: 'general' } }), { status: 200, json: { invalidated: 1 } });
    assert.deepEqual(await raw.next(), { id: 'a', type: 'complete' });
    await stillServes(raw);
    await done(t, raw);
  });

  test('an invalidateSubscriptions call in a mutation resolver completes the matching subscription the same way', async () => {
    const raw = await twoSubscriptions();
    const res = await t.signedPost('/graphql', { query: 'mutation { unsubscribe(name: "general") { name } }' });
    assert.deepEqual(res, { status: 200, json: { data: { unsubscribe: { name: 'general' } } } });
    assert.deepEqual(await raw.next(), { id: 'a', type: 'complete' });
    await stillServes(raw);
    await done(t, raw);
  });

  /** After `a` was invalidated: only `b` still delivers, the socket answers, and the id `a` is free again. */
  async function stillServes(raw: RawClient): Promise<void> {
    assert.equal(raw.ws.readyState, raw.ws.OPEN);
    assert.equal(t.server.realtime.size, 1);
    assert.deepEqual(await t.signedPost('/admin/subscriptions/publish', { field: 'subscribe', payload: { name: 'tech' } }), { status: 200, json: { delivered: 1 } });
    const next = await raw.next();
    assert.deepEqual({ ...next, payload: { data: next.payload.data } }, { id: 'b', type: 'next', payload: { data: { subscribe: { name: 'tech' } } } });
    raw.send({ type: 'ping' });
    assert.deepEqual(await raw.next(), { type: 'pong' });
    // The server completed `a`, so the client may use the id again (no 4409).
    await subscribed(t, raw, 'a', CHANNEL, { n: 'news' });
    assert.deepEqual(await t.signedPost('/admin/subscriptions/publish', { field: 'subscribe', payload: { name: 'news' } }), { status: 200, json: { delivered: 2 } });
    const ids = [(await raw.next()).id, (await raw.next()).id].sort();
    assert.deepEqual(ids, ['a', 'b']);
  }
});
