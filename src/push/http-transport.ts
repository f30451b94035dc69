/**
 * POSTing push messages: `node:http`/`node:https` with keep-alive agents, so the connection (and
 * its TLS handshake) to a push service is reused across messages instead of paid per message.
 * The transport only moves bytes; `push-sender.ts` decides what a status means.
 *
 * Concurrency contract: requests run concurrently, at most `maxSockets` per push-service origin
 * (the rest queue in the agent); `close` destroys idle and open sockets.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PushRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
}

export interface PushResponse {
  readonly status: number;
  readonly retryAfter?: string;
  readonly location?: string;
  /** The first KB of the body (push services explain errors there). */
  readonly body: string;
}

export type PushTransport = (request: PushRequest) => Promise<PushResponse>;

export interface HttpTransportOptions {
  /** Sockets per origin; default 64. */
  readonly maxSockets?: number;
  /** Socket inactivity before a request fails; default 10 s. */
  readonly timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), e.g. a test push service's self-signed one. */
  readonly ca?: string | Buffer;
}

export interface HttpTransport {
  readonly send: PushTransport;
  close(): void;
}

const MAX_ERROR_BODY = 1024;

function readResponse(res: IncomingMessage, resolve: (r: PushResponse) => void): void {
  const status = res.statusCode ?? 0;
  const retryAfter = res.headers['retry-after'];
  const location = res.headers.location;
  const answer = (body: string): void => resolve({ status, body, ...(retryAfter !== undefined ? { retryAfter } : {}), ...(location !== undefined ? { location } : {}) });
  if (status >= 200 && status < 300) {
    // An accepted message's body means nothing: drained, not decoded (the socket is reused after 'end').
    res.on('end', () => answer(''));
    res.resume();
    return;
  }
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    if (body.length < MAX_ERROR_BODY) body += chunk.slice(0, MAX_ERROR_BODY - body.length);
  });
  res.on('end', () => answer(body));
}

/** What a request to one endpoint needs besides its headers and body, worked out once per `URL` object. */
interface Target {
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: string;
  readonly path: string;
  /** The `Host` header, as `http.request` would have written it. */
  readonly host: string;
}

function targetOf(url: URL): Target {
  return { secure: url.protocol === 'https:', hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname + url.search, host: url.host };
}

export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const common = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const http = new HttpAgent(common);
  const https = new HttpsAgent({ ...common, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const timeoutMs = options.timeoutMs ?? 10_000;

  // Subscriptions keep their `URL` (the registry decodes each once), so this is looked up, not parsed, per message.
  const targets = new WeakMap<URL, Target>();

  const send: PushTransport = (request) =>
    new Promise((resolve, reject) => {
      const { url } = request;
      let target = targets.get(url);
      if (target === undefined) {
        target = targetOf(url);
        targets.set(url, target);
      }
      // Raw header pairs: written once as given (and validated), without http's per-header bookkeeping.
      const headers: string[] = ['host', target.host];
      for (const name of Object.keys(request.headers)) headers.push(name, request.headers[name] as string);
      const req = (target.secure ? httpsRequest : httpRequest)(
        { method: 'POST', hostname: target.hostname, port: target.port, path: target.path, headers, agent: target.secure ? https : http },
        (res) => readResponse(res, resolve),
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url.origin} in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(request.body ?? undefined);
    });

  return {
    send,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
