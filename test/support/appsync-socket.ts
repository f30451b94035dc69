/**
 * A raw AppSync real-time connection for tests that are not about the handshake: the header object
 * (`host` and the credentials) in the `header-` subprotocol, `connection_init` answered by
 * `connection_ack`, and each `start` carrying the same header object in its extensions.
 * Tests of the protocol's own rules (appsync-protocol, appsync-auth-modes) write their frames out.
 */
import assert from 'node:assert/strict';
import { connectRaw, headerProtocol, type RawClient } from './ws-client.ts';

export interface StartOptions {
  readonly variables?: Record<string, unknown>;
  /** More of the start's `extensions` beside `authorization` (`resumeFrom`). */
  readonly extensions?: Record<string, unknown>;
}

export interface AppsyncSocket extends RawClient {
  /** The header object the connection was opened with. */
  readonly auth: Readonly<Record<string, string>>;
  /** Sends `start` for `query` and answers the first `start_ack` or `error` frame of `id`. */
  start(id: string, query: string, options?: StartOptions): Promise<any>;
  /** `start`, failing with the server's error frame unless it is acknowledged. */
  subscribe(id: string, query: string, options?: StartOptions): Promise<void>;
}

/** An acknowledged connection to `<baseUrl>/graphql/realtime`, `credentials` as `{'x-api-key': ...}` or `{Authorization: ...}`. */
export async function appsyncConnect(baseUrl: string, credentials: Readonly<Record<string, string>>): Promise<AppsyncSocket> {
  const auth = { host: new URL(baseUrl).host, ...credentials };
  const raw = await connectRaw(`${baseUrl.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol(auth)]);
  raw.send({ type: 'connection_init' });
  await raw.next((f) => f.type === 'connection_ack');
  const start = (id: string, query: string, options: StartOptions = {}): Promise<any> => {
    const data = JSON.stringify(options.variables === undefined ? { query } : { query, variables: options.variables });
    raw.send({ id, type: 'start', payload: { data, extensions: { authorization: auth, ...options.extensions } } });
    return raw.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'));
  };
  return Object.assign(raw, {
    auth,
    start,
    async subscribe(id: string, query: string, options?: StartOptions): Promise<void> {
      const answer = await start(id, query, options);
      assert.equal(answer.type, 'start_ack', JSON.stringify(answer));
    },
  });
}

/** A connection with one live subscription, `id` `s` unless given. */
export async function appsyncSubscriber(baseUrl: string, credentials: Readonly<Record<string, string>>, query: string, options: StartOptions & { readonly id?: string } = {}): Promise<AppsyncSocket> {
  const socket = await appsyncConnect(baseUrl, credentials);
  await socket.subscribe(options.id ?? 's', query, options);
  return socket;
}
