/**
 * An API destination's `rateLimitPerSecond` (EventBridge's `InvocationRateLimitPerSecond`): calls
 * beyond the rate do not reach the endpoint; they are deferred to the next free slot, recorded as
 * a `deferred` attempt that does not count against the retry policy, and delivered then. A real
 * HTTP server on loopback; a virtual clock.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../src/core/index.ts';
import { createHttpTarget, parseTargetConfig, type TargetInvoker } from '../../src/bus/delivery/index.ts';
import { orderRule, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

const ARN = 'arn:aws:events:us-east-1:000000000000:api-destination/hook';
let server: Server;
let hits: number;
let endpoint: string;

beforeEach(async () => {
  hits = 0;
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.writeHead(200).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const destinationAt = (rateLimitPerSecond: number) => (name: string) => (name === 'hook' ? { name, endpoint, httpMethod: 'POST', rateLimitPerSecond, headers: {}, query: {} } : undefined);

test('a call beyond the rate does not reach the endpoint: it is deferred to the next free slot', async () => {
  const clock = new VirtualClock();
  const invoke = createHttpTarget({ destinationFor: destinationAt(2), clock });
  const target = parseTargetConfig(JSON.stringify({ Id: 't1', Arn: ARN }));
  const job = undefined as never;
  assert.deepEqual(await invoke(target, '{}', job), { ok: true });
  const second = await invoke(target, '{}', job);
  assert.equal(second.ok, false);
  assert.equal(second.ok === false && second.deferUntil, clock.now() + 500, 'two a second: the next slot is 500 ms on');
  assert.equal(hits, 1, 'the deferred call was not made');
  await clock.advance(500);
  assert.deepEqual(await invoke(target, '{}', job), { ok: true });
  assert.equal(hits, 2);
});

test('deferred deliveries are not attempts: every event is delivered, paced at the rate', async () => {
  const dir = tempDir();
  const clock = new VirtualClock();
  const http = createHttpTarget({ destinationFor: destinationAt(1), clock });
  const at: number[] = [];
  const invoke: TargetInvoker = async (target, input, job) => {
    const outcome = await http(target, input, job);
    if (outcome.ok) at.push(clock.now());
    return outcome;
  };
  let h: Harness | undefined;
  try {
    h = await startHarness(dir, () => ({ ok: true }), clock, invoke);
    // A retry policy of no retries at all: a deferral counted as an attempt would dead-letter.
    await orderRule(h.store, { Id: 't1', Arn: ARN, RetryPolicy: { MaximumRetryAttempts: 0 } });
    const start = clock.now();
    for (let i = 0; i < 3; i++) await h.emit('order.updated', { i });
    for (let i = 0; i < 4; i++) await clock.advance(1000);
    await h.settle();
    assert.deepEqual(at.map((t) => t - start), [0, 1000, 2000], 'one a second');
    assert.equal(hits, 3);
    assert.deepEqual(await h.store.listDeadLetters('default'), []);
    const events = await h.log.read('bus:default', 0, 10);
    const outcomes = (await h.store.listAttempts(events[2]?.id ?? '')).map((a) => a.outcome);
    assert.ok(outcomes.includes('deferred') && outcomes.at(-1) === 'delivered', `the third event: ${outcomes.join(', ')}`);
  } finally {
    await h?.close();
    removeDir(dir);
  }
});
