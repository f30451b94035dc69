// Switchboard's browser client, served at /sdk/switchboard.js for an app's pages (no build step).
// Queries and mutations over HTTP POST /graphql; subscriptions over the AppSync real-time protocol
// (WebSocket subprotocol `graphql-ws` on /graphql/realtime, the protocol Amplify speaks), which
// acknowledges each subscription (`start_ack`) before `subscribe()` resolves, so a mutation made
// after it is never missed. On a dropped connection it reconnects with backoff and resumes every
// subscription from the last offset it saw (Switchboard's `resumeFrom` extension), so nothing
// published meanwhile is lost.
//
// Auth: { apiKey } | { jwt } | { guest: true } (guest IAM credentials from POST
// /auth/guest-credentials, requests signed with SigV4 through WebCrypto, renewed before expiry).
//
//   import { createClient } from '/sdk/switchboard.js';
//   const client = createClient({ auth: { apiKey: 'da2-...' } });
//   const data = await client.graphql('mutation { ... }', {});
//   const stop = await client.subscribe('subscription { ... }', {}, (data) => ..., (errors) => ...);

const encoder = new TextEncoder();

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key, text) {
  const k = await crypto.subtle.importKey('raw', typeof key === 'string' ? encoder.encode(key) : key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, encoder.encode(text));
}

/** SigV4 headers (service `appsync`) for a POST of `body` to `path` on `host`. */
async function signedHeaders(credentials, region, host, path, body) {
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const headers = { 'content-type': 'application/json; charset=UTF-8', host, 'x-amz-date': amzDate, 'x-amz-security-token': credentials.sessionToken };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', path, '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), await sha256Hex(body)].join('\n');
  const scope = `${date}/${region}/appsync/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonical)].join('\n');
  let key = await hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [region, 'appsync', 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

function base64Json(value) {
  return btoa(String.fromCharCode(...encoder.encode(JSON.stringify(value)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const API_KEY_ITEM = 'switchboard-api-key';

/**
 * The API key of a demo page: `?apiKey=` (the link `switchboard start` prints), kept in
 * localStorage for the next visit; else the one kept; else undefined.
 */
export function pageApiKey() {
  const given = new URLSearchParams(location.search).get('apiKey');
  if (given) localStorage.setItem(API_KEY_ITEM, given);
  return localStorage.getItem(API_KEY_ITEM) ?? undefined;
}

/** Shows `form` (holding one text input) for a page without a key; submitting keeps the key and reloads. */
export function askForApiKey(form) {
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    localStorage.setItem(API_KEY_ITEM, form.querySelector('input').value.trim());
    location.reload();
  });
}

export class GraphqlError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphqlError';
    this.errors = errors;
  }
}

export function createClient(options = {}) {
  const endpoint = new URL(options.endpoint ?? location.origin);
  const auth = options.auth ?? {};
  const host = endpoint.host;
  let guest; // { credentials, region, expiresAt }
  const statusListeners = new Set();
  let status = 'idle';
  const setStatus = (next) => {
    if (next === status) return;
    status = next;
    for (const l of statusListeners) l(next);
  };

  async function guestCredentials() {
    if (guest !== undefined && guest.expiresAt - Date.now() > 60_000) return guest;
    const res = await fetch(new URL('/auth/guest-credentials', endpoint), { method: 'POST' });
    const c = await res.json();
    if (!res.ok) throw new Error(c.message ?? `guest credentials: HTTP ${res.status}`);
    guest = { credentials: c, region: options.region ?? c.identityId.split(':')[0], expiresAt: Date.parse(c.expiration) };
    return guest;
  }

  /** The auth headers for a request of `body` to `path` (an object of header name → value). */
  async function authHeaders(path, body) {
    if (auth.apiKey !== undefined) return { host, 'x-api-key': auth.apiKey };
    if (auth.jwt !== undefined) return { host, authorization: typeof auth.jwt === 'function' ? await auth.jwt() : auth.jwt };
    if (auth.guest) {
      const g = await guestCredentials();
      return signedHeaders(g.credentials, g.region, host, path, body);
    }
    return { host };
  }

  async function graphql(query, variables = {}) {
    const body = JSON.stringify({ query, variables });
    const { host: _host, ...headers } = await authHeaders('/graphql', body);
    const res = await fetch(new URL('/graphql', endpoint), { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8', ...headers }, body });
    const json = await res.json();
    if (json.errors !== undefined && json.errors.length > 0) throw new GraphqlError(json.errors);
    if (!res.ok) throw new Error(json.message ?? `HTTP ${res.status}`);
    return json.data;
  }

  // --- subscriptions -------------------------------------------------------------------------
  const subscriptions = new Map(); // id → { query, variables, onData, onError, offset, ack }
  let socket;
  let ready; // Promise<WebSocket> of the acknowledged connection
  let retryMs = 250;
  let reconnectTimer;
  let closedByUser = false;
  let nextId = 0;

  function scheduleReconnect() {
    setStatus('reconnecting');
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void resubscribeAll(), retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  }

  function connect() {
    const attempt = (async () => {
      setStatus('connecting');
      const header = await authHeaders('/graphql/connect', '{}');
      const url = new URL('/graphql/realtime', endpoint);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.search = `header=${base64Json(header)}&payload=e30`;
      const ws = new WebSocket(url, ['graphql-ws']);
      socket = ws;
      return new Promise((resolve, reject) => {
        ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init' }));
        ws.onmessage = (event) => {
          const msg = JSON.parse(event.data);
          if (msg.type === 'connection_ack') {
            retryMs = 250;
            setStatus('connected');
            resolve(ws);
          } else if (msg.type === 'connection_error') {
            reject(new GraphqlError(msg.payload?.errors ?? [{ message: 'connection refused' }]));
          } else {
            onFrame(msg);
          }
        };
        ws.onclose = () => {
          reject(new Error('connection closed'));
          if (socket !== ws) return;
          socket = undefined;
          ready = undefined;
          if (closedByUser || subscriptions.size === 0) return setStatus('idle');
          scheduleReconnect();
        };
      });
    })();
    ready = attempt;
    // A failed attempt is forgotten, so the next call tries again.
    attempt.catch(() => {
      if (ready === attempt) ready = undefined;
    });
    return attempt;
  }

  function onFrame(msg) {
    const sub = subscriptions.get(msg.id);
    if (sub === undefined) return;
    if (msg.type === 'start_ack') sub.ack?.resolve();
    else if (msg.type === 'data') {
      if (typeof msg.offset === 'number') sub.offset = msg.offset;
      sub.onData(msg.payload?.data ?? msg.payload);
    } else if (msg.type === 'error') {
      const errors = msg.payload?.errors ?? [{ message: 'subscription error' }];
      if (sub.ack !== undefined) sub.ack.reject(new GraphqlError(errors));
      else sub.onError?.(errors);
    } else if (msg.type === 'resync_required') {
      // What it asked to catch up on is older than the server keeps: live messages go on.
      sub.onError?.([{ errorType: 'ResyncRequired', message: `messages before offset ${msg.payload?.oldestOffset} are no longer kept` }]);
    } else if (msg.type === 'complete') {
      subscriptions.delete(msg.id);
    }
  }

  async function start(id, sub) {
    const ws = await (ready ?? connect());
    const data = JSON.stringify({ query: sub.query, variables: sub.variables });
    const authorization = await authHeaders('/graphql', data);
    const extensions = { authorization, ...(sub.offset !== undefined ? { resumeFrom: sub.offset } : {}) };
    const acked = new Promise((resolve, reject) => (sub.ack = { resolve, reject }));
    ws.send(JSON.stringify({ id, type: 'start', payload: { data, extensions } }));
    try {
      await acked;
    } finally {
      sub.ack = undefined;
    }
  }

  async function resubscribeAll() {
    try {
      for (const [id, sub] of subscriptions) await start(id, sub);
    } catch {
      // A socket that closed schedules the next attempt itself; one that never opened does not.
      if (!closedByUser && socket === undefined) scheduleReconnect();
    }
  }

  /**
   * Resolves once the server acknowledged the subscription; the result stops it. `options.resumeFrom`
   * (a topic offset; 0 = everything the server still keeps) first delivers the matching messages
   * published after it: subscribing to an object just created, with `resumeFrom: 0`, cannot miss
   * its first updates.
   */
  async function subscribe(query, variables, onData, onError, options = {}) {
    const id = `s${++nextId}-${Math.random().toString(36).slice(2, 8)}`;
    const sub = { query, variables: variables ?? {}, onData, onError, offset: options.resumeFrom, ack: undefined };
    subscriptions.set(id, sub);
    closedByUser = false;
    try {
      await start(id, sub);
    } catch (error) {
      subscriptions.delete(id);
      throw error;
    }
    return () => {
      if (!subscriptions.delete(id)) return;
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, type: 'stop' }));
    };
  }

  return {
    graphql,
    subscribe,
    /** 'idle' | 'connecting' | 'connected' | 'reconnecting' */
    get status() {
      return status;
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      clearTimeout(reconnectTimer);
      subscriptions.clear();
      socket?.close(1000);
    },
  };
}
