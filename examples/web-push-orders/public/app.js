// The seed's frontend: Subscribe (from a click: Safari needs a gesture), then PlaceNewOrder.
import { followOrder, isSupported, onPush, subscribe } from '/push/client.js';

const params = new URLSearchParams(location.search);
// The example's demo key (switchboard.config.ts, SB_API_KEY); ?apiKey= overrides it.
const apiKey = params.get('apiKey') ?? 'da2-pushordersdemokey000000000';
const userId = localStorage.getItem('web-push-orders-user') ?? `user-${crypto.randomUUID().slice(0, 8)}`;
localStorage.setItem('web-push-orders-user', userId);

const $ = (id) => document.getElementById(id);
function log(text, kind = '') {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = text;
  $('log').prepend(li);
}

onPush((message) => log(`Notification: ${message.title} — ${message.body ?? ''}`, 'push'));

$('subscribe').addEventListener('click', async () => {
  try {
    const { subscriptionId } = await subscribe({ userId });
    $('status').textContent = `Subscribed as ${userId} (subscription ${subscriptionId.slice(0, 10)}…).`;
    $('simulate').disabled = false;
    document.body.dataset.subscribed = 'true';
  } catch (error) {
    log(String(error.message ?? error), 'error');
  }
});

$('simulate').addEventListener('click', async () => {
  try {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query: 'mutation { createOrder(input: { products: [{ name: "pizza", quantity: 1 }] }) { id status } }' }),
    });
    const { data, errors } = await res.json();
    if (errors) throw new Error(errors[0].message);
    const orderId = data.createOrder.id;
    await followOrder(orderId);
    document.body.dataset.orderId = orderId;
    log(`Order ${orderId} placed; you will be notified when it is out for delivery.`);
  } catch (error) {
    log(String(error.message ?? error), 'error');
  }
});

if (!isSupported()) log('This browser has no Push API (on iOS, add this page to the Home Screen first).', 'error');
