/**
 * Keep-alive rules of the AppSync protocol on a virtual clock: Amplify flags a missed keep-alive
 * after 65 s and the subscription link only resets its timer on `ka`, so a `ka` must come at least
 * every 60 s whatever else flows. The last test runs a real server on the virtual clock, over a real
 * socket, with data flowing all the while.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard } from '../../src/server/index.ts';
import { postGraphql, REPO_ROOT } from '../support/server-process.ts';
import { connectRaw, headerProtocol } from '../support/ws-client.ts';
import { createAppSyncConnection } from '../../src/realtime/appsync-protocol.ts';
import type { RealtimeService } from '../../src/realtime/index.ts';

const noRealtime = { size: 0 } as unknown as RealtimeService;

function connection(clock: VirtualClock) {
  const frames: string[] = [];
  const closes: [number, string][] = [];
  const conn = createAppSyncConnection({
    realtime: noRealtime,
    clock,
    connectionAuth: { mode: 'API_KEY', identity: null },
    headers: {},
    authenticateStart: async () => ({ ok: false, message: 'unused' }),
    authenticateConnection: async () => ({ ok: false, message: 'unused' }),
    send: (f) => frames.push(f),
    close: (code, reason) => closes.push([code, reason]),
  });
  return { conn, frames, closes };
}

test('a ka follows the ack at once and then every 60 s, within Amplify 65 s window', async () => {
  const clock = new VirtualClock(0);
  const { conn, frames } = connection(clock);
  conn.receive('{"type":"connection_init"}');
  assert.deepEqual(frames, ['{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}', '{"type":"ka"}']);
  await clock.advance(59_999);
  assert.equal(frames.length, 2);
  await clock.advance(1);
  assert.equal(frames.at(-1), '{"type":"ka"}');
  await clock.advance(10 * 60_000);
  assert.equal(frames.filter((f) => f === '{"type":"ka"}').length, 12);
});

test('frames before connection_init are ignored', async () => {
  const clock = new VirtualClock(0);
  const { conn, frames } = connection(clock);
  conn.receive('{"type":"start","id":"1","payload":{"data":"{}"}}');
  conn.receive('{"type":"stop","id":"1"}');
  assert.deepEqual(frames, []);
});

test('a connection that never sends connection_init is closed after connectionTimeoutMs', async () => {
  const clock = new VirtualClock(0);
  const { closes } = connection(clock);
  await clock.advance(299_999);
  assert.deepEqual(closes, []);
  await clock.advance(1);
  assert.deepEqual(closes, [[1000, 'connection_init timeout']]);
});

test('keep-alives stop once the socket is closed', async () => {
  const clock = new VirtualClock(0);
  const { conn, frames } = connection(clock);
  conn.receive('{"type":"connection_init"}');
  conn.closed();
  await clock.advance(10 * 60_000);
  assert.equal(frames.length, 2);
});

test('a connection is closed after 24 hours, as AppSync does', async () => {
  const clock = new VirtualClock(0);
  const { conn, closes } = connection(clock);
  conn.receive('{"type":"connection_init"}');
  await clock.advance(24 * 60 * 60 * 1000 - 1);
  assert.deepEqual(closes, []);
  await clock.advance(1);
  assert.deepEqual(closes, [[1000, 'connection lifetime reached']]);
});

test('a ka still comes every 60 s while data frames flow without pause', async (t) => {
  // The real server on a virtual clock: keep-alives (and nothing else here) wait on its timers.
  const clock = new VirtualClock(Date.now());
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-ka-'));
  const app = await loadApp(join(REPO_ROOT, 'test/fixtures/apps/channels'));
  const server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, clock });
  t.after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const apiKey = server.credentials.apiKeys[0]?.key ?? '';
  const host = new URL(server.url).host;
  const c = await connectRaw(`${server.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol({ host, 'x-api-key': apiKey })]);
  t.after(() => c.ws.close());
  // Every frame in arrival order (a socket keeps the order the server wrote them in).
  const frames: { type: string; n?: number }[] = [];
  c.ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as { type: string; payload?: { data?: { subscribe?: { data?: string } } } };
    const text = f.payload?.data?.subscribe?.data;
    frames.push(f.type === 'data' && text !== undefined ? { type: 'data', n: (JSON.parse(text) as { n: number }).n } : { type: f.type });
  });
  c.send({ type: 'connection_init' });
  await c.next((f) => f.type === 'connection_ack');
  c.send({ id: 's', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { subscribe(name: "tech") { name data } }' }), extensions: { authorization: { host, 'x-api-key': apiKey } } } });
  await c.next((f) => f.type === 'start_ack');

  // One message each virtual second for three minutes: the socket is never quiet for a whole
  // keep-alive interval. After each second's message has arrived, every frame the server wrote
  // before it has arrived too: the ka count is then exact.
  for (let second = 1; second <= 180; second++) {
    await clock.advance(1000);
    const res = await postGraphql(server.url, { query: 'mutation ($d: AWSJSON) { publish(name: "tech", data: $d) { name data } }', variables: { d: JSON.stringify({ n: second }) } }, { 'x-api-key': apiKey });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    await c.next((f) => f.type === 'data' && JSON.parse(f.payload.data.subscribe.data).n === second);
    const kas = frames.filter((f) => f.type === 'ka').length;
    assert.equal(kas, 1 + Math.floor(second / 60), `kas received by second ${second}: the one after the ack, then one per 60 s`);
  }
  // Each ka came just before the data of second 60, 120 and 180: on schedule, not pushed back by data.
  const order = frames.filter((f) => f.type === 'ka' || f.type === 'data').map((f) => (f.type === 'ka' ? 'ka' : f.n));
  const expected = ['ka', ...Array.from({ length: 180 }, (_, i) => i + 1).flatMap((n) => (n % 60 === 0 ? ['ka', n] : [n]))];
  assert.deepEqual(order, expected);
});
