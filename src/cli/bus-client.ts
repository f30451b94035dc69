/**
 * Calls a running Switchboard's event-bus API (AWS JSON 1.1 on `POST /`), SigV4-signed with an
 * access key, as `switchboard dlq` and `switchboard trace` do. Errors come back as `{__type,
 * message}` and are thrown as `BusCallError`.
 */
import { signSigV4 } from '../auth/index.ts';

export interface BusCallTarget {
  readonly url: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region?: string;
}

export class BusCallError extends Error {
  override readonly name = 'BusCallError';
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(`${type}: ${message}`);
  }
}

/** `operation` is `AWSEvents.<Op>` or `SwitchboardEvents.<Op>`. */
export async function callBusApi(to: BusCallTarget, operation: string, input: object): Promise<Record<string, unknown>> {
  const body = JSON.stringify(input);
  const url = new URL('/', to.url);
  const signed = signSigV4({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': operation },
    body,
    credentials: to.credentials,
    region: to.region ?? 'us-east-1',
    service: 'events',
    now: Date.now(),
  });
  // `host` is a forbidden fetch header; fetch sends the same value itself.
  const { host: _host, ...headers } = signed;
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new BusCallError('InvalidResponse', text.slice(0, 200), res.status);
  }
  if (res.status !== 200) throw new BusCallError(String(json['__type'] ?? 'Error'), String(json['message'] ?? text), res.status);
  return json;
}
