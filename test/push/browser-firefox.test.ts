/**
 * Seed 001 in a real browser, offline (research/webpush.md §4.3): Debian's firefox-esr driven by
 * puppeteer-core over WebDriver BiDi, its push client pointed at a local Mozilla-protocol push
 * service (`dom.push.serverURL`). The page at /push/ subscribes (real PushSubscription, VAPID key
 * from /push/vapid.json), places an order and follows it; the workflow reaches OUT_FOR_DELIVERY;
 * Switchboard encrypts and signs the notification; the push service verifies the token and
 * forwards it; Firefox decrypts it (ack code 100) and the service worker shows the notification.
 * Then the push service drops Firefox's subscriptions (a new uaid): the service worker's
 * `pushsubscriptionchange` subscribes again and re-registers naming the old endpoint, and the
 * order's next notification reaches the new subscription.
 * Skipped loudly without firefox-esr; fails when CI=true.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { requireBrowser } from './support/browsers.ts';
import { startMozillaPushService, type MozillaPushService } from './support/mozilla-push-service.ts';

const firefox = requireBrowser('Firefox', ['firefox-esr', 'firefox'], 'apt-get install firefox-esr');
let t: TestServer | undefined;
let push: MozillaPushService | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let orderId = '';

before(async () => {
  if (firefox.skip !== false) return;
  process.env['SB_ORDER_WAIT_SECONDS'] = '1';
  process.env['SB_PUSH_ALLOWED_ENDPOINTS'] = 'http://127.0.0.1:*';
  push = await startMozillaPushService();
  t = await startTestServer(join(REPO_ROOT, 'examples/web-push-orders'));
});
after(async () => {
  await browser?.close();
  await t?.close();
  await push?.close();
});

test('Firefox subscribes on the page, and its service worker shows the OUT_FOR_DELIVERY notification', { skip: firefox.skip, timeout: 120_000 }, async () => {
  const executablePath = firefox.require();
  assert.ok(t !== undefined && push !== undefined);
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      'dom.push.enabled': true,
      'dom.push.connection.enabled': true,
      'dom.push.serverURL': push.serverURL,
      'dom.push.testing.allowInsecureServerURL': true,
      'dom.push.testing.ignorePermission': true,
      'permissions.default.desktop-notification': 1,
      'notification.prompt.testing': true,
      'notification.prompt.testing.allow': true,
      // Headless Firefox shows notifications only through its own (non-system) alerts.
      'alerts.useSystemBackend': false,
      // Reconnect at once when the push service drops the connection.
      'dom.push.retryBaseInterval': 100,
    },
  });
  page = await browser.newPage();
  await page.goto(`${t.url}/push/`);
  await page.click('#subscribe');
  await page.waitForFunction(() => document.body.dataset['subscribed'] === 'true' || document.querySelector('#log li.error') !== null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.querySelector('#log li.error')?.textContent ?? null), null);

  // The subscription is Firefox's own, made with the server's VAPID key.
  const { publicKey } = (await (await fetch(`${t.url}/push/vapid.json`)).json()) as { publicKey: string };
  assert.deepEqual([...push.channels.values()].map((k) => k.replace(/=+$/, '')), [publicKey]);

  const acked = push.nextAck(60_000);
  await page.click('#simulate');
  await page.waitForFunction(() => document.body.dataset['orderId'] !== undefined, { timeout: 30_000 });
  orderId = await page.evaluate(() => document.body.dataset['orderId'] as string);
  const ack = await acked;
  assert.equal(ack.code, 100, 'Firefox decrypted the message (ack code 100)');

  // The service worker told the page, and showed the notification.
  await page.waitForFunction(() => document.querySelector('#log li.push') !== null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.querySelector('#log li.push')?.textContent), `Notification: Your order is on its way — Order ${orderId} has left the restaurant.`);
  // The page hears of the push before showNotification() has resolved: wait for the notification itself.
  await page.waitForFunction(async () => ((await (await navigator.serviceWorker.getRegistration('/push/'))?.getNotifications())?.length ?? 0) > 0, { timeout: 30_000 });
  const shown = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration('/push/');
    return (await registration?.getNotifications())?.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown })) ?? [];
  });
  assert.deepEqual(shown, [
    { title: 'Your order is on its way', body: `Order ${orderId} has left the restaurant.`, tag: `order-${orderId}`, data: { status: 'OUT_FOR_DELIVERY', orderId, url: `/push/?order=${orderId}`, notification: 'out-for-delivery' } },
  ]);
  assert.deepEqual(push.refusals, []);
});

test('pushsubscriptionchange: the service worker subscribes again and the order follows the new subscription', { skip: firefox.skip, timeout: 120_000 }, async () => {
  firefox.require();
  assert.ok(t !== undefined && push !== undefined && page !== undefined && orderId !== '', 'runs after the first test');
  const oldChannel = [...push.channels.keys()][0] ?? '';
  const oldId = createHash('sha256').update(`${push.origin}/wpush/${oldChannel}`).digest('base64url');
  const registered = push.nextRegistration(60_000);
  push.resetUaid();
  const newChannel = await registered;
  assert.notEqual(newChannel, oldChannel);
  const newId = createHash('sha256').update(`${push.origin}/wpush/${newChannel}`).digest('base64url');
  // The worker POSTs /subscribe with oldEndpoint: the old subscription is replaced.
  const post = (body: unknown) => fetch(`${t?.url ?? ''}/subscribe/order`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // (Each probe links a fresh order id: links made to the old subscription move to the new one.)
  for (let i = 0; i < 400 && (await post({ orderId: `probe-${i}`, subscriptionId: oldId })).status !== 404; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal((await post({ orderId: 'probe-last', subscriptionId: oldId })).status, 404, 'the old subscription is gone');
  assert.equal((await post({ orderId: 'probe-new', subscriptionId: newId })).status, 201, 'the new one is stored');
  await page.waitForFunction((id: string) => localStorage.getItem('switchboard-push-subscription') === id, { timeout: 10_000 }, newId);

  // The order's next update reaches the new subscription (its link moved over).
  const eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey, maxAttempts: 1 });
  try {
    const acked = push.nextAck(60_000);
    const detail = { order: { id: orderId, status: 'OUT_FOR_DELIVERY', updatedAt: new Date().toISOString() } };
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'order.processing', DetailType: 'order.updated', Detail: JSON.stringify(detail) }] }));
    assert.equal(put.FailedEntryCount, 0);
    const ack = await acked;
    assert.deepEqual([ack.channelID, ack.code], [newChannel, 100]);
  } finally {
    eb.destroy();
  }
});
