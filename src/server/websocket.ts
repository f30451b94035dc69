/**
 * WebSocket upgrades: picks the protocol from the path and the offered subprotocols, recovers the
 * AppSync connection credentials (query parameter `header`, a `header-<base64url>` subprotocol, or
 * the upgrade's own headers), and binds a `ws` socket to a protocol state machine from
 * `realtime/`. Only this file touches sockets for subscriptions.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock, Logger } from '../core/index.ts';
import type { AuthContext, AuthRequest } from '../auth/index.ts';
import { createAppSyncConnection, createTransportWsConnection, type ConnectionDescription, type ProtocolConnection, type RealtimeService } from '../realtime/index.ts';
import type { ExecutionOutcome } from '../graphql/index.ts';
import type { AppServices } from './app-services.ts';
import type { MetricsRegistry } from './metrics.ts';
import { createWriteCoalescer } from './write-coalescing.ts';

export interface WebSocketDeps {
  readonly services: () => AppServices;
  readonly realtime: RealtimeService;
  readonly afterExecution: (outcome: ExecutionOutcome) => void;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly keepAliveMs?: number;
  /** Unsent bytes per socket before it counts as a slow consumer; default 8 MiB. */
  readonly maxBufferedBytes?: number;
}

/** A socket whose unsent bytes pass this bound is a slow consumer: it is closed, never buffered further. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Close code for a slow consumer: RFC 6455 "Try Again Later"; clients reconnect and resume. */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

function decodeHeaderObject(encoded: string, urlSafe: boolean): Record<string, string> | undefined {
  try {
    const text = Buffer.from(urlSafe ? encoded : encoded.replace(/ /g, '+'), urlSafe ? 'base64url' : 'base64').toString('utf8');
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k.toLowerCase()] = v;
    return out;
  } catch {
    return undefined;
  }
}

/** The AppSync header object of an upgrade request, in the three documented places. */
export function connectionHeaderObject(req: IncomingMessage, protocols: readonly string[]): Record<string, string> | undefined {
  const sub = protocols.find((p) => p.startsWith('header-'));
  if (sub !== undefined) return decodeHeaderObject(sub.slice('header-'.length), true);
  const rawQuery = (req.url ?? '').split('?')[1] ?? '';
  for (const part of rawQuery.split('&')) {
    const [name, value] = part.split('=', 2) as [string, string | undefined];
    // Old clients send standard base64 without URL-encoding it: read the raw text.
    if (name === 'header' && value !== undefined) return decodeHeaderObject(decodeURIComponent(value.replace(/\+/g, '%2B')), false);
  }
  const h = req.headers;
  if (typeof h['x-api-key'] === 'string' || typeof h['authorization'] === 'string') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (typeof v === 'string') out[k] = v;
    return out;
  }
  return undefined;
}

/** The socket's peer address, asked of the kernel (getpeername) only when someone reads it. */
function peerAddress(socket: Duplex): string {
  return (socket as Partial<Socket>).remoteAddress ?? '';
}

function authRequestFor(header: Readonly<Record<string, string>>, path: string, body: string, socket: Duplex): AuthRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(header)) headers[k.toLowerCase()] = v;
  return {
    method: 'POST',
    path,
    headers,
    body,
    // Only IAM and Cognito identities carry it: an API key connection never pays for the call.
    get sourceIp() {
      return peerAddress(socket);
    },
  };
}

/** One open socket as introspection (the console) sees it: a snapshot, built only when asked. */
export interface LiveConnectionInfo extends ConnectionDescription {
  readonly id: string;
  readonly protocol: 'appsync' | 'transport-ws';
  /** ms since the epoch. */
  readonly connectedAt: number;
  readonly sourceIp: string;
}

export interface WebSocketHandler {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections with their subscriptions, read-only; costs nothing until called. */
  connections(): readonly LiveConnectionInfo[];
  close(): void;
}

/** What is kept per open socket for `connections()`: a few fields, no closures over the request. */
interface LiveEntry {
  readonly id: string;
  readonly protocol: 'appsync' | 'transport-ws';
  readonly connectedAt: number;
  /** The raw socket (`ws` holds it anyway): its peer address is read only for `connections()`. */
  readonly socket: Duplex;
  connection: ProtocolConnection | undefined;
}

export function createWebSocketHandler(deps: WebSocketDeps): WebSocketHandler {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
  });
  const connections = deps.metrics.gauge('switchboard_websocket_connections', 'Open WebSocket connections by protocol.');
  const connectionsOf = { appsync: connections.series({ protocol: 'appsync' }), 'transport-ws': connections.series({ protocol: 'transport-ws' }) };
  const live = new Map<WebSocket, LiveEntry>();
  const coalescer = createWriteCoalescer();
  let nextId = 0;

  function refuse(socket: Duplex, status: number, message: string): void {
    const body = JSON.stringify({ errors: [{ errorType: status === 401 ? 'UnauthorizedException' : 'BadRequestException', message }] });
    socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }

  return {
    upgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      // AppSync's dialect wherever `graphql-ws` is offered; the standard protocol on /graphql.
      const protocol = offered.includes('graphql-ws') && (path === '/graphql/realtime' || path === '/graphql') ? 'appsync' : offered.includes('graphql-transport-ws') && path === '/graphql' ? 'transport-ws' : undefined;
      if (protocol === undefined) {
        refuse(socket, 400, 'SubProtocolNotSupportedError');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const authenticate = (h: Readonly<Record<string, string>>, reqPath: string, body: string) => deps.services().authenticator.authenticate(authRequestFor(h, reqPath, body, socket));
      const upgradeHeader = connectionHeaderObject(req, protocol === 'appsync' ? offered : []);
      // Nothing below may capture `req`: an IncomingMessage per idle socket is kilobytes.
      const upgradeCredentials = protocol === 'transport-ws' ? upgradeHeader : undefined;
      const connectionAuth: Promise<AuthContext | { error: string }> =
        protocol === 'transport-ws'
          ? Promise.resolve({ error: 'not used' })
          : upgradeHeader === undefined
            ? Promise.resolve({ error: 'You are not authorized to make this call.' })
            : authenticate(upgradeHeader, '/graphql/connect', '{}').then((o) => (o.ok ? o.auth : { error: o.message }));
      wss.handleUpgrade(req, socket, head, (ws) => {
        const entry: LiveEntry = { id: `ws-${++nextId}`, protocol, connectedAt: deps.clock.now(), socket, connection: undefined };
        live.set(ws, entry);
        connectionsOf[protocol].inc();
        let connection: ProtocolConnection | undefined;
        const pending: string[] = [];
        ws.on('message', (data, isBinary) => {
          const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
          if (connection === undefined) pending.push(text);
          else connection.receive(text);
        });
        ws.on('close', () => {
          live.delete(ws);
          connectionsOf[protocol].dec();
          connection?.closed();
        });
        ws.on('error', () => ws.terminate());
        const send = (frame: string): void => {
          if (ws.readyState !== ws.OPEN) return;
          if (ws.bufferedAmount > (deps.maxBufferedBytes ?? MAX_BUFFERED_BYTES)) {
            // Slow consumer: close rather than buffer without bound (the client reconnects and
            // resumes from its last offset); other sockets are never held back by this one.
            ws.close(SLOW_CONSUMER_CLOSE_CODE, 'slow consumer');
            return;
          }
          // `socket` is the one `ws` writes to: this turn's frames leave in one write.
          coalescer.hold(socket);
          ws.send(frame);
          coalescer.written(socket);
        };
        const close = (code: number, reason: string): void => ws.close(code, reason);
        void connectionAuth.then((auth) => {
          if (protocol === 'appsync') {
            connection = createAppSyncConnection({
              realtime: deps.realtime,
              clock: deps.clock,
              connectionAuth: auth,
              headers,
              ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
              authenticateConnection: async (h) => {
                const o = await authenticate(h, '/graphql/connect', '{}');
                return o.ok ? o : { ok: false, message: o.message };
              },
              authenticateStart: async (h, data) => {
                const o = await authenticate(h, '/graphql', data);
                return o.ok ? o : { ok: false, message: o.message };
              },
              send,
              close,
            });
          } else {
            connection = createTransportWsConnection({
              realtime: deps.realtime,
              clock: deps.clock,
              headers,
              authenticate: async (payload) => {
                // Credentials from the init payload, else from the upgrade request's own headers.
                const h = Object.keys(payload).length > 0 ? payload : (upgradeCredentials ?? {});
                const o = await authenticate(h, '/graphql/connect', '{}');
                return o.ok ? o : { ok: false, message: o.message };
              },
              operationType: (request) => deps.services().graphql.operationType(request),
              execute: async (request, auth) => {
                const outcome = await deps.services().graphql.execute(request, { auth, headers, domainName: null });
                deps.afterExecution(outcome);
                return outcome;
              },
              send,
              close,
            });
          }
          entry.connection = connection;
          for (const text of pending.splice(0)) connection.receive(text);
          if (ws.readyState !== ws.OPEN) connection.closed();
        });
      });
    },
    connections() {
      const out: LiveConnectionInfo[] = [];
      for (const e of live.values()) {
        const described = e.connection?.describe() ?? { authMode: null, subscriptions: [] };
        out.push({ id: e.id, protocol: e.protocol, connectedAt: e.connectedAt, sourceIp: peerAddress(e.socket), ...described });
      }
      return out;
    },
    close() {
      for (const ws of live.keys()) ws.terminate();
      wss.close();
    },
  };
}
