/**
 * A large group's frames go out in chunks of 1,000 (FANOUT_CHUNK in realtime/service.ts), the
 * event loop getting a turn between chunks, so keep-alives, other topics and incoming requests are
 * not starved while thousands of sockets are written; a subscriber's frames are never split
 * between chunks. Subscribers here are in-process sinks of a real server's realtime service; a
 * chain of setImmediate callbacks, started at the first delivery, notes how far the fan-out had
 * got each time the loop came round.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { REPO_ROOT } from '../support/server-process.ts';

const auth = { mode: 'API_KEY' as const, identity: null };
const QUERY = 'subscription { onOrderUpdated(id: "o") { id status } }';

/** Counts deliveries and the event-loop turns they fall in. */
class TurnWatch {
  delivered = 0;
  turn = 0;
  /** Deliveries so far, at each turn the loop gave us during the fan-out. */
  readonly seenAt: number[] = [];
  #running = false;

  constructor(readonly expected: number) {}

  /** Called at each delivery: starts the chain of turns at the first. */
  delivery(): void {
    this.delivered++;
    if (this.#running) return;
    this.#running = true;
    const next = (): void => {
      this.turn++;
      this.seenAt.push(this.delivered);
      if (this.delivered < this.expected) setImmediate(next);
      else this.#running = false;
    };
    setImmediate(next);
  }
}

async function subscribeSinks(t: TestServer, n: number, deliver: (i: number, json: string, offset: number) => void): Promise<void> {
  for (let i = 0; i < n; i++) {
    const outcome = await t.server.realtime.subscribe({ query: QUERY, variables: null, operationName: null }, { auth, headers: {}, domainName: null }, {
      deliver: (json, offset) => deliver(i, json, offset),
      invalidated: () => {},
      resyncRequired: () => {},
    });
    assert.ok(outcome.ok);
  }
}

test('one message to a group of 2,500 goes out in chunks of 1,000 with an event-loop turn between them, and reaches all', async (ctx) => {
  const t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  ctx.after(() => t.close());
  const watch = new TurnWatch(2500);
  const received = new Array<number>(2500).fill(0);
  await subscribeSinks(t, 2500, (i) => {
    received[i] = (received[i] ?? 0) + 1;
    watch.delivery();
  });
  const executions = t.server.realtime.stats.executions;
  const delivered = await t.server.realtime.publish('onOrderUpdated', { id: 'o', status: 'PAID', updatedAt: '2026-12-05T10:00:00.000Z' });
  assert.equal(delivered, 2500);
  assert.equal(t.server.realtime.stats.executions - executions, 1, 'one group, one projection');
  assert.ok(received.every((n) => n === 1), 'every subscriber received the message once');
  // Without chunks the first turn would only come once all 2,500 were written.
  assert.deepEqual(watch.seenAt.filter((n) => n < 2500), [1000, 2000], 'the loop came round after 1,000 and after 2,000 deliveries');
});

test("a burst's frames are chunked by subscriber: each subscriber's share of the batch is written in one turn", async (ctx) => {
  const t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  ctx.after(() => t.close());
  // Four publishes at once: the first goes out alone, the other three as one batch (fanout-batch.test.ts).
  const statuses = ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED'];
  const watch = new TurnWatch(1500 * statuses.length);
  const turns = Array.from({ length: 1500 }, () => new Map<number, number>());
  await subscribeSinks(t, 1500, (i, _json, offset) => {
    turns[i]?.set(offset, watch.turn);
    watch.delivery();
  });
  const publishes = statuses.map((status) => t.server.realtime.publish('onOrderUpdated', { id: 'o', status, updatedAt: '2026-12-05T10:00:00.000Z' }));
  assert.deepEqual(await Promise.all(publishes), [1500, 1500, 1500, 1500]);
  assert.ok(turns.every((m) => m.size === 4), 'every subscriber received the four messages');
  // The batch of three: 4,500 frames. 1,000 is no multiple of 3: a chunk ends after the
  // subscriber whose frames reach 1,000 (the 334th, 1,002 frames), never inside its three.
  const batchTurns = turns.map((m) => [m.get(2), m.get(3), m.get(4)]);
  assert.ok(batchTurns.every(([a, b, c]) => a === b && b === c), "a subscriber's three messages of the batch were written in the same turn");
  const byTurn = new Map<number, number>();
  for (const [a] of batchTurns) byTurn.set(a as number, (byTurn.get(a as number) ?? 0) + 1);
  assert.deepEqual([...byTurn.values()], [334, 334, 334, 334, 164], 'the batch went out in chunks of 334 subscribers (1,002 frames)');
});
