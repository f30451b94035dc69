/**
 * Batched fan-out: the publishes of a burst to one topic are delivered subscriber by subscriber,
 * each subscriber getting its share of the batch back to back and in offset order (so the socket
 * layer writes it at once), instead of message by message across all subscribers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestServer } from '../support/in-process.ts';
import { REPO_ROOT } from '../support/server-process.ts';

test('a burst reaches each subscriber as one run of its messages, in offset order', async (t) => {
  const running = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  t.after(() => running.close());
  const { server } = running;
  const auth = { mode: 'API_KEY' as const, identity: null };
  const log: { subscriber: string; offset: number }[] = [];
  // Two groups (different selections) of two subscribers each, all on order "o", and one
  // subscriber of order "p", which every fourth message is about.
  const subscribers = [
    { name: 'a1', query: 'subscription { onOrderUpdated(id: "o") { id status } }' },
    { name: 'a2', query: 'subscription { onOrderUpdated(id: "o") { id status } }' },
    { name: 'b1', query: 'subscription { onOrderUpdated(id: "o") { status id } }' },
    { name: 'b2', query: 'subscription { onOrderUpdated(id: "o") { status id } }' },
    { name: 'p', query: 'subscription { onOrderUpdated(id: "p") { status } }' },
  ];
  for (const s of subscribers) {
    const outcome = await server.realtime.subscribe({ query: s.query, variables: null, operationName: null }, { auth, headers: {}, domainName: null }, {
      deliver: (_json, offset) => log.push({ subscriber: s.name, offset }),
      invalidated: () => {},
      resyncRequired: () => {},
    });
    assert.ok(outcome.ok);
  }
  const orderOf = (i: number): string => (i % 4 === 3 ? 'p' : 'o');
  const burst = Array.from({ length: 40 }, (_, i) => server.realtime.publish('onOrderUpdated', { id: orderOf(i), status: 'PAID', updatedAt: '2026-12-05T10:00:00.000Z' }));
  const delivered = await Promise.all(burst);
  assert.deepEqual(delivered, Array.from({ length: 40 }, (_, i) => (orderOf(i) === 'p' ? 1 : 4)), 'each publish answers how many it reached');

  for (const s of subscribers) {
    const mine = log.filter((e) => e.subscriber === s.name);
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => orderOf(i) === (s.name === 'p' ? 'p' : 'o')).map((i) => i + 1);
    assert.deepEqual(mine.map((e) => e.offset), expected, `${s.name}: each of its messages once, in offset order`);
  }
  // The first publish goes out alone (nothing was queued yet); the other 39 form one batch. Each
  // subscriber's 39 (or 20) then arrive as one run: the log changes subscriber once per
  // subscriber per batch, not once per message.
  let runs = 0;
  for (let i = 0; i < log.length; i++) if (i === 0 || log[i]?.subscriber !== log[i - 1]?.subscriber) runs++;
  assert.ok(runs <= subscribers.length * 2, `deliveries came in ${runs} runs (message by message would be about ${log.length})`);
});
