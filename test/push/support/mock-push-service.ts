/**
 * A push service on loopback, for tests (research/webpush.md §4.2): real HTTP, RFC 8030's rules.
 * It hands out subscriptions (a P-256 key pair and auth secret it keeps, like a browser would),
 * and for every POST to an endpoint: requires `TTL` (400), verifies the VAPID JWT and key
 * (401/403; `k` must be the subscription's `applicationServerKey` when it has one), refuses bodies
 * over 4096 bytes (413) and unknown or expired subscriptions (410), then answers what a test
 * scripted (429 + Retry-After, 5xx...) or decrypts the body with `http_ece` and answers 201.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import ece from 'http_ece';
import { verifyVapid, type VapidClaims } from './vapid-verify.ts';

export interface MockSubscription {
  readonly id: string;
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  /** `PushSubscription.toJSON()`. */
  json(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

export interface ReceivedMessage {
  readonly subscription: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  /** Decrypted by http_ece; `null` for an empty (tickle) message. */
  readonly plaintext: Buffer | null;
  readonly claims: VapidClaims;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface MockPushService {
  readonly url: string;
  readonly origin: string;
  subscribe(options?: { readonly applicationServerKey?: string }): MockSubscription;
  /** Later messages to it get 410 Gone. */
  expire(id: string): void;
  /** Answers for the next valid messages to `id`, in order, instead of accepting them. */
  script(id: string, ...responses: readonly ScriptedResponse[]): void;
  received(id?: string): readonly ReceivedMessage[];
  nextMessage(id: string, timeoutMs?: number): Promise<ReceivedMessage>;
  /** Every refused request: status and why. */
  readonly refusals: readonly { readonly status: number; readonly reason: string }[];
  /** POSTs seen, valid or not. */
  readonly requests: number;
  close(): Promise<void>;
}

interface Sub {
  readonly ecdh: ECDH;
  readonly auth: Buffer;
  readonly applicationServerKey?: string;
  expired: boolean;
  readonly script: ScriptedResponse[];
}

export async function startMockPushService(options: { readonly now?: () => number; readonly tls?: { readonly key: string; readonly cert: string } } = {}): Promise<MockPushService> {
  const now = options.now ?? Date.now;
  const subs = new Map<string, Sub>();
  const messages: ReceivedMessage[] = [];
  const waiters: { id: string; resolve: (m: ReceivedMessage) => void }[] = [];
  const refusals: { status: number; reason: string }[] = [];
  let requests = 0;
  let origin = '';

  const answer = (res: ServerResponse, status: number, reason: string, headers: Readonly<Record<string, string>> = {}): void => {
    if (status >= 400) refusals.push({ status, reason });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(status >= 400 ? JSON.stringify({ code: status, errno: 999, error: reason }) : '');
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    requests++;
    const m = /^\/push\/([\w-]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || m === null) return answer(res, 404, 'no such resource');
    const id = m[1] ?? '';
    const ttl = req.headers['ttl'];
    if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) return answer(res, 400, 'TTL header missing or not a number');
    const urgency = req.headers['urgency'];
    if (urgency !== undefined && !['very-low', 'low', 'normal', 'high'].includes(urgency as string)) return answer(res, 400, `bad Urgency ${String(urgency)}`);
    const topic = req.headers['topic'];
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic as string)) return answer(res, 400, `bad Topic ${String(topic)}`);
    const vapid = verifyVapid(req.headers.authorization, origin, now());
    if (!vapid.ok) return answer(res, vapid.status, vapid.reason);
    if (body.length > 4096) return answer(res, 413, `body of ${body.length} bytes`);
    const sub = subs.get(id);
    if (sub === undefined || sub.expired) return answer(res, 410, 'subscription expired or unsubscribed');
    if (sub.applicationServerKey !== undefined && vapid.k !== sub.applicationServerKey) return answer(res, 403, 'k is not the key this subscription was made with');
    const scripted = sub.script.shift();
    if (scripted !== undefined) {
      if (scripted.status >= 400) refusals.push({ status: scripted.status, reason: 'scripted' });
      res.writeHead(scripted.status, scripted.headers ?? {});
      res.end(scripted.body ?? '');
      return;
    }
    let plaintext: Buffer | null = null;
    if (body.length > 0) {
      if (req.headers['content-encoding'] !== 'aes128gcm') return answer(res, 400, `Content-Encoding ${String(req.headers['content-encoding'])}`);
      try {
        plaintext = ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth.toString('base64url') });
      } catch (error) {
        return answer(res, 400, `cannot decrypt: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const message: ReceivedMessage = { subscription: id, headers: req.headers as Record<string, string | undefined>, body, plaintext, claims: vapid.claims };
    messages.push(message);
    for (const w of waiters.filter((x) => x.id === id)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
    answer(res, 201, 'ok', { location: `${origin}/message/${randomUUID()}` });
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  };
  const server = options.tls === undefined ? createHttpServer({ keepAliveTimeout: 30_000 }, listener) : createHttpsServer({ ...options.tls, keepAliveTimeout: 30_000 }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;

  return {
    url: origin,
    origin,
    subscribe(opts = {}) {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subs.set(id, { ecdh, auth, expired: false, script: [], ...(opts.applicationServerKey !== undefined ? { applicationServerKey: opts.applicationServerKey } : {}) });
      const endpoint = `${origin}/push/${id}`;
      const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
      return { id, endpoint, keys, json: () => ({ endpoint, expirationTime: null, keys: { ...keys } }) };
    },
    expire(id) {
      const sub = subs.get(id);
      if (sub !== undefined) sub.expired = true;
    },
    script(id, ...responses) {
      subs.get(id)?.script.push(...responses);
    },
    received: (id) => messages.filter((m) => id === undefined || m.subscription === id),
    nextMessage(id, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push message for ${id} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ id, resolve: (msg) => (clearTimeout(timer), resolve(msg)) });
      });
    },
    refusals,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
