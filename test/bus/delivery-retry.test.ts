/**
 * Retries, backoff, exhaustion and dead letters, on a VirtualClock (no sleeps). Jitter is pinned
 * to the top of its range (random = 0.999), so retry n waits just under 2^(n-1) seconds.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, BACKOFF_CAP_MS, nextRetry, DEFAULT_RETRY_POLICY, routeTarget } from '../../src/bus/delivery/index.ts';
import { APPSYNC_TARGET, FAIL, OK, orderRule, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

let dir: string;
let h: Harness | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  removeDir(dir);
});

test('backoff is full jitter under a ceiling that doubles per retry and is capped', () => {
  assert.equal(backoffDelay(1, () => 0.5), 500);
  assert.equal(backoffDelay(3, () => 0.5), 2000);
  assert.ok(backoffDelay(40, () => 0.999) <= BACKOFF_CAP_MS);
  assert.ok(backoffDelay(1, () => 0) >= 1, 'a retry never runs in the same turn');
});

test('RetryPolicy defaults to 185 retries and 24 hours', () => {
  assert.deepEqual(DEFAULT_RETRY_POLICY, { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 });
  assert.equal(nextRetry(DEFAULT_RETRY_POLICY, { attempts: 186, eventTime: 0, now: 0 }, () => 0).kind, 'give-up');
  assert.equal(nextRetry(DEFAULT_RETRY_POLICY, { attempts: 185, eventTime: 0, now: 0 }, () => 0).kind, 'retry');
});

test('a matched event is delivered once and its job is removed', async () => {
  h = await startHarness(dir, () => OK);
  await orderRule(h.store, APPSYNC_TARGET);
  await h.emit('order.updated');
  await h.emit('order.created');
  assert.equal(h.calls.length, 1);
  assert.deepEqual(await h.store.pendingDeliveries(), []);
  assert.equal(await h.store.getCursor('default'), 2, 'the cursor moved past both events');
});

test('a disabled rule delivers nothing', async () => {
  h = await startHarness(dir, () => OK);
  await orderRule(h.store, APPSYNC_TARGET, 'DISABLED');
  await h.emit('order.updated');
  assert.equal(h.calls.length, 0);
});

test('a failing target is retried with exponential backoff, then dead-lettered after MaximumRetryAttempts', async () => {
  h = await startHarness(dir, () => FAIL);
  await orderRule(h.store, { ...APPSYNC_TARGET, RetryPolicy: { MaximumRetryAttempts: 3 } });
  const t0 = h.clock.now();
  await h.emit('order.updated');
  await h.clock.advance(60_000);
  assert.deepEqual(h.calls.map((c) => c - t0), [0, 999, 999 + 1998, 999 + 1998 + 3996], 'first try, then 3 retries with doubling delays');
  assert.deepEqual(await h.store.pendingDeliveries(), []);
  const [letter, ...rest] = await h.store.listDeadLetters('default');
  assert.equal(rest.length, 0);
  assert.equal(letter?.errorCode, 'GRAPHQL_ERROR');
  assert.equal(letter?.errorMessage, 'boom');
  assert.equal(letter?.exhaustedRetryCondition, 'MaximumRetryAttempts');
  assert.equal(letter?.retryAttempts, 3);
  assert.equal(letter?.targetArn, APPSYNC_TARGET.Arn);
});

test('retries stop at MaximumEventAgeInSeconds when the next try would come later', async () => {
  h = await startHarness(dir, () => FAIL);
  await orderRule(h.store, { ...APPSYNC_TARGET, RetryPolicy: { MaximumEventAgeInSeconds: 60 } });
  await h.emit('order.updated');
  await h.clock.advance(10 * 60_000);
  // Waits 1+2+4+8+16 s (about 31 s in all); the next (32 s) would pass 60 s.
  assert.equal(h.calls.length, 6);
  const [letter] = await h.store.listDeadLetters('default');
  assert.equal(letter?.exhaustedRetryCondition, 'MaximumEventAgeInSeconds');
  assert.equal(letter?.retryAttempts, 5);
});

test('a target ARN that names nothing invocable is dead-lettered at once as NO_RESOURCE', async () => {
  let appsyncCalls = 0;
  const invoke = routeTarget({ appsync: async () => (appsyncCalls++, OK) });
  h = await startHarness(dir, () => OK, undefined, invoke);
  await orderRule(h.store, { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:queue' });
  await h.emit('order.updated');
  await h.clock.advance(60_000);
  assert.equal(appsyncCalls, 0);
  const [letter] = await h.store.listDeadLetters('default');
  assert.equal(letter?.errorCode, 'NO_RESOURCE');
  assert.equal(letter?.errorMessage, 'target ARN arn:aws:sqs:us-east-1:000000000000:queue names nothing Switchboard can invoke');
  assert.equal(letter?.retryAttempts, 0);
  assert.equal(letter?.exhaustedRetryCondition, undefined);
});
