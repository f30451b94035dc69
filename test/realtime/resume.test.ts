/**
 * Resume after a disconnect (Switchboard's extension of both protocols): every message carries its
 * topic offset; a client that comes back with `resumeFrom` gets what it missed, in order, then the
 * live stream; one that comes back after the retention gets `resync_required`. Each rule is run
 * over the AppSync real-time protocol (`/graphql/realtime`: `data` frames with a top-level
 * `offset`, `resumeFrom` in the start's `extensions`) and over graphql-transport-ws (`/graphql`:
 * the offset in the `next` result's `extensions`, `resumeFrom` in the subscribe's `extensions`),
 * as docs/protocols/appsync-realtime.md and graphql-transport-ws.md describe them. Then the
 * replay at the pace of a client that does not take it at once, straight on the realtime service
 * with a sink that says when it is ready (a socket's backpressure, `SubscribeSink.ready`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';
import type { SubscribeSink } from '../../src/realtime/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { connectRaw, type RawClient } from '../support/ws-client.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

let server: RunningSwitchboard;
let dataDir: string;
const RETENTION = 100;
const SUB = 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';

type Protocol = 'appsync' | 'graphql-transport-ws';

/** One subscription over a raw socket, read the same way whatever the protocol. */
interface Subscription {
  readonly raw: RawClient;
  /** The next frame that is a message or a resync notice, as it came. */
  frame(): Promise<any>;
  /** The next message (a resync notice or anything else fails): its `updatedAt` stamp and offset. */
  message(): Promise<{ readonly stamp: string; readonly offset: number }>;
}

/** Waits (turn by turn, no sleeps) until the server's registry holds `n` subscribers. */
async function subscribersAre(n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (server.realtime.size !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} registered subscribers, have ${server.realtime.size}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function subscribe(protocol: Protocol, id: string, resumeFrom?: number): Promise<Subscription> {
  const apiKey = server.credentials.apiKeys[0]?.key ?? '';
  const resume = resumeFrom === undefined ? {} : { resumeFrom };
  const registered = server.realtime.size + 1;
  if (protocol === 'appsync') {
    const c = await appsyncSubscriber(server.url, { 'x-api-key': apiKey }, SUB, { variables: { id }, extensions: resume });
    await subscribersAre(registered);
    const frame = (): Promise<any> => c.next((f) => f.type === 'data' || f.type === 'resync_required');
    return {
      raw: c,
      frame,
      async message() {
        const f = await frame();
        assert.equal(f.type, 'data', `expected a message, got ${JSON.stringify(f)}`);
        return { stamp: f.payload.data.onOrderUpdated.updatedAt, offset: f.offset };
      },
    };
  }
  const c = await connectRaw(`${server.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
  c.send({ type: 'connection_init', payload: { 'x-api-key': apiKey } });
  await c.next((f) => f.type === 'connection_ack');
  c.send({ id: '1', type: 'subscribe', payload: { query: SUB, variables: { id }, ...(resumeFrom === undefined ? {} : { extensions: resume }) } });
  // The protocol has no acknowledgement of a subscribe: the server's registry says when it is live.
  await subscribersAre(registered);
  const frame = (): Promise<any> => c.next((f) => f.type === 'next' || f.type === 'error' || f.type === 'complete');
  return {
    raw: c,
    frame,
    async message() {
      const f = await frame();
      assert.ok(f.type === 'next' && f.payload.data !== null, `expected a message, got ${JSON.stringify(f)}`);
      return { stamp: f.payload.data.onOrderUpdated.updatedAt, offset: f.payload.extensions.offset };
    },
  };
}

/** Kills the client's socket and waits until the server has let its subscription go. */
async function kill(sub: Subscription): Promise<void> {
  const remaining = server.realtime.size - 1;
  sub.raw.ws.terminate();
  await sub.raw.closed();
  await subscribersAre(remaining);
}

/** `seq` rides in `updatedAt` (the status is an enum), so the order of delivery can be read back. */
const stamp = (seq: number) => `2026-11-25T${String(10 + Math.floor(seq / 3600)).padStart(2, '0')}:${String(Math.floor(seq / 60) % 60).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}.000Z`;
const publish = (id: string, seq: number, on = server) => on.realtime.publish('onOrderUpdated', { id, status: 'PAID', updatedAt: stamp(seq) });

type Received = { readonly stamp: string; readonly offset: number } | { readonly resync: { readonly oldestOffset: number; readonly latestOffset: number } };

/**
 * A subscriber straight on the realtime service, whose client is not ready (its socket would not
 * drain) until `open()`: `blocked` settles when the replay first waits for it.
 */
class PacedSink implements SubscribeSink {
  readonly got: Received[] = [];
  readonly blocked: Promise<void>;
  #wait: Promise<void> | undefined;
  #open: () => void = () => undefined;
  #waiting: () => void = () => undefined;

  constructor() {
    this.#wait = new Promise((resolve) => (this.#open = resolve));
    this.blocked = new Promise((resolve) => (this.#waiting = resolve));
  }

  open(): void {
    this.#wait = undefined;
    this.#open();
  }

  ready(): Promise<void> | undefined {
    if (this.#wait !== undefined) this.#waiting();
    return this.#wait;
  }

  deliver(json: string, offset: number): void {
    this.got.push({ stamp: (JSON.parse(json) as { data: { onOrderUpdated: { updatedAt: string } } }).data.onOrderUpdated.updatedAt, offset });
  }

  resyncRequired(oldestOffset: number, latestOffset: number): void {
    this.got.push({ resync: { oldestOffset, latestOffset } });
  }

  invalidated(): void {}
}

/** The replay has stopped to wait for its client (and not gone on, or finished, without asking). */
async function waitsForItsClient(sink: PacedSink, replayed: Promise<void>): Promise<void> {
  const first = await Promise.race([sink.blocked.then(() => 'waits'), replayed.then(() => 'finished')]);
  assert.equal(first, 'waits', 'the replay asks whether its client is ready before it sends');
  assert.equal(sink.got.length, 0, 'and sends nothing until it is');
}

async function pacedSubscription(on: RunningSwitchboard, id: string, resumeFrom?: number): Promise<{ sink: PacedSink; replayed: Promise<void>; stop(): void }> {
  const sink = new PacedSink();
  const outcome = await on.realtime.subscribe({ query: SUB, variables: { id }, operationName: null }, { auth: { mode: 'API_KEY', identity: null }, headers: {}, domainName: null }, sink, resumeFrom === undefined ? {} : { resumeFrom });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return { sink, replayed: outcome.replay(), stop: outcome.stop };
}

describe('resume by offset', () => {
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-resume-'));
    const app = await loadApp(join(REPO_ROOT, 'examples/food-ordering'));
    server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, realtimeRetention: RETENTION });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const protocol of ['appsync', 'graphql-transport-ws'] as const) {
    describe(`over ${protocol}`, () => {
      test('a client whose socket was killed reconnects with its last offset and receives exactly the 50 messages published for it meanwhile, in order, then live ones', async () => {
        const order = `order-${protocol}`;
        const otherOrder = `other-${protocol}`;
        const first = await subscribe(protocol, order);
        await publish(order, 0);
        const seen = await first.message();
        assert.equal(seen.stamp, stamp(0));
        await kill(first);

        // While it is gone: 50 messages for its subscription, and 10 for another order interleaved
        // (same topic, filtered out by the subscription's argument).
        for (let i = 1; i <= 50; i++) {
          assert.equal(await publish(order, i), 0, 'nobody is subscribed meanwhile');
          if (i % 5 === 0) await publish(otherOrder, 1000 + i);
        }

        const again = await subscribe(protocol, order, seen.offset);
        // Live at once, while the replay may still be running: held back and sent after the 50.
        await publish(order, 999);
        const got: { stamp: string; offset: number }[] = [];
        for (let i = 0; i < 51; i++) got.push(await again.message());
        await publish(order, 1000);
        got.push(await again.message());

        const missed = Array.from({ length: 50 }, (_, k) => stamp(k + 1));
        assert.deepEqual(
          got.map((m) => m.stamp),
          [...missed, stamp(999), stamp(1000)],
          'the 50 missed messages in order, then the live ones, nothing of the other order and no duplicate',
        );
        // Offsets are gapless per topic: message i of ours follows the one it saw by i, plus the
        // other order's messages appended before it; the live ones follow all 60.
        const expectedOffsets = [...Array.from({ length: 50 }, (_, k) => seen.offset + k + 1 + Math.floor(k / 5)), seen.offset + 61, seen.offset + 62];
        assert.deepEqual(got.map((m) => m.offset), expectedOffsets, 'each message with its own offset');
        assert.equal(again.raw.pending.filter((f) => f.type === 'data' || f.type === 'next').length, 0, 'nothing else was sent');
        await kill(again);
      });

      test('a client older than the retention gets resync_required, in the frame the doc describes, then the live stream', async () => {
        const order = `old-${protocol}`;
        const watcher = await subscribe(protocol, order);
        for (let i = 0; i < RETENTION + 50; i++) await publish(order, i);
        const watched: { stamp: string; offset: number }[] = [];
        for (let i = 0; i < RETENTION + 50; i++) watched.push(await watcher.message());
        await kill(watcher);
        const firstOffset = (watched[0] as { offset: number }).offset;
        const head = (watched[watched.length - 1] as { offset: number }).offset;

        // It saw the first of the 150: the 149 after it are more than the retention holds.
        const c = await subscribe(protocol, order, firstOffset);
        const resync = { oldestOffset: head - RETENTION + 1, latestOffset: head };
        const frame = await c.frame();
        if (protocol === 'appsync') assert.deepEqual(frame, { type: 'resync_required', id: 's', payload: resync });
        else assert.deepEqual(frame, { id: '1', type: 'next', payload: { data: null, extensions: { resync_required: resync } } });

        await publish(order, 777);
        const live = await c.message();
        assert.deepEqual(live, { stamp: stamp(777), offset: head + 1 }, 'then the live stream, nothing replayed');
        await kill(c);
      });

      test('a client with an offset the topic never reached (another history) gets resync_required, then the live stream', async () => {
        const order = `ahead-${protocol}`;
        const watcher = await subscribe(protocol, order);
        await publish(order, 3);
        const head = (await watcher.message()).offset;
        await kill(watcher);
        const c = await subscribe(protocol, order, head + 1000);
        const frame = await c.frame();
        const resync = { oldestOffset: Math.max(1, head - RETENTION + 1), latestOffset: head };
        if (protocol === 'appsync') assert.deepEqual(frame, { type: 'resync_required', id: 's', payload: resync });
        else assert.deepEqual(frame, { id: '1', type: 'next', payload: { data: null, extensions: { resync_required: resync } } });
        await publish(order, 4);
        assert.deepEqual(await c.message(), { stamp: stamp(4), offset: head + 1 });
        await kill(c);
      });
    });
  }

  describe('a replay at the pace of its client', () => {
    // 600 live messages while the replay waits: more than the 500 the subscriber holds meanwhile
    // (REPLAY_PAGE in src/realtime/service.ts), so some are dropped and must be read from the log.
    const LIVE = 600;

    test('live messages published while the replay waits for its client all come after it, in order, none lost or twice, though more than it holds', async (t) => {
      // The default retention (10,000): everything stays resumable.
      const dir = mkdtempSync(join(tmpdir(), 'sb-resume-paced-'));
      const own = await startSwitchboard({ app: await loadApp(join(REPO_ROOT, 'examples/food-ordering')), dataDir: dir, port: 0, host: '127.0.0.1', logger: silentLogger });
      t.after(async () => {
        await own.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      for (let i = 0; i < 10; i++) await publish('paced', i, own);
      // A fresh server: the topic's offsets start at 1, so resuming after 0 replays all of it.
      const { sink, replayed, stop } = await pacedSubscription(own, 'paced', 0);
      await waitsForItsClient(sink, replayed);
      // One burst (one batch fanned out back to back), while the replay waits before its first message.
      await Promise.all(Array.from({ length: LIVE }, (_, k) => publish('paced', 10 + k, own)));
      sink.open();
      await replayed;
      await publish('paced', 10 + LIVE, own);
      const all = 10 + LIVE + 1;
      assert.deepEqual(sink.got, Array.from({ length: all }, (_, k) => ({ stamp: stamp(k), offset: k + 1 })));
      stop();
    });

    test('a replay that falls behind the retention while it waits gets resync_required there, then the live stream', async () => {
      // The shared server keeps 100 messages: the 600 published while the replay waits pass it.
      const order = 'paced-behind';
      const watcher = await pacedSubscription(server, order);
      await publish(order, 0);
      const seen = watcher.sink.got.at(-1) as { stamp: string; offset: number };
      assert.equal(seen.stamp, stamp(0));
      watcher.stop();
      for (let i = 1; i <= 10; i++) await publish(order, i);

      const { sink, replayed, stop } = await pacedSubscription(server, order, seen.offset);
      await waitsForItsClient(sink, replayed);
      await Promise.all(Array.from({ length: LIVE }, (_, k) => publish(order, 11 + k)));
      sink.open();
      await replayed;
      await publish(order, 11 + LIVE);

      const head = seen.offset + 10 + LIVE;
      assert.deepEqual(sink.got, [
        // The first page, read before it waited.
        ...Array.from({ length: 10 }, (_, k) => ({ stamp: stamp(k + 1), offset: seen.offset + k + 1 })),
        // The rest of the missed messages are gone: said so, not skipped in silence.
        { resync: { oldestOffset: head - RETENTION + 1, latestOffset: head } },
        { stamp: stamp(11 + LIVE), offset: head + 1 },
      ]);
      stop();
    });
  });
});
