/**
 * Keep-alive rules of the AppSync protocol on a virtual clock: Amplify flags a missed keep-alive
 * after 65 s and the subscription link only resets its timer on `ka`, so a `ka` must come at least
 * every 60 s whatever else flows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
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
