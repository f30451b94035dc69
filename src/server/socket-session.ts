/**
 * One open subscription socket: what `connections()` lists, and the ports its protocol
 * connection calls (send, close, authenticate, execute). Methods on a class, not closures: one
 * of these lives per open socket, so its fields are what an idle connection costs beyond `ws`.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Clock } from '../core/index.ts';
import type { AuthContext, AuthOutcome, AuthRequest } from '../auth/index.ts';
import type { ProtocolConnection, RealtimeService, TransportWsOptions } from '../realtime/index.ts';
import type { ExecutionOutcome, GraphqlRequest } from '../graphql/index.ts';
import type { AppServices } from './app-services.ts';
import type { WriteCoalescer } from './write-coalescing.ts';

/** A socket whose unsent bytes pass this bound is a slow consumer: it is closed, never buffered further. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Close code for a slow consumer: RFC 6455 "Try Again Later"; clients reconnect and resume. */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;

/** What every session of one handler shares. */
export interface SessionContext {
  readonly services: () => AppServices;
  readonly realtime: RealtimeService;
  readonly afterExecution: (outcome: ExecutionOutcome) => void;
  readonly clock: Clock;
  readonly coalescer: WriteCoalescer;
  /** Unsent bytes per socket before it counts as a slow consumer; default 8 MiB. */
  readonly maxBufferedBytes?: number;
}

/**
 * RFC 6455 §5.5: a close frame's body is at most 125 bytes, two of them the code. `ws` throws past
 * that, and a throw in a message listener would end the process: a longer reason (a 4409 names the
 * client's id) is cut to fit.
 */
const MAX_CLOSE_REASON_BYTES = 123;

export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = '';
  let bytes = 0;
  // By whole characters, so no UTF-8 sequence is split.
  for (const char of reason) {
    bytes += Buffer.byteLength(char);
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    cut += char;
  }
  return cut;
}

/** The socket's peer address, asked of the kernel (getpeername) only when someone reads it. */
export function peerAddress(socket: Duplex): string {
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

/** Authenticates a header object for a request on this socket (the connect, a start, a refresh). */
export function authenticateSocket(context: SessionContext, socket: Duplex, header: Readonly<Record<string, string>>, path: string, body: string): Promise<AuthOutcome> {
  return context.services().authenticator.authenticate(authRequestFor(header, path, body, socket));
}

export class SocketSession {
  connection: ProtocolConnection | undefined;
  /** Frames that arrived before the protocol connection existed (its upgrade credentials were being checked). */
  #pending: string[] | undefined;

  constructor(
    protected readonly context: SessionContext,
    readonly ws: WebSocket,
    /** The raw socket `ws` writes to (it holds it anyway): the coalescer's key, and the peer address. */
    readonly socket: Duplex,
    readonly id: string,
    readonly protocol: 'appsync' | 'transport-ws',
    readonly connectedAt: number,
    /** The upgrade request's headers (`ctx.request.headers` of what runs on this connection). */
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  send(frame: string): void {
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > (this.context.maxBufferedBytes ?? MAX_BUFFERED_BYTES)) {
      // Slow consumer: close rather than buffer without bound (the client reconnects and
      // resumes from its last offset); other sockets are never held back by this one.
      ws.close(SLOW_CONSUMER_CLOSE_CODE, 'slow consumer');
      return;
    }
    // This turn's frames to the socket leave in one write.
    this.context.coalescer.hold(this.socket);
    ws.send(frame);
    this.context.coalescer.written(this.socket);
  }

  /**
   * `undefined` while the socket takes writes, else a promise that settles once what was written
   * has gone to the kernel, or the socket closed. A resume's replay waits on it between frames:
   * it sends at the client's pace, so it never makes the client a slow consumer.
   */
  drained(): Promise<void> | undefined {
    const { ws, socket } = this;
    if (ws.readyState !== ws.OPEN || !socket.writableNeedDrain) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  close(code: number, reason: string): void {
    this.ws.close(code, closeReason(reason));
  }

  authenticateAt(header: Readonly<Record<string, string>>, path: string, body: string): Promise<AuthOutcome> {
    return authenticateSocket(this.context, this.socket, header, path, body);
  }

  receive(text: string): void {
    if (this.connection !== undefined) this.connection.receive(text);
    else (this.#pending ??= []).push(text);
  }

  /** Binds the protocol connection: frames that came before it are handed over in order. */
  attach(connection: ProtocolConnection): void {
    this.connection = connection;
    const pending = this.#pending;
    this.#pending = undefined;
    for (const text of pending ?? []) connection.receive(text);
    if (this.ws.readyState !== this.ws.OPEN) connection.closed();
  }
}

/** A graphql-transport-ws socket: the session is its protocol connection's options object. */
export class TransportWsSession extends SocketSession implements TransportWsOptions {
  /** Credentials of the upgrade request itself, used when `connection_init` carries none. */
  readonly #upgradeCredentials: Readonly<Record<string, string>> | undefined;

  constructor(context: SessionContext, ws: WebSocket, socket: Duplex, id: string, connectedAt: number, headers: Readonly<Record<string, string>>, upgradeCredentials: Readonly<Record<string, string>> | undefined) {
    super(context, ws, socket, id, 'transport-ws', connectedAt, headers);
    this.#upgradeCredentials = upgradeCredentials;
  }

  get realtime(): RealtimeService {
    return this.context.realtime;
  }

  get clock(): Clock {
    return this.context.clock;
  }

  /** The app's `api.subscriptions.maxPerConnection` (AppSync's 100 by default). */
  get maxSubscriptions(): number {
    return this.context.services().app.subscriptions.maxPerConnection;
  }

  authenticate(payload: Readonly<Record<string, string>>): Promise<AuthOutcome> {
    // Credentials from the init payload (`x-api-key`, or `authorization`: a JWT or SigV4), else
    // from the upgrade request's own headers: a payload of other connection params carries none.
    const carriesCredentials = payload['x-api-key'] !== undefined || payload['authorization'] !== undefined;
    const h = carriesCredentials ? payload : (this.#upgradeCredentials ?? {});
    return this.authenticateAt(h, '/graphql/connect', '{}');
  }

  operationType(request: GraphqlRequest): 'query' | 'mutation' | 'subscription' | undefined {
    return this.context.services().graphql.operationType(request);
  }

  async execute(request: GraphqlRequest, auth: AuthContext): Promise<ExecutionOutcome> {
    const outcome = await this.context.services().graphql.execute(request, { auth, headers: this.headers, domainName: null });
    this.context.afterExecution(outcome);
    return outcome;
  }
}
