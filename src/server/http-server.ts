/**
 * The one HTTP server. It owns sockets, body limits, request ids, per-request logs and metrics,
 * and graceful shutdown; routes are transport-neutral handlers (`HttpRequest` -> `HttpResponse`)
 * so domain code never sees `node:http`.
 *
 * Concurrency contract: handlers run concurrently on the event loop; `close()` stops accepting,
 * waits for in-flight requests to finish (up to `drainMs`), then closes idle keep-alive sockets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { copyOf, merged, type Logger } from '../core/index.ts';
import { readBody } from './body.ts';
import type { MetricsRegistry } from './metrics.ts';

export interface HttpRequest {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  /** Path plus query string, as sent. */
  readonly rawPath: string;
  readonly searchParams: URLSearchParams;
  /** Lower-cased names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** `null` for GET/HEAD. */
  readonly body: string | null;
  readonly sourceIp: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type RouteHandler = (req: HttpRequest) => Promise<HttpResponse> | HttpResponse;

export interface Route {
  readonly method: string | readonly string[];
  /** Exact path, or a prefix ending in `*` (`/console/*`). */
  readonly path: string;
  readonly handler: RouteHandler;
  /** Body limit for this route in bytes; default the server's. */
  readonly maxBodyBytes?: number;
  /** Skip the per-request log line (health checks, metrics scrapes). */
  readonly quiet?: boolean;
  /**
   * Callable from pages of any origin, as AppSync's endpoints are: responses carry
   * `access-control-allow-origin: *` and `OPTIONS` preflights are answered (credentials travel in
   * headers, never cookies, so `*` is safe).
   */
  readonly cors?: boolean;
}

export interface HttpServerOptions {
  readonly routes: readonly Route[];
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly maxBodyBytes: number;
  /** Answer for a body over the limit (the surface's own error shape). */
  readonly tooLarge: (req: Omit<HttpRequest, 'body'>) => HttpResponse;
  readonly notFound?: (req: HttpRequest) => HttpResponse;
  /** WebSocket upgrades (subscriptions); without it upgrades are refused. */
  readonly upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  readonly inFlight: () => number;
  /** Open TCP connections (keep-alive included). */
  readonly connections: () => number;
  close(drainMs?: number): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' } as const;

export function createHttpServer(options: HttpServerOptions): Server & { switchboard: { inFlight: () => number; drain: (ms: number) => Promise<void> } } {
  const { logger, metrics } = options;
  const requests = metrics.counter('switchboard_http_requests_total', 'HTTP requests by route and status class.');
  const errors = metrics.counter('switchboard_http_errors_total', 'HTTP responses with status >= 500, or handler failures.');
  const latency = metrics.histogram('switchboard_http_request_duration_seconds', 'HTTP request latency by route.');
  // method → path → route: two lookups, no string built per request.
  const exact = new Map<string, Map<string, Route>>();
  const prefixes: Route[] = [];
  for (const route of options.routes) {
    const methods = typeof route.method === 'string' ? [route.method] : route.method;
    if (route.path.endsWith('*')) prefixes.push(route);
    else for (const m of methods) exact.set(m, (exact.get(m) ?? new Map<string, Route>()).set(route.path, route));
  }
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const find = (method: string, path: string): Route | undefined => {
    const hit = exact.get(method)?.get(path);
    if (hit !== undefined) return hit;
    // The longest matching prefix wins (`/console/*` before `/*`), whatever the declaration order.
    let best: Route | undefined;
    for (const r of prefixes) {
      const methods = typeof r.method === 'string' ? [r.method] : r.method;
      if (methods.includes(method) && path.startsWith(r.path.slice(0, -1)) && (best === undefined || r.path.length > best.path.length)) best = r;
    }
    return best;
  };

  /** A CORS route at this path, for any method (the preflight asks before the real request). */
  const preflightRoute = (path: string): Route | undefined => {
    for (const m of ['POST', 'GET', 'PUT', 'DELETE']) {
      const r = find(m, path);
      if (r?.cors === true) return r;
    }
    return undefined;
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    const started = performance.now();
    void handle(req, res)
      .catch((error: unknown) => {
        logger.log('error', 'http handler failed', { error });
        errors.inc();
        if (!res.headersSent) send(res, { status: 500, headers: JSON_HEADERS, body: JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: 'An internal error occurred.' }] }) });
      })
      .finally(() => {
        inFlight--;
        const seconds = (performance.now() - started) / 1000;
        latency.observe(seconds);
        if (inFlight === 0 && drained !== undefined) drained();
      });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = randomUUID();
    const rawPath = req.url ?? '/';
    const q = rawPath.indexOf('?');
    const path = q === -1 ? rawPath : rawPath.slice(0, q);
    const method = req.method ?? 'GET';
    // Node already lower-cases names and joins repeated headers with ", " (except set-cookie,
    // which requests do not carry), so the object is used as is, without a copy per request.
    const headers = req.headers as Readonly<Record<string, string>>;
    const sourceIp = req.socket.remoteAddress ?? '';
    const head = new IncomingRequest(id, method, path, rawPath, q, headers, sourceIp);
    const route = method === 'OPTIONS' ? preflightRoute(path) : find(method, path);
    let response: HttpResponse;
    if (method === 'OPTIONS' && route !== undefined) {
      req.resume();
      response = PREFLIGHT;
    } else if (route === undefined) {
      req.resume();
      response = options.notFound?.(head.withBody(null)) ?? { status: 404, headers: JSON_HEADERS, body: JSON.stringify({ message: 'Not Found' }) };
    } else if (method === 'GET' || method === 'HEAD') {
      req.resume();
      response = await route.handler(head.withBody(null));
    } else {
      const body = await readBody(req, route.maxBodyBytes ?? options.maxBodyBytes);
      if (!body.ok) {
        if (body.reason === 'aborted') return;
        response = options.tooLarge(head);
        res.setHeader('connection', 'close');
      } else {
        response = await route.handler(head.withBody(body.body));
      }
    }
    send(res, route?.cors === true ? withCors(response) : response, id);
    const status = response.status;
    requests.inc({ route: route?.path ?? 'unmatched', status: `${Math.floor(status / 100)}xx` });
    if (status >= 500) errors.inc();
    if (route?.quiet !== true && logger.enabled?.('info') !== false) logger.log('info', 'http', { requestId: id, method, path, status });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (options.upgrade === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    options.upgrade(req, socket, head);
  });

  const extended = Object.assign(server, {
    switchboard: {
      inFlight: () => inFlight,
      drain: (ms: number) =>
        new Promise<void>((resolve) => {
          if (inFlight === 0) return resolve();
          const timer = setTimeout(resolve, ms);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        }),
    },
  });
  return extended;
}

/**
 * One request as handlers see it. A class, so every request has the same shape (fast property
 * access) and the query string is parsed only if a handler asks for it.
 */
class IncomingRequest implements HttpRequest {
  #searchParams: URLSearchParams | undefined;
  body: string | null = null;
  constructor(
    readonly id: string,
    readonly method: string,
    readonly path: string,
    readonly rawPath: string,
    private readonly queryAt: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly sourceIp: string,
  ) {}

  get searchParams(): URLSearchParams {
    this.#searchParams ??= new URLSearchParams(this.queryAt === -1 ? '' : this.rawPath.slice(this.queryAt + 1));
    return this.#searchParams;
  }

  withBody(body: string | null): this {
    this.body = body;
    return this;
  }
}

const ALLOW_ORIGIN = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype' } as const;
const PREFLIGHT: HttpResponse = {
  status: 204,
  headers: merged(ALLOW_ORIGIN, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256, x-amz-target',
    'access-control-max-age': '86400',
  }),
  body: '',
};

function withCors(response: HttpResponse): HttpResponse {
  return merged(response, { headers: merged(response.headers, ALLOW_ORIGIN) });
}

function send(res: ServerResponse, response: HttpResponse, requestId?: string): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = copyOf(response.headers ?? {});
  if (requestId !== undefined) headers['x-amzn-requestid'] = requestId;
  // An explicit length: without it `writeHead` commits to chunked encoding, which costs an extra
  // write vector and framing bytes on every response.
  headers['content-length'] = typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length;
  res.writeHead(response.status, headers);
  res.end(response.body);
}

/** Starts listening; resolves with the bound port (pass port 0 for an ephemeral one). */
export function listen(server: ReturnType<typeof createHttpServer>, port: number, host: string): Promise<RunningHttpServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        host,
        inFlight: server.switchboard.inFlight,
        connections: () => sockets.size,
        async close(drainMs = 10_000) {
          const closed = new Promise<void>((r) => server.close(() => r()));
          server.closeIdleConnections();
          await server.switchboard.drain(drainMs);
          server.closeIdleConnections();
          for (const s of sockets) s.destroy();
          await closed;
        },
      });
    });
  });
}
