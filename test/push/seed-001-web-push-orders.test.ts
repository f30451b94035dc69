/**
 * Seed 001 end to end on `examples/web-push-orders`, in process over real HTTP: a browser-like client
 * (the mock push service's subscriptions) registers with `POST /subscribe`, places an order through
 * GraphQL, follows it with `POST /subscribe/order`; the workflow moves the order and the seed's
 * OUT_FOR_DELIVERY rule sends one push notification to each subscription following it, encrypted
 * and VAPID-signed (verified and decrypted by the mock with http_ece). Both routes publish their
 * events to the bus; a subscription the push service calls gone is deleted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { startMockPushService, type MockPushService, type MockSubscription } from './support/mock-push-service.ts';

// One second per step: the order is followed long before it is out for delivery.
process.env['SB_ORDER_WAIT_SECONDS'] = '1';
process.env['SB_PUSH_ALLOWED_ENDPOINTS'] = 'http://127.0.0.1:*';
const APP = join(REPO_ROOT, 'examples/web-push-orders');
let t: TestServer;
let mock: MockPushService;
let publicKey: string;

before(async () => {
  mock = await startMockPushService();
  t = await startTestServer(APP);
  publicKey = ((await (await fetch(`${t.url}/push/vapid.json`)).json()) as { publicKey: string }).publicKey;
});
after(async () => {
  await t.close();
  await mock.close();
});

const post = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
};

async function register(sub: MockSubscription, userId: string): Promise<string> {
  const res = await post('/subscribe', { ...sub.json(), userId, applicationServerKey: publicKey });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json.subscriptionId as string;
}

async function placeOrder(): Promise<string> {
  const created = await t.graphql({ query: 'mutation { createOrder(input: { products: [{ name: "pizza", quantity: 1 }] }) { id status } }' });
  assert.equal(created.json.errors, undefined, JSON.stringify(created.json.errors));
  return created.json.data.createOrder.id as string;
}

function busEvents(detailType: string): any[] {
  const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db.prepare<[], { payload: string }>("SELECT payload FROM event_log WHERE stream = 'bus:default' ORDER BY seq").all().map((r) => JSON.parse(r.payload)).filter((e) => e['detail-type'] === detailType);
  } finally {
    db.close();
  }
}

test('subscribe, order, follow: the OUT_FOR_DELIVERY notification reaches every device following the order', { timeout: 30_000 }, async () => {
  const phone = mock.subscribe({ applicationServerKey: publicKey });
  const laptop = mock.subscribe({ applicationServerKey: publicKey });
  const phoneId = await register(phone, 'user-1');
  assert.equal(phoneId, createHash('sha256').update(phone.endpoint).digest('base64url'), 'keyed by a hash of the endpoint');
  const laptopId = await register(laptop, 'user-1');

  const orderId = await placeOrder();
  const arriving = [mock.nextMessage(phone.id, 20_000), mock.nextMessage(laptop.id, 20_000)];
  for (const subscriptionId of [phoneId, laptopId]) {
    const linked = await post('/subscribe/order', { orderId, subscriptionId });
    assert.equal(linked.status, 201);
    assert.deepEqual(linked.json, { orderId, subscriptionId });
  }
  const messages = await Promise.all(arriving);
  for (const m of messages) {
    const payload = JSON.parse(m.plaintext?.toString() ?? '{}');
    assert.deepEqual(payload, {
      notification: 'out-for-delivery',
      title: 'Your order is on its way',
      body: `Order ${orderId} has left the restaurant.`,
      tag: `order-${orderId}`,
      url: `/push/?order=${orderId}`,
      data: { status: 'OUT_FOR_DELIVERY', orderId },
    });
    assert.equal(m.headers['urgency'], 'high');
    assert.equal(m.headers['ttl'], '3600');
    assert.equal(m.headers['topic'], orderId.replace(/-/g, ''));
    assert.equal(m.claims.aud, mock.origin);
    assert.equal(m.claims.sub, 'mailto:web-push-orders-demo@users.noreply.github.com');
  }
  // Only OUT_FOR_DELIVERY is pushed (the workflow goes on to DELIVERED).
  for (let i = 0; i < 250 && busEvents('order.updated').filter((e) => e.detail.order.id === orderId).length < 4; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(busEvents('order.updated').filter((e) => e.detail.order.id === orderId).length, 4);
  assert.equal(mock.received(phone.id).length, 1);

  // Both routes published their events, as the seed's API Gateway routes do.
  const news = busEvents('New subscription');
  assert.deepEqual(news.map((e) => [e.source, e.detail.subscriptionId, e.detail.userId]), [['switchboard.push', phoneId, 'user-1'], ['switchboard.push', laptopId, 'user-1']]);
  assert.equal(news[0].detail.pushService, mock.origin);
  assert.equal(JSON.stringify(news).includes(phone.keys.auth), false, 'keys never go on the bus');
  assert.deepEqual(busEvents('Subscribe to order').map((e) => e.detail), [{ orderId, subscriptionId: phoneId }, { orderId, subscriptionId: laptopId }]);

  // Every outcome is counted.
  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  assert.match(metrics, /switchboard_push_messages_total\{outcome="sent"\} 2\b/);
});

test('a subscription the push service calls gone is deleted; the others still get the notification', { timeout: 30_000 }, async () => {
  const keep = mock.subscribe({ applicationServerKey: publicKey });
  const stale = mock.subscribe({ applicationServerKey: publicKey });
  const keepId = await register(keep, 'user-2');
  const staleId = await register(stale, 'user-2');
  mock.expire(stale.id);
  const orderId = await placeOrder();
  const arriving = mock.nextMessage(keep.id, 20_000);
  await post('/subscribe/order', { orderId, subscriptionId: keepId });
  await post('/subscribe/order', { orderId, subscriptionId: staleId });
  await arriving;
  for (let i = 0; i < 100; i++) {
    if ((await post('/subscribe/order', { orderId: 'later', subscriptionId: staleId })).status === 404) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const gone = await post('/subscribe/order', { orderId: 'later', subscriptionId: staleId });
  assert.equal(gone.status, 404, 'the 410 subscription was deleted');
  assert.match(gone.json.message, /POST \/subscribe first/);
  assert.equal((await post('/subscribe/order', { orderId: 'later', subscriptionId: keepId })).status, 201);
});

test('the routes refuse what they cannot use, with a message', async () => {
  const sub = mock.subscribe();
  const cases: [unknown, number, RegExp][] = [
    ['not json', 400, /must be JSON/],
    [{ ...sub.json(), endpoint: 'https://evil.internal/steal' }, 400, /not a push service this server sends to/],
    [{ ...sub.json(), keys: { p256dh: 'abc', auth: sub.keys.auth } }, 400, /p256dh/],
    [{ ...sub.json(), applicationServerKey: 'B'.repeat(87) }, 400, /not a VAPID key of this server/],
    [{ ...sub.json(), userId: 42 }, 400, /userId/],
  ];
  for (const [body, status, message] of cases) {
    const res = await fetch(`${t.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    assert.equal(res.status, status);
    assert.match(((await res.json()) as { message: string }).message, message);
  }
  const again = await post('/subscribe', sub.json());
  assert.equal(again.status, 201);
  assert.equal((await post('/subscribe', sub.json())).status, 200, 'the same endpoint again updates it');
  assert.equal((await post('/subscribe/order', { subscriptionId: again.json.subscriptionId })).status, 400);
  assert.equal((await post('/subscribe/order', { orderId: 'o', endpoint: sub.endpoint })).status, 201, 'the endpoint may stand for its hash');
});

test('the page, the service worker, the client helper and the VAPID key are served under /push/', async () => {
  const page = await fetch(`${t.url}/push/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await page.text(), /Enable notifications/);
  for (const [path, needle] of [['/push/sw.js', "addEventListener('push'"], ['/push/client.js', 'export async function subscribe'], ['/push/app.js', 'createOrder']] as const) {
    const res = await fetch(`${t.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await res.text()).includes(needle), path);
  }
  assert.equal(publicKey.length, 87);
  assert.equal((await fetch(`${t.url}/push/../switchboard.config.ts`)).status, 404);
  assert.equal((await fetch(`${t.url}/push/%2e%2e/switchboard.config.ts`)).status, 404);
  assert.equal((await fetch(`${t.url}/push/nope.html`)).status, 404);
  const redirect = await fetch(`${t.url}/push`, { redirect: 'manual' });
  assert.equal(redirect.status, 308);
});
