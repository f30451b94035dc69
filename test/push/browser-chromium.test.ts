/**
 * The service worker's handlers in Chromium, through the DevTools protocol (research/webpush.md
 * §4.3: Chromium cannot subscribe offline, its push service being Google's, but
 * `ServiceWorker.deliverPushMessage` fires a real `push` event). Checks what the `push` handler
 * does with a push rule target's payload (notification shown with title, body, tag and data; open
 * pages told), that a newer message with the same tag replaces the older one, that a non-JSON
 * payload still shows a notification, and that `notificationclick` closes it and opens, or
 * focuses, the notification's URL. Skipped loudly without chromium; fails when CI=true.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Page, type WebWorker } from 'puppeteer-core';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { requireBrowser } from './support/browsers.ts';

const chromium = requireBrowser('Chromium', ['chromium', 'chromium-browser', 'google-chrome'], 'apt-get install chromium');
let t: TestServer | undefined;
let browser: Browser | undefined;
let page: Page;
let cdp: CDPSession;
let registrationId = '';
let worker: WebWorker;

before(async () => {
  if (chromium.skip !== false) return;
  const executablePath = chromium.require();
  process.env['SB_PUSH_ALLOWED_ENDPOINTS'] = 'http://127.0.0.1:*';
  t = await startTestServer(join(REPO_ROOT, 'examples/web-push-orders'));
  browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  await browser.defaultBrowserContext().overridePermissions(t.url, ['notifications']);
  page = await browser.newPage();
  cdp = await page.createCDPSession();
  const registered = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
      const r = e.registrations.find((x) => x.scopeURL.endsWith('/push/') && !x.isDeleted);
      if (r !== undefined) resolve(r.registrationId);
    });
  });
  // deliverPushMessage is dropped until the worker version is activated.
  const activated = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: { scriptURL: string; status: string }[] }) => {
      if (e.versions.some((v) => v.scriptURL.endsWith('/push/sw.js') && v.status === 'activated')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await page.goto(`${t.url}/push/`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/push/sw.js', { scope: '/push/' });
    await navigator.serviceWorker.ready;
    const w = window as unknown as { received: unknown[] };
    w.received = [];
    navigator.serviceWorker.addEventListener('message', (e) => w.received.push(e.data));
  });
  registrationId = await registered;
  await activated;
  const target = await browser.waitForTarget((x) => x.type() === 'service_worker' && x.url().endsWith('/push/sw.js'));
  worker = (await target.worker()) as WebWorker;
  // The first push after activation is sometimes dropped by DevTools: warm up until one has been
  // shown (its second message, `switchboard-push-shown`, arrived: clearing before it did left it
  // to be read as the first test's), then clear what it showed.
  for (let i = 0; i < 20; i++) {
    await deliver('warm-up');
    const shownOne = await until(() => page.evaluate(() => (window as unknown as { received: { type: string }[] }).received.some((r) => r.type === 'switchboard-push-shown')), (v) => v, 40);
    if (shownOne) break;
  }
  await worker.evaluate(async () => {
    const sw = self as unknown as { registration: { getNotifications(): Promise<{ close(): void }[]> } };
    for (const n of await sw.registration.getNotifications()) n.close();
  });
  await page.evaluate(() => void ((window as unknown as { received: unknown[] }).received.length = 0));
});
after(async () => {
  await browser?.close();
  await t?.close();
});

async function deliver(data: string): Promise<void> {
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: t?.url ?? '', registrationId, data });
}

/**
 * Delivers until `shown` holds. DevTools' deliverPushMessage is occasionally dropped on a loaded
 * machine; the messages used here carry a tag (or are checked with `some`), so a repeat is harmless.
 */
async function deliverUntil(data: string, shown: (n: Awaited<ReturnType<typeof notifications>>) => boolean): Promise<Awaited<ReturnType<typeof notifications>>> {
  let seen = await notifications();
  for (let attempt = 0; attempt < 10 && !shown(seen); attempt++) {
    await deliver(data);
    seen = await until(notifications, shown, 80);
  }
  return seen;
}

async function notifications(): Promise<{ title: string; body: string; tag: string; data: unknown }[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration('/push/');
    return ((await registration?.getNotifications()) ?? []).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }));
  });
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, tries = 200): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await probe();
    if (ok(v) || i === tries) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const message = (body: string) => ({ notification: 'out-for-delivery', title: 'Your order is on its way', body, tag: 'order-o1', url: '/push/?order=o1', data: { status: 'OUT_FOR_DELIVERY', orderId: 'o1' } });

test('push: the payload becomes a notification (title, body, tag, data) and open pages are told', { skip: chromium.skip, timeout: 60_000 }, async () => {
  const shown = await deliverUntil(JSON.stringify(message('Order o1 has left the restaurant.')), (n) => n.length === 1);
  assert.deepEqual(shown, [{ title: 'Your order is on its way', body: 'Order o1 has left the restaurant.', tag: 'order-o1', data: { status: 'OUT_FOR_DELIVERY', orderId: 'o1', url: '/push/?order=o1', notification: 'out-for-delivery' } }]);
  const received = await until(() => page.evaluate(() => (window as unknown as { received: { type: string; message: { body?: string } }[] }).received), (r) => r.filter((x) => x.message.body === 'Order o1 has left the restaurant.').length >= 2);
  // This message's two page messages, in the order the service worker posts them.
  assert.deepEqual(received.filter((x) => x.message.body === 'Order o1 has left the restaurant.').slice(0, 2).map((r) => r.type), ['switchboard-push', 'switchboard-push-shown']);
});

test('push: a newer message with the same tag replaces the older notification', { skip: chromium.skip, timeout: 60_000 }, async () => {
  const shown = await deliverUntil(JSON.stringify(message('Order o1 is around the corner.')), (n) => n[0]?.body === 'Order o1 is around the corner.');
  assert.deepEqual(shown.map((n) => [n.tag, n.body]), [['order-o1', 'Order o1 is around the corner.']]);
});

test('push: a payload that is not JSON still shows a notification (userVisibleOnly requires one)', { skip: chromium.skip, timeout: 60_000 }, async () => {
  const shown = await deliverUntil('plain text news', (n) => n.some((x) => x.title === 'plain text news'));
  assert.ok(shown.some((n) => n.title === 'plain text news'));
});

test('notificationclick: closes the notification and opens its URL, or focuses a page already showing it', { skip: chromium.skip, timeout: 60_000 }, async () => {
  // A synthetic click carries no user activation, so the browser would refuse to open or focus a
  // window: both are observed instead of performed.
  const click = (): Promise<{ opened: string[]; focused: string[]; left: number }> =>
    worker.evaluate(async () => {
      const sw = self as unknown as {
        registration: { getNotifications(o?: unknown): Promise<unknown[]> };
        clients: { openWindow(url: string): Promise<unknown> };
        NotificationEvent: new (type: string, init: { notification: unknown }) => Event & { waitUntil(p: Promise<unknown>): void };
        WindowClient: { prototype: { focus(): Promise<unknown> } };
        dispatchEvent(e: Event): boolean;
        seen: { opened: string[]; focused: string[] };
      };
      sw.seen = { opened: [], focused: [] };
      sw.clients.openWindow = async (url: string) => void sw.seen.opened.push(url);
      sw.WindowClient.prototype.focus = async function (this: { url: string }) {
        sw.seen.focused.push(this.url);
        return this;
      };
      const [n] = await sw.registration.getNotifications({ tag: 'order-o1' });
      const event = new sw.NotificationEvent('notificationclick', { notification: n });
      let done: Promise<unknown> = Promise.resolve();
      const waitUntil = event.waitUntil.bind(event);
      event.waitUntil = (p) => {
        done = p;
        waitUntil(p);
      };
      sw.dispatchEvent(event);
      await done;
      return { ...sw.seen, left: (await sw.registration.getNotifications({ tag: 'order-o1' })).length };
    });
  const target = `${t?.url ?? ''}/push/?order=o1`;
  assert.deepEqual(await click(), { opened: [target], focused: [], left: 0 });
  await deliverUntil(JSON.stringify(message('again')), (n) => n.some((x) => x.tag === 'order-o1'));
  await page.goto(target);
  assert.deepEqual(await click(), { opened: [], focused: [target], left: 0 });
});
