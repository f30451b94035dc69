/**
 * HTTP: `{method, resourcePath, params: {query, headers, body}}` sent to the configured endpoint;
 * `ctx.result` is `{statusCode, headers, body}` with the body as text, as AppSync gives it.
 * Optional SigV4 signing with a configured access key (seed 004 signs EventBridge calls).
 */
import { DataSourceError, type DataSource } from '../types.ts';

export interface HttpDataSourceOptions {
  readonly endpoint: string;
  /** Signs the outgoing request (method, url, headers, body) and returns the headers to send. */
  readonly sign?: (request: { method: string; url: URL; headers: Record<string, string>; body: string }) => Record<string, string>;
  readonly timeoutMs?: number;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

export function createHttpDataSource(options: HttpDataSourceOptions): DataSource {
  return {
    type: 'HTTP',
    async invoke(request) {
      const req = (request ?? {}) as { method?: unknown; resourcePath?: unknown; params?: { query?: Record<string, unknown>; headers?: Record<string, unknown>; body?: unknown } };
      const method = typeof req.method === 'string' ? req.method.toUpperCase() : 'GET';
      if (!METHODS.has(method)) throw new DataSourceError('BadRequestException', `Unsupported HTTP method '${String(req.method)}'`);
      const path = typeof req.resourcePath === 'string' ? req.resourcePath : '/';
      const url = new URL(path, options.endpoint);
      for (const [k, v] of Object.entries(req.params?.query ?? {})) url.searchParams.append(k, String(v));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.params?.headers ?? {})) headers[k.toLowerCase()] = String(v);
      const bodyValue = req.params?.body;
      const body = bodyValue === undefined || bodyValue === null ? '' : typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue);
      const signed = options.sign ? options.sign({ method, url, headers, body }) : headers;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: signed,
          ...(body !== '' && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new DataSourceError('HttpError', `HTTP request to ${url.origin} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        responseHeaders[k] = v;
      });
      return { statusCode: response.status, headers: responseHeaders, body: await response.text() };
    },
  };
}
