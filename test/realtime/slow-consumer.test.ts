/**
 * A subscriber that stops reading is closed with 1013 once its unsent bytes pass the bound; a
 * healthy subscriber of the same topic keeps receiving everything meanwhile; and a burst larger
 * than the bound to a subscriber that reads is delivered whole (frames held for one write are
 * written out every 64 KiB, so they never count as unsent). A subscriber closed as slow
 * reconnects with the last offset it saw and gets everything after it, in order: its replay goes
 * at its pace, so it is not closed in turn.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import type { RawClient } from '../support/ws-client.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

/** The channels app with a 256 KiB slow-consumer bound, and a way to subscribe to channel "tech". */
async function channelsServer(t: TestContext): Promise<{ server: RunningSwitchboard; subscriber: (resumeFrom?: number) => Promise<RawClient> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-slow-'));
  const app = await loadApp(join(REPO_ROOT, 'test/fixtures/apps/channels'));
  const server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, maxBufferedBytes: 256 * 1024 });
  t.after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const apiKey = server.credentials.apiKeys[0]?.key ?? '';
  const subscriber = (resumeFrom?: number): Promise<RawClient> =>
    appsyncSubscriber(server.url, { 'x-api-key': apiKey }, 'subscription { subscribe(name: "tech") { name data } }', resumeFrom === undefined ? {} : { extensions: { resumeFrom } });
  return { server, subscriber };
}

test('a slow consumer is closed with 1013 and a healthy one is not held back', async (t) => {
  const { server, subscriber } = await channelsServer(t);
  const slow = await subscriber();
  const healthy = await subscriber();
  let healthyCount = 0;
  healthy.ws.on('message', () => healthyCount++);
  // The slow client stops reading from its socket: the server's send buffer for it fills up.
  (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const big = JSON.stringify({ blob: 'x'.repeat(64 * 1024) });
  // Each message waits for the healthy subscriber to read the one before: it never has more than
  // one message (64 KiB) unsent, well under the bound, however slow this machine is right now,
  // while the paused one piles them up.
  for (let i = 0; i < 200; i++) {
    await server.realtime.publish('subscribe', { name: 'tech', data: big });
    const deadline = Date.now() + 10_000;
    while (healthyCount < i + 1 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  }
  assert.equal(healthyCount, 200, 'the healthy subscriber got every message');
  // The slow client reads again: what was already buffered, then the close frame.
  let slowData = 0;
  slow.ws.on('message', () => slowData++);
  (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  const closed = await slow.closed();
  assert.equal(closed.code, 1013);
  assert.equal(closed.reason, 'slow consumer');
  assert.ok(slowData + slow.pending.length < 200, 'the server stopped sending to it at the bound');
  healthy.ws.close();
});

test('a burst bigger than the bound, to a subscriber that reads, is delivered whole: held frames are not unsent bytes', async (t) => {
  const { server, subscriber } = await channelsServer(t);
  const c = await subscriber();
  const received = (): number => c.pending.filter((f) => f.type === 'data').length;
  // 1,000 messages of 1 KiB published at once: one batch, about 1 MiB for this subscriber in one
  // turn, four times its bound.
  const data = JSON.stringify({ blob: 'x'.repeat(1024) });
  const delivered = await Promise.all(Array.from({ length: 1000 }, () => server.realtime.publish('subscribe', { name: 'tech', data })));
  assert.equal(delivered.reduce((a, b) => a + b, 0), 1000);
  const deadline = Date.now() + 20_000;
  while (received() < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(received(), 1000, 'every message arrived');
  assert.equal(c.ws.readyState, c.ws.OPEN, 'not closed as a slow consumer');
  c.ws.close();
});

test('a slow consumer closed with 1013 reconnects with its last offset and receives every message published meanwhile and after, in order and without gaps', async (t) => {
  const { server, subscriber } = await channelsServer(t);
  const slow = await subscriber();
  const healthy = await subscriber();
  const dataOf = (c: RawClient) => c.pending.filter((f) => f.type === 'data');
  /** `seq` of a data frame: published as the `data` of the channel message (AWSJSON, a JSON text). */
  const seqOf = (f: any): number => (JSON.parse(f.payload.data.subscribe.data) as { seq: number }).seq;
  const blob = 'x'.repeat(64 * 1024);
  const publish = (seq: number) => server.realtime.publish('subscribe', { name: 'tech', data: JSON.stringify({ seq, blob }) });
  /** Until `c` has received message `seq` or a later one (or is closed; the deadline only ends a hang). */
  const received = async (c: RawClient, seq: number) => {
    const deadline = Date.now() + 20_000;
    const has = () => {
      const last = dataOf(c).at(-1);
      return last !== undefined && seqOf(last) >= seq;
    };
    while (!has() && c.ws.readyState === c.ws.OPEN && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  };

  // The slow one stops reading; 200 messages of 64 KiB (12.5 MiB, far over the 256 KiB bound and
  // what the kernel buffers) are published meanwhile.
  (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  let seq = 0;
  for (; seq < 200; seq++) {
    await publish(seq);
    // The healthy one reads each before the next: it never has more than one message unsent.
    await received(healthy, seq);
  }
  // It reads again: what the server had sent before the bound, then the close.
  (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  assert.deepEqual(await slow.closed(), { code: 1013, reason: 'slow consumer' });
  const before = dataOf(slow);
  assert.ok(before.length > 0 && before.length < 200, `it was cut off part way (${before.length} of 200 received)`);
  assert.deepEqual(before.map(seqOf), Array.from({ length: before.length }, (_, k) => k), 'what it got before the close is the first messages, in order');
  const lastOffset = (before[before.length - 1] as { offset: number }).offset;

  // More while it is away, then it reconnects from the last offset it saw, then more live.
  for (; seq < 220; seq++) await publish(seq);
  const again = await subscriber(lastOffset);
  for (; seq < 230; seq++) await publish(seq);
  await received(again, 229);
  // One more once it has the last: anything sent twice after it would come before this one.
  await publish(230);
  await received(again, 230);
  // Its replay (some 10 MiB here, 40 times the bound) went at its pace: it is not closed in turn.
  assert.equal(again.ws.readyState, again.ws.OPEN, `the resumed subscriber, which reads, is not closed in turn (${JSON.stringify(again.ws.readyState === again.ws.OPEN ? null : await again.closed())})`);
  const after = dataOf(again);
  assert.deepEqual(after.map(seqOf), Array.from({ length: 231 - before.length }, (_, k) => before.length + k), 'every message after the last one it saw, in order, no gap, no duplicate');
  assert.deepEqual(after.map((f) => f.offset), Array.from({ length: after.length }, (_, k) => lastOffset + 1 + k), 'the offsets follow the one it resumed from');

  await received(healthy, 230);
  assert.deepEqual(dataOf(healthy).map(seqOf), Array.from({ length: 231 }, (_, k) => k), 'the healthy subscriber received every message, in order, meanwhile');
  assert.equal(healthy.ws.readyState, healthy.ws.OPEN);
  healthy.ws.close();
  again.ws.close();
});
