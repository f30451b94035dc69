/**
 * A push service Firefox can use offline (research/webpush.md §4.3): Mozilla's WebSocket protocol
 * towards the browser (`dom.push.serverURL=ws://127.0.0.1:<port>/`) and RFC 8030 HTTP towards
 * application servers on the same port. A message POSTed to a channel's endpoint has its VAPID
 * token verified (and its `k` compared with the key the page subscribed with, RFC 8292 §4), is
 * forwarded to the browser and answered 201; the browser's ack (code 100 = delivered and
 * decrypted) is recorded as a delivery receipt.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { verifyVapid } from './vapid-verify.ts';

export interface Ack {
  readonly channelID: string;
  readonly version: string;
  readonly code: number;
}

export interface MozillaPushService {
  readonly serverURL: string;
  readonly origin: string;
  /** Registrations made by the browser: channel → VAPID key. */
  readonly channels: ReadonlyMap<string, string>;
  readonly acks: readonly Ack[];
  /** Every refused POST. */
  readonly refusals: readonly string[];
  /** Resolves with the next ack for a message to any channel. */
  nextAck(timeoutMs?: number): Promise<Ack>;
  /**
   * Drops the browser's connection and answers its next hello with a new uaid: Firefox then drops
   * every subscription and fires `pushsubscriptionchange` in their service workers.
   */
  resetUaid(): void;
  /** Resolves with the channel of the browser's next registration. */
  nextRegistration(timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startMozillaPushService(): Promise<MozillaPushService> {
  const channels = new Map<string, string>();
  const acks: Ack[] = [];
  const refusals: string[] = [];
  const ackWaiters: ((a: Ack) => void)[] = [];
  let browser: WebSocket | undefined;
  let origin = '';
  let forceNewUaid = false;
  const registrationWaiters: ((channelID: string) => void)[] = [];

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const refuse = (status: number, reason: string): void => {
        refusals.push(`${status} ${reason}`);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: status, errno: 999, error: reason }));
      };
      const m = /^\/wpush\/([\w-]+)$/.exec(req.url ?? '');
      const channelID = m?.[1] ?? '';
      if (req.method !== 'POST' || m === null) return refuse(404, 'no such resource');
      if (!channels.has(channelID)) return refuse(410, 'unknown channel');
      if (req.headers['ttl'] === undefined) return refuse(400, 'TTL missing');
      const vapid = verifyVapid(req.headers.authorization, origin, Date.now());
      if (!vapid.ok) return refuse(vapid.status, vapid.reason);
      // Firefox sends the key as base64url with '=' padding.
      if (vapid.k !== channels.get(channelID)?.replace(/=+$/, '')) return refuse(403, 'k is not the key this subscription was made with');
      if (browser === undefined) return refuse(503, 'browser not connected');
      const version = randomUUID();
      const body = Buffer.concat(chunks);
      browser.send(JSON.stringify({ messageType: 'notification', channelID, version, data: body.toString('base64url'), headers: { encoding: String(req.headers['content-encoding'] ?? 'aes128gcm') } }));
      res.writeHead(201, { location: `${origin}/m/${version}`, ttl: String(req.headers['ttl']) });
      res.end();
    });
  });
  const wss = new WebSocketServer({ server: http, handleProtocols: (protocols) => (protocols.has('push-notification') ? 'push-notification' : false) });
  wss.on('connection', (ws) => {
    browser = ws;
    ws.on('message', (raw) => {
      const text = raw.toString();
      const msg = JSON.parse(text === '' ? '{}' : text) as Record<string, unknown>;
      switch (msg['messageType']) {
        case 'hello':
          ws.send(JSON.stringify({ messageType: 'hello', uaid: typeof msg['uaid'] === 'string' && msg['uaid'] !== '' && !forceNewUaid ? msg['uaid'] : randomBytes(16).toString('hex'), status: 200, use_webpush: true, broadcasts: {} }));
          if (forceNewUaid) {
            forceNewUaid = false;
            channels.clear();
          }
          return;
        case 'register': {
          const channelID = String(msg['channelID']);
          channels.set(channelID, String(msg['key'] ?? ''));
          ws.send(JSON.stringify({ messageType: 'register', channelID, status: 200, pushEndpoint: `${origin}/wpush/${channelID}` }));
          registrationWaiters.shift()?.(channelID);
          return;
        }
        case 'unregister':
          channels.delete(String(msg['channelID']));
          ws.send(JSON.stringify({ messageType: 'unregister', channelID: msg['channelID'], status: 200 }));
          return;
        case 'ack':
          for (const u of (msg['updates'] ?? []) as Ack[]) {
            acks.push(u);
            ackWaiters.shift()?.(u);
          }
          return;
        default:
          // Pings are `{}` both ways; nacks and broadcasts are not needed here.
          if (Object.keys(msg).length === 0) ws.send('{}');
      }
    });
    ws.on('close', () => {
      if (browser === ws) browser = undefined;
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    serverURL: `ws://127.0.0.1:${port}/`,
    origin,
    channels,
    acks,
    refusals,
    nextAck: (timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push ack within ${timeoutMs} ms`)), timeoutMs);
        ackWaiters.push((a) => (clearTimeout(timer), resolve(a)));
      }),
    resetUaid() {
      forceNewUaid = true;
      browser?.terminate();
    },
    nextRegistration: (timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push registration within ${timeoutMs} ms`)), timeoutMs);
        registrationWaiters.push((c) => (clearTimeout(timer), resolve(c)));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
