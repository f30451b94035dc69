/**
 * Subscriptions across nodes (src/realtime/cross-node.ts), with two "nodes" in one process: one
 * shared topic log (SQLite) and one in-memory fan-out hub. Each rule of the module has its test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '../../src/core/index.ts';
import { createMemoryFanoutHub, createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type Fanout } from '../../src/storage/index.ts';
import { createCrossNodeRelay, type CrossNodeRelay } from '../../src/realtime/cross-node.ts';
import { createTopicLog, type TopicLog } from '../../src/realtime/topic-log.ts';

interface Node {
  readonly relay: CrossNodeRelay;
  readonly delivered: [string, number, unknown][];
  readonly invalidated: [string, unknown][];
  /** Appends to the shared log and hands the offset to the relay, as the realtime service does. */
  publish(field: string, payload: unknown): Promise<number>;
}

async function cluster(run: (nodes: { a: Node; b: Node; topics: TopicLog; drop: Set<number>; late: Set<number>; reads: { failing: boolean } }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-xnode-'));
  const db = openDatabase({ path: join(dir, 'log.db'), fsync: false }, [eventLogMigrations]);
  const log = createTopicLog(createSqliteEventLog(db), systemClock, silentLogger, 10_000);
  // Reads of the log can be made to fail (the log unreachable for a moment).
  const reads = { failing: false };
  const topics: TopicLog = {
    append: (field, payloads) => log.append(field, payloads),
    since: (field, offset, limit) => (reads.failing ? Promise.reject(new Error('log unreachable')) : log.since(field, offset, limit)),
  };
  const hub = createMemoryFanoutHub();
  // Offsets whose announcement is "lost on the wire", or arrives 100 ms late.
  const drop = new Set<number>();
  const late = new Set<number>();
  const lossy = (f: Fanout): Fanout => ({
    publish: (topic, data) => {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      const o = (JSON.parse(text) as { o?: number }).o;
      if (o !== undefined && drop.has(o)) return;
      if (o !== undefined && late.has(o)) {
        setTimeout(() => f.publish(topic, data), 100);
        return;
      }
      f.publish(topic, data);
    },
    subscribe: (topic, handler) => f.subscribe(topic, handler),
    close: () => f.close(),
  });
  const node = (id: string): Node => {
    const delivered: [string, number, unknown][] = [];
    const invalidated: [string, unknown][] = [];
    const relay = createCrossNodeRelay({
      fanout: lossy(hub.open()),
      nodeId: id,
      topics,
      fanOutLocal: async (field, payload, offset) => {
        delivered.push([field, offset, payload]);
        return 1;
      },
      invalidateLocal: (field, payload) => {
        invalidated.push([field, payload]);
        return 1;
      },
      logger: silentLogger,
      clock: systemClock,
      sweepMs: 50,
    });
    return {
      relay,
      delivered,
      invalidated,
      async publish(field, payload) {
        const [offset] = await topics.append(field, [payload]);
        await relay.published(field, offset ?? 0, payload);
        return offset ?? 0;
      },
    };
  };
  const a = node('a');
  const b = node('b');
  try {
    await topics.append('onOld', [{ before: true }]);
    await a.relay.start(['onMessage', 'onOld']);
    await b.relay.start(['onMessage', 'onOld']);
    await run({ a, b, topics, drop, late, reads });
  } finally {
    await a.relay.stop();
    await b.relay.stop();
    await writeBatcherFor(db).drain();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const offsetsOf = (n: Node, field = 'onMessage') => n.delivered.filter(([f]) => f === field).map(([, o]) => o);

test('a payload published on one node reaches the other node, and its own node once', async () => {
  await cluster(async ({ a, b }) => {
    await b.publish('onMessage', { text: 'hi' });
    await until(() => offsetsOf(a).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(a.delivered, [['onMessage', 1, { text: 'hi' }]]);
    assert.deepEqual(b.delivered, [['onMessage', 1, { text: 'hi' }]], 'its own announcement coming back is ignored');
  });
});

test('in offset order, no gaps, no duplicates, per topic and node, whatever node published', async () => {
  await cluster(async ({ a, b }) => {
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? a : b).publish('onMessage', { i })));
    const all = Array.from({ length: 60 }, (_, i) => i + 1);
    await until(() => offsetsOf(a).length === 60 && offsetsOf(b).length === 60);
    assert.deepEqual(offsetsOf(a), all);
    assert.deepEqual(offsetsOf(b), all);
  });
});

test('a lost announcement is pulled from the log before the next message is delivered', async () => {
  await cluster(async ({ a, b, drop }) => {
    drop.add(2);
    drop.add(3);
    for (let i = 0; i < 4; i++) await b.publish('onMessage', { i });
    await until(() => offsetsOf(a).length === 4);
    assert.deepEqual(offsetsOf(a), [1, 2, 3, 4]);
    assert.deepEqual(a.delivered.map(([, , p]) => p), [{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }], 'the pulled payloads are the published ones');
  });
});

test('nothing stays behind: a lost announcement of the last message is delivered by the sweep', async () => {
  await cluster(async ({ a, b, drop }) => {
    drop.add(1);
    await b.publish('onMessage', { last: true });
    await until(() => offsetsOf(a).length === 1, 2000);
    assert.deepEqual(a.delivered, [['onMessage', 1, { last: true }]]);
  });
});

test('tracking starts at the log head: what was published before the relay started is not delivered again', async () => {
  await cluster(async ({ a, b }) => {
    await b.publish('onOld', { after: true });
    await until(() => offsetsOf(a, 'onOld').length === 1);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(offsetsOf(a, 'onOld'), [2]);
  });
});

test('a topic first seen later starts just before the message that made it known, on every node', async () => {
  await cluster(async ({ a, b }) => {
    await a.publish('onLater', { n: 1 });
    await until(() => offsetsOf(b, 'onLater').length === 1);
    assert.deepEqual(offsetsOf(a, 'onLater'), [1]);
    assert.deepEqual(offsetsOf(b, 'onLater'), [1]);
  });
});

test('a topic tracked before its first messages gets them all, even when their announcements arrive out of order', async () => {
  await cluster(async ({ a, b, late }) => {
    // As the realtime service does before it adds a subscriber of onFresh on node a.
    await a.relay.track('onFresh');
    late.add(1);
    await b.publish('onFresh', { n: 1 });
    await b.publish('onFresh', { n: 2 });
    await until(() => offsetsOf(a, 'onFresh').length === 2);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(offsetsOf(a, 'onFresh'), [1, 2], 'offset 1, announced after 2, was pulled from the log, and not delivered twice');
  });
});

test('invalidations are announced to the other nodes, not applied twice where they were made', async () => {
  await cluster(async ({ a, b }) => {
    a.relay.invalidated('subscribe', { name: 'tech' });
    await until(() => b.invalidated.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(b.invalidated, [['subscribe', { name: 'tech' }]]);
    assert.deepEqual(a.invalidated, []);
  });
});

test('a pull that fails (the log unreachable) neither throws nor skips: the sweep delivers once the log answers', async () => {
  await cluster(async ({ a, b, drop, reads }) => {
    drop.add(1);
    await b.publish('onMessage', { n: 1 });
    reads.failing = true;
    await b.publish('onMessage', { n: 2 });
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(offsetsOf(a), [], 'nothing out of order while the gap cannot be filled');
    reads.failing = false;
    await until(() => offsetsOf(a).length === 2, 3000);
    assert.deepEqual(offsetsOf(a), [1, 2]);
  });
});
