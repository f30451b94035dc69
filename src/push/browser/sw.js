/*
 * Switchboard's push service worker, served at /push/sw.js (scope /push/).
 *
 * push:                   shows the notification a push rule target sent
 *                         ({notification, title, body, icon, tag, url, data}) and tells open pages.
 * notificationclick:      focuses a page showing the notification's url, or opens it.
 * pushsubscriptionchange: subscribes again with the same VAPID key and re-registers with the
 *                         server, naming the old endpoint so its orders follow.
 */
const STATE_CACHE = 'switchboard-push';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function readMessage(data) {
  if (!data) return { title: 'New notification' };
  try {
    return data.json();
  } catch {
    return { title: data.text() };
  }
}

self.addEventListener('push', (event) => {
  const message = readMessage(event.data);
  const options = {
    body: message.body,
    icon: message.icon,
    tag: message.tag,
    // A newer status for the same order replaces the older one, and alerts again.
    renotify: Boolean(message.tag),
    data: { ...(message.data || {}), url: message.url, notification: message.notification },
  };
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) client.postMessage({ type: 'switchboard-push', message });
      // With userVisibleOnly every push must show a notification (browsers revoke subscriptions that do not).
      await self.registration.showNotification(message.title || 'New notification', options);
      for (const client of windows) client.postMessage({ type: 'switchboard-push-shown', message });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const target = new URL(data.url || self.registration.scope, self.registration.scope).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (client.url === target && 'focus' in client) return client.focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});

function toBase64Url(buffer) {
  let text = '';
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function savedState() {
  const cache = await caches.open(STATE_CACHE);
  const hit = await cache.match('state');
  return hit ? hit.json() : {};
}

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      const state = await savedState();
      const old = event.oldSubscription;
      let key = old && old.options && old.options.applicationServerKey ? toBase64Url(old.options.applicationServerKey) : undefined;
      if (!key) key = (await (await fetch('/push/vapid.json')).json()).publicKey;
      const subscription = event.newSubscription || (await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
      // Browsers that fire the event without oldSubscription: the endpoint remembered at subscribe time.
      const oldEndpoint = old ? old.endpoint : state.endpoint;
      const res = await fetch('/subscribe', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...subscription.toJSON(), applicationServerKey: key, ...(state.userId ? { userId: state.userId } : {}), ...(oldEndpoint ? { oldEndpoint } : {}) }),
      });
      const answer = await res.json();
      const cache = await caches.open(STATE_CACHE);
      await cache.put('state', new Response(JSON.stringify({ ...state, endpoint: subscription.endpoint, subscriptionId: answer.subscriptionId })));
      for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
        client.postMessage({ type: 'switchboard-push-resubscribed', subscriptionId: answer.subscriptionId });
      }
    })(),
  );
});
