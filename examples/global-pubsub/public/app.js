// The channel chat of seed 004: publish in the region this page talks to; every region's
// subscribers of the channel receive it. The region selector lists the app's regional deployments
// (/sdk/app.json); switching reconnects this page to that region's endpoint.
import { askForApiKey, createClient, pageApiKey } from '/sdk/switchboard.js';

const CHANNELS = ['general', 'tech', 'sports', 'news', 'random'];
const SUBSCRIBE = 'subscription Subscribe($name: String!) { subscribe(name: $name) { name data } }';
// Subscribers receive the fields the mutation selects: `data` must be among them.
const PUBLISH = 'mutation Publish($name: String!, $data: AWSJSON) { publish(name: $name, data: $data) { name data } }';
const $ = (id) => document.getElementById(id);

const params = new URLSearchParams(location.search);
const apiKey = pageApiKey();

function showError(error) {
  $('error').hidden = false;
  $('error').textContent = String(error?.message ?? error);
}

if (!apiKey) {
  askForApiKey($('login'));
} else {
  void start();
}

async function start() {
  $('chat').hidden = false;
  const app = await (await fetch('/sdk/app.json')).json();
  const here = { name: 'this server', region: app.region, url: location.origin };
  const choices = Object.entries(app.regions).map(([name, r]) => ({ name, region: r.region, url: r.url ?? location.origin }));
  if (!choices.some((c) => c.region === app.region)) choices.unshift(here);
  for (const c of choices) {
    const option = new Option(`${c.name} (${c.region})`, c.region);
    $('region').append(option);
  }
  $('region').value = params.get('region') ?? app.region;
  for (const name of CHANNELS) $('channel').append(new Option(name, name));
  $('channel').value = params.get('channel') ?? 'general';
  $('nickname').value = localStorage.getItem('chat-nickname') ?? `guest-${Math.random().toString(36).slice(2, 6)}`;
  $('nickname').addEventListener('change', () => localStorage.setItem('chat-nickname', $('nickname').value));

  let client;
  let stop;
  let connectedRegion;

  function show(message) {
    let body;
    try {
      body = typeof message.data === 'string' ? JSON.parse(message.data) : (message.data ?? {});
    } catch {
      body = { msg: String(message.data) };
    }
    const li = document.createElement('li');
    li.dataset.channel = message.name;
    li.dataset.text = body.msg ?? '';
    li.dataset.from = body.region ?? '';
    if (body.region && body.region !== connectedRegion) li.classList.add('remote');
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = body.user ?? 'someone';
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = `#${message.name} · sent in ${body.region ?? '?'}`;
    li.append(who, document.createTextNode(body.msg ?? ''), where);
    $('messages').append(li);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  async function connect() {
    stop?.();
    client?.close();
    $('error').hidden = true;
    const choice = choices.find((c) => c.region === $('region').value) ?? here;
    connectedRegion = choice.region;
    document.body.dataset.ready = 'false';
    const current = createClient({ endpoint: choice.url, auth: { apiKey } });
    client = current;
    current.onStatus((status) => {
      if (client !== current) return; // the client just replaced reports its close
      $('connection').textContent = `${status} · ${choice.region}`;
      $('connection').dataset.status = status;
    });
    const channel = $('channel').value;
    try {
      // The seed's enhanced filter delivers all five channels: this room shows its own.
      stop = await client.subscribe(SUBSCRIBE, { name: channel }, (data) => {
        if (data.subscribe && data.subscribe.name === $('channel').value) show(data.subscribe);
      }, (errors) => showError(errors[0]?.message));
      document.body.dataset.ready = 'true';
      document.body.dataset.region = choice.region;
    } catch (error) {
      showError(error);
    }
  }

  $('region').addEventListener('change', () => void connect());
  $('channel').addEventListener('change', () => {
    $('messages').replaceChildren();
    void connect();
  });
  $('send').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    try {
      const data = JSON.stringify({ msg: text, user: $('nickname').value, region: connectedRegion });
      await client.graphql(PUBLISH, { name: $('channel').value, data });
      $('text').value = '';
    } catch (error) {
      showError(error);
    }
  });
  await connect();
}
