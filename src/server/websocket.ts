/**
 * WebSocket upgrades: picks the protocol from the path and the offered subprotocols, recovers the
 * AppSync connection credentials (query parameter `header`, a `header-<base64url>` subprotocol, or
 * the upgrade's own headers), and binds a `ws` socket to a protocol state machine from
 * `realtime/` through a session (`socket-session.ts`). Only these two files touch sockets for
 * subscriptions.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../core/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { createAppSyncConnection, createTransportWsConnection, type ConnectionDescription } from '../realtime/index.ts';
import type { MetricsRegistry } from './metrics.ts';
import { createWriteCoalescer } from './write-coalescing.ts';
import { authenticateSocket, peerAddress, SocketSession, TransportWsSession, type SessionContext } from './socket-session.ts';

/** What the sessions share (services, realtime, clock, the slow-consumer bound), and more. */
export interface WebSocketDeps extends Omit<SessionContext, 'coalescer'> {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly keepAliveMs?: number;
}

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

export function createWebSocketHandler(deps: WebSocketDeps): WebSocketHandler {
  const wss = new WebSocketServer({
    noServer: true,
    // `live` below is the list of open sockets; ws's own (a Set entry and a close listener per socket) would be a second one.
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
  });
  const connections = deps.metrics.gauge('switchboard_websocket_connections', 'Open WebSocket connections by protocol.');
  const connectionsOf = { appsync: connections.series({ protocol: 'appsync' }), 'transport-ws': connections.series({ protocol: 'transport-ws' }) };
  const live = new Map<WebSocket, SocketSession>();
  const context: SessionContext = { ...deps, coalescer: createWriteCoalescer() };
  let nextId = 0;

  // One listener of each kind for every socket (`this` is the socket), not closures per socket.
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    live.get(this)?.receive(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString());
  }
  function onClose(this: WebSocket): void {
    const session = live.get(this);
    if (session === undefined) return;
    live.delete(this);
    connectionsOf[session.protocol].dec();
    session.connection?.closed();
  }
  function onError(this: WebSocket): void {
    this.terminate();
  }

  function refuse(socket: Duplex, status: number, message: string): void {
    const body = JSON.stringify({ errors: [{ errorType: status === 401 ? 'UnauthorizedException' : 'BadRequestException', message }] });
    socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }

  function opened(ws: WebSocket, session: SocketSession): void {
    live.set(ws, session);
    connectionsOf[session.protocol].inc();
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
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
      const upgradeHeader = connectionHeaderObject(req, protocol === 'appsync' ? offered : []);
      // Nothing below may capture `req`: an IncomingMessage per idle socket is kilobytes.
      if (protocol === 'transport-ws') {
        wss.handleUpgrade(req, socket, head, (ws) => {
          const session = new TransportWsSession(context, ws, socket, `ws-${++nextId}`, deps.clock.now(), headers, upgradeHeader);
          opened(ws, session);
          session.attach(createTransportWsConnection(session));
        });
        return;
      }
      // AppSync: the upgrade's own credentials are checked while the handshake completes.
      const connectionAuth: Promise<AuthContext | { error: string }> =
        upgradeHeader === undefined
          ? Promise.resolve({ error: 'You are not authorized to make this call.' })
          : authenticateSocket(context, socket, upgradeHeader, '/graphql/connect', '{}').then((o) => (o.ok ? o.auth : { error: o.message }));
      wss.handleUpgrade(req, socket, head, (ws) => {
        const session = new SocketSession(context, ws, socket, `ws-${++nextId}`, 'appsync', deps.clock.now(), headers);
        opened(ws, session);
        void connectionAuth.then((auth) => {
          session.attach(
            createAppSyncConnection({
              realtime: deps.realtime,
              clock: deps.clock,
              connectionAuth: auth,
              headers,
              maxSubscriptions: context.services().app.subscriptions.maxPerConnection,
              ...(deps.keepAliveMs !== undefined ? { keepAliveMs: deps.keepAliveMs } : {}),
              authenticateConnection: (h) => session.authenticateAt(h, '/graphql/connect', '{}'),
              authenticateStart: (h, data) => session.authenticateAt(h, '/graphql', data),
              send: (frame) => session.send(frame),
              drained: () => session.drained(),
              close: (code, reason) => session.close(code, reason),
            }),
          );
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
