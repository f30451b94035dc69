/*
 * Switchboard's push client for pages, served at /push/client.js (an ES module):
 *
 *   import { subscribe, followOrder, onPush } from '/push/client.js';
 *   const { subscriptionId } = await subscribe({ userId });   // from a click handler (Safari needs a gesture)
 *   await followOrder(orderId);                               // POST /subscribe/order
 *   onPush((message) => ...);                                 // what the service worker received
 *
 * subscribe() registers /push/sw.js, asks for permission, subscribes with the server's current
 * VAPID key (replacing a subscription made with an older key) and POSTs it to /subscribe. Call it
 * again on every app start: the server keeps the endpoint fresh.
 */
const STATE_CACHE = 'switchboard-push';

function toBase64Url(buffer) {
  let text = '';
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function postJson(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${answer.message}`);
  return answer;
}

export function isSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

export async function subscribe({ userId } = {}) {
  if (!isSupported()) throw new Error('this browser has no Push API (on iOS, add the app to the Home Screen first)');
  const registration = await navigator.serviceWorker.register('/push/sw.js', { scope: '/push/' });
  await navigator.serviceWorker.ready;
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('notifications are not allowed for this site');
  const { publicKey } = await (await fetch('/push/vapid.json')).json();
  let subscription = await registration.pushManager.getSubscription();
  const key = subscription && subscription.options.applicationServerKey ? toBase64Url(subscription.options.applicationServerKey) : undefined;
  const oldEndpoint = subscription && key !== publicKey ? subscription.endpoint : undefined;
  if (oldEndpoint) await subscription.unsubscribe();
  if (!subscription || oldEndpoint) subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
  const answer = await postJson('/subscribe', { ...subscription.toJSON(), applicationServerKey: publicKey, ...(userId ? { userId } : {}), ...(oldEndpoint ? { oldEndpoint } : {}) });
  // The service worker re-registers on pushsubscriptionchange with the same user.
  const cache = await caches.open(STATE_CACHE);
  await cache.put('state', new Response(JSON.stringify({ userId, subscriptionId: answer.subscriptionId, endpoint: subscription.endpoint })));
  localStorage.setItem('switchboard-push-subscription', answer.subscriptionId);
  return { subscriptionId: answer.subscriptionId, subscription: subscription.toJSON() };
}

export async function followOrder(orderId) {
  const subscriptionId = localStorage.getItem('switchboard-push-subscription');
  if (!subscriptionId) throw new Error('subscribe() first');
  return postJson('/subscribe/order', { orderId, subscriptionId });
}

export function onPush(callback) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'switchboard-push') callback(event.data.message);
  });
}

// The service worker subscribed again (pushsubscriptionchange): later orders follow the new subscription.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'switchboard-push-resubscribed') localStorage.setItem('switchboard-push-subscription', event.data.subscriptionId);
  });
}
