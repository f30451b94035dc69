/**
 * A named notification sent to everyone following an order or a user (what a push rule target
 * runs): recipients by order and by user, each once; gone subscriptions deleted; two VAPID keys
 * during a rotation, each subscription signed with the key it was made with; what the bus is told
 * (done, retry, refused, invalid, missing) and the `push` target kind's error codes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createPushTarget, pushTargetArn, parseTargetConfig, type PushNotifyAnswer } from '../../src/bus/index.ts';
import { createSqlitePushStore, openDatabase, pushMigrations, type PushStore } from '../../src/storage/index.ts';
import {
  compileEndpointAllowList,
  createHttpTransport,
  createPushNotifier,
  createPushRegistry,
  createPushSender,
  createVapidAuthorizer,
  describeSummary,
  generateVapidKeys,
  importVapidKeys,
  parseSubscribeRequest,
  readNotificationInput,
  topicFor,
  type NotificationSpec,
  type PushNotifier,
  type PushRegistry,
  type VapidAuthorizer,
} from '../../src/push/index.ts';
import { startMockPushService, type MockPushService, type MockSubscription } from './support/mock-push-service.ts';

const clock = new VirtualClock();
const transport = createHttpTransport();
const current = importVapidKeys(generateVapidKeys());
const previous = importVapidKeys(generateVapidKeys());
const SUBJECT = 'mailto:ops@acme-foods.com';
const SPEC: NotificationSpec = { title: 'Order update', ttlSeconds: 600, urgency: 'high' };
let mock: MockPushService;

before(async () => {
  mock = await startMockPushService({ now: () => clock.now() });
});
after(async () => {
  transport.close();
  await mock.close();
});

interface Rig {
  readonly store: PushStore;
  readonly registry: PushRegistry;
  readonly notifier: PushNotifier;
  add(sub: MockSubscription, extra?: { userId?: string; key?: string; order?: string }): Promise<string>;
}

function rig(keys = [current, previous]): Rig {
  const store = createSqlitePushStore(openDatabase({ path: ':memory:' }, [pushMigrations]));
  const authorizers = new Map<string, VapidAuthorizer>(keys.map((k) => [k.publicKey, createVapidAuthorizer({ keys: k, subject: SUBJECT, clock })]));
  const registry = createPushRegistry({ store, clock, authorizers });
  const sender = createPushSender({ transport: transport.send, clock, retry: { maxAttempts: 1 } });
  const notifier = createPushNotifier({ registry, sender, clock, logger: silentLogger, notification: (name) => (name === 'status' ? SPEC : undefined) });
  const context = { allowEndpoint: compileEndpointAllowList(['http://127.0.0.1:*']), vapidKeys: [current.publicKey, previous.publicKey] };
  return {
    store,
    registry,
    notifier,
    async add(sub, extra = {}) {
      const checked = parseSubscribeRequest({ ...sub.json(), ...(extra.userId !== undefined ? { userId: extra.userId } : {}), applicationServerKey: extra.key ?? current.publicKey }, context);
      assert.ok(checked.ok, checked.ok ? '' : checked.message);
      await registry.subscribe(checked.value);
      if (extra.order !== undefined) await registry.linkOrder({ orderId: extra.order, subscriptionId: checked.value.id });
      return checked.value.id;
    },
  };
}

test('an order\'s followers and a user\'s devices each get the message once', async () => {
  const r = rig();
  const a = mock.subscribe();
  const b = mock.subscribe();
  const c = mock.subscribe();
  await r.add(a, { userId: 'u1', order: 'o1' });
  await r.add(b, { userId: 'u1' });
  await r.add(c, { order: 'o1' });
  const result = await r.notifier.notify('status', { orderId: 'o1', userId: 'u1', body: 'ready' });
  assert.equal(result.kind, 'done');
  assert.deepEqual(result.kind === 'done' ? result.summary : undefined, { subscriptions: 3, sent: 3, pruned: 0, failed: 0, rejected: 0, tooLarge: 0, noKey: 0 });
  for (const s of [a, b, c]) assert.equal(mock.received(s.id).length, 1);
  assert.deepEqual(JSON.parse(mock.received(a.id)[0]?.plaintext?.toString() ?? ''), { notification: 'status', title: 'Order update', body: 'ready', tag: 'order-o1', data: { orderId: 'o1', userId: 'u1' } });
  assert.equal(mock.received(a.id)[0]?.headers['topic'], 'o1');
  const none = await r.notifier.notify('status', { orderId: 'nobody-follows' });
  assert.ok(none.kind === 'done' && none.summary.subscriptions === 0);
  assert.equal(describeSummary(none.kind === 'done' ? none.summary : (undefined as never)), 'no subscription follows this order or user');
});

test('during a rotation each subscription is signed with the VAPID key it was made with', async () => {
  const r = rig();
  const onNew = mock.subscribe({ applicationServerKey: current.publicKey });
  const onOld = mock.subscribe({ applicationServerKey: previous.publicKey });
  await r.add(onNew, { order: 'rot' });
  await r.add(onOld, { order: 'rot', key: previous.publicKey });
  const result = await r.notifier.notify('status', { orderId: 'rot' });
  assert.ok(result.kind === 'done' && result.summary.sent === 2, JSON.stringify(result));
  assert.match(mock.received(onNew.id)[0]?.headers['authorization'] ?? '', new RegExp(`k=${current.publicKey}$`));
  assert.match(mock.received(onOld.id)[0]?.headers['authorization'] ?? '', new RegExp(`k=${previous.publicKey}$`));

  // Once the old key is retired, its subscriptions cannot be signed for: refused, not retried.
  const retired = rig([current]);
  await retired.add(mock.subscribe({ applicationServerKey: previous.publicKey }), { order: 'old-only', key: previous.publicKey });
  const refused = await retired.notifier.notify('status', { orderId: 'old-only' });
  assert.equal(refused.kind, 'refused');
  assert.ok(refused.kind === 'refused' && refused.summary.noKey === 1 && /no longer configured/.test(refused.message));
});

test('subscriptions answered 410 are deleted with their order links; the others are sent', async () => {
  const r = rig();
  const live = mock.subscribe();
  const dead = mock.subscribe();
  await r.add(live, { order: 'o2' });
  const deadId = await r.add(dead, { order: 'o2' });
  mock.expire(dead.id);
  const result = await r.notifier.notify('status', { orderId: 'o2' });
  assert.ok(result.kind === 'done' && result.summary.sent === 1 && result.summary.pruned === 1);
  assert.equal(describeSummary(result.kind === 'done' ? result.summary : (undefined as never)), 'sent to 1 of 2 subscriptions, 1 gone and deleted');
  assert.equal(await r.store.getSubscription(deadId), undefined);
  assert.deepEqual((await r.store.subscriptionsOfOrder('o2')).length, 1);
});

test('the bus retries a notification only when nothing was accepted and failures were transient', async () => {
  const r = rig();
  const flaky = mock.subscribe();
  await r.add(flaky, { order: 'o3' });
  mock.script(flaky.id, { status: 503 });
  const retry = await r.notifier.notify('status', { orderId: 'o3' });
  assert.equal(retry.kind, 'retry');
  // One accepted, one failed: done (a retry would repeat the accepted one).
  const ok = mock.subscribe();
  await r.add(ok, { order: 'o3' });
  mock.script(flaky.id, { status: 503 });
  const partial = await r.notifier.notify('status', { orderId: 'o3' });
  assert.ok(partial.kind === 'done' && partial.summary.sent === 1 && partial.summary.failed === 1);
  assert.match(describeSummary(partial.kind === 'done' ? partial.summary : (undefined as never)), /sent to 1 of 2 subscriptions, 1 failed \(.*answered 503/);
  // Too large for every recipient: refused.
  const big = await r.notifier.notify('status', { orderId: 'o3', body: 'x'.repeat(4000) });
  assert.ok(big.kind === 'refused' && big.summary.tooLarge === 2);
});

test('inputs that name nobody or have no title are invalid; undeclared notifications are missing', async () => {
  const r = rig();
  assert.deepEqual(await r.notifier.notify('nope', { orderId: 'o' }), { kind: 'missing' });
  for (const [input, message] of [
    ['text', /JSON object/],
    [{ title: 'x' }, /names no recipients/],
  ] as const) {
    const result = await r.notifier.notify('status', input);
    assert.ok(result.kind === 'invalid' && message.test(result.message), JSON.stringify(result));
  }
  const noTitle = readNotificationInput('bare', { userId: 'u' }, {});
  assert.ok(!noTitle.ok && /push\.notifications\.bare\.title/.test(noTitle.message));
  assert.equal(topicFor('a1b2'), 'a1b2');
  assert.equal(topicFor('0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'), '0f8e7d6c5b4a439281706f5e4d3c2b1a');
  assert.match(topicFor('order/with spaces and a long id that goes on'), /^[0-9a-f]{32}$/);
});

test('the push target kind: its ARN, and the codes the bus records', async () => {
  assert.equal(pushTargetArn('out-for-delivery'), 'arn:switchboard:push:::notification/out-for-delivery');
  const answers: Record<string, PushNotifyAnswer> = {
    done: { kind: 'done', note: 'sent to 1 of 1 subscription' },
    missing: { kind: 'missing' },
    invalid: { kind: 'invalid', message: 'bad' },
    refused: { kind: 'refused', message: 'VAPID refused' },
    retry: { kind: 'retry', message: '503' },
  };
  const seen: unknown[] = [];
  const invoke = createPushTarget(async (name, input) => {
    seen.push([name, input]);
    return answers[(input as { case: string }).case] as PushNotifyAnswer;
  });
  const target = parseTargetConfig(JSON.stringify({ Id: 't', Arn: pushTargetArn('status') }));
  const job = {} as Parameters<typeof invoke>[2];
  assert.deepEqual(await invoke(target, '{"case":"done"}', job), { ok: true, note: 'sent to 1 of 1 subscription' });
  assert.deepEqual(await invoke(target, '{"case":"missing"}', job), { ok: false, code: 'NO_RESOURCE', message: 'push notification status is not declared in push.notifications', retryable: false });
  assert.deepEqual(await invoke(target, '{"case":"invalid"}', job), { ok: false, code: 'PUSH_INPUT_INVALID', message: 'bad', retryable: false });
  assert.deepEqual(await invoke(target, '{"case":"refused"}', job), { ok: false, code: 'PUSH_REJECTED', message: 'VAPID refused', retryable: false });
  assert.deepEqual(await invoke(target, '{"case":"retry"}', job), { ok: false, code: 'PUSH_FAILED', message: '503', retryable: true });
  assert.deepEqual(seen[0], ['status', { case: 'done' }]);
});
