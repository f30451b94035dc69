// The order tracker (seed 003's frontend): "Start Simulation" places an order, the page follows it
// through the onOrderUpdated subscription, and, when the app has Web Push (examples/web-push-orders),
// offers to notify this device too.
import { askForApiKey, createClient, pageApiKey } from '/sdk/switchboard.js';

const $ = (id) => document.getElementById(id);
const STEPS = ['PENDING', 'PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED'];
const DISHES = ['pizza', 'ramen', 'falafel', 'burrito', 'pad thai', 'dumplings'];

const apiKey = pageApiKey();

function showError(error) {
  $('error').hidden = false;
  $('error').textContent = String(error?.message ?? error);
}

if (!apiKey) {
  $('controls').hidden = true;
  askForApiKey($('login'));
} else {
  start(createClient({ auth: { apiKey } }));
}

function start(client) {
  client.onStatus((status) => {
    $('connection').textContent = status;
    $('connection').dataset.status = status;
  });

  const ON_ORDER_UPDATED = 'subscription OnOrderUpdated($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';
  const CREATE_ORDER = 'mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { id status products { name quantity } createdAt } }';

  function render(order) {
    const card = $('order-card').content.firstElementChild.cloneNode(true);
    card.dataset.orderId = order.id;
    card.querySelector('.order-id').textContent = `Order ${order.id.slice(0, 8)}`;
    card.querySelector('.products').textContent = order.products.map((p) => `${p.quantity} × ${p.name}`).join(', ');
    $('orders').prepend(card);
    return card;
  }

  function mark(card, status, time) {
    const index = STEPS.indexOf(status);
    card.dataset.status = status;
    card.querySelectorAll('.steps li').forEach((li, i) => {
      li.classList.toggle('current', i === index);
      if (i <= index) li.classList.add('done');
      if (li.dataset.status === status && time && !li.querySelector('time')) {
        const t = document.createElement('time');
        t.dateTime = time;
        t.textContent = new Date(time).toLocaleTimeString();
        li.append(t);
      }
    });
  }

  $('simulate').addEventListener('click', async () => {
    $('error').hidden = true;
    try {
      const products = [{ name: DISHES[Math.floor(Math.random() * DISHES.length)], quantity: 1 + Math.floor(Math.random() * 3) }];
      const { createOrder: order } = await client.graphql(CREATE_ORDER, { input: { products } });
      const card = render(order);
      mark(card, order.status, order.createdAt);
      // resumeFrom 0: the workflow's first update may be published before this subscription
      // exists; the server replays what it keeps for this order, then goes live.
      await client.subscribe(ON_ORDER_UPDATED, { id: order.id }, (data) => {
        const update = data.onOrderUpdated;
        if (update) mark(card, update.status, update.updatedAt);
      }, (errors) => showError(errors[0]?.message), { resumeFrom: 0 });
      if (pushReady) await followForPush(order.id);
    } catch (error) {
      showError(error);
    }
  });

  // Web Push, when the app configures it (GET /push/vapid.json answers).
  let pushReady = false;
  let followForPush = async () => undefined;
  void (async () => {
    const res = await fetch('/push/vapid.json').catch(() => undefined);
    if (!res?.ok || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
    const push = await import('/push/client.js');
    followForPush = (orderId) => push.followOrder(orderId);
    $('enable-push').hidden = false;
    $('enable-push').addEventListener('click', async () => {
      try {
        const userId = localStorage.getItem('switchboard-user') ?? `user-${crypto.randomUUID().slice(0, 8)}`;
        localStorage.setItem('switchboard-user', userId);
        await push.subscribe({ userId });
        pushReady = true;
        $('enable-push').disabled = true;
        $('push-status').textContent = 'Notifications on: you will hear when an order is out for delivery.';
      } catch (error) {
        showError(error);
      }
    });
  })();
}
