/**
 * What the real Amplify JS v6 client needs to run unmodified in Node 20 against a Switchboard on
 * loopback (research/appsync.md §1.2, §10.2):
 *
 * - Node 20 has no global `WebSocket`; Amplify calls `new WebSocket(url, protocols)` on the global
 *   and checks `WebSocket.OPEN`. We install a subclass of the `ws` package's WebSocket.
 * - Amplify maps an `http://` GraphQL endpoint to `wss://…/graphql/realtime` (it never dials plain
 *   `ws://` for an http endpoint), so the subclass rewrites `wss://127.0.0.1:PORT` and
 *   `wss://localhost:PORT` to `ws://` — the only change between Amplify and the server. Nothing else
 *   in the URL, the offered subprotocols or the frames is touched.
 * - Every socket Amplify opens is recorded with the frames it received and sent, so tests can
 *   check what went over the wire.
 */
import WebSocket from 'ws';

export interface RecordedSocket {
  /** The URL Amplify asked for (before the wss → ws rewrite). */
  readonly requestedUrl: string;
  /** The URL actually dialled. */
  readonly url: string;
  readonly protocols: readonly string[];
  /** Parsed JSON frames received from the server, in order. */
  readonly received: any[];
  /** Parsed JSON frames Amplify sent, in order. */
  readonly sent: any[];
  readonly socket: WebSocket;
}

export const recordedSockets: RecordedSocket[] = [];

function toPlainWs(url: string): string {
  return url.replace(/^wss:\/\/(127\.0\.0\.1|localhost)(:\d+)/, 'ws://$1$2');
}

function parse(data: unknown): unknown {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `ws` WebSocket, but dialling `ws://` for a loopback `wss://` URL and recording frames. */
export class LoopbackWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    const requestedUrl = String(address);
    const url = toPlainWs(requestedUrl);
    super(url, protocols);
    const record: RecordedSocket = {
      requestedUrl,
      url,
      protocols: protocols === undefined ? [] : Array.isArray(protocols) ? protocols : [protocols],
      received: [],
      sent: [],
      socket: this,
    };
    recordedSockets.push(record);
    // Registered in the constructor, before Amplify assigns `onmessage`, so it sees every frame.
    this.on('message', (data) => record.received.push(parse(data)));
    const send = this.send.bind(this) as (data: unknown, ...rest: unknown[]) => void;
    (this as { send: unknown }).send = (data: unknown, ...rest: unknown[]) => {
      record.sent.push(parse(data));
      send(data, ...rest);
    };
  }
}

let previous: { had: boolean; value: unknown } | undefined;

/** Install `LoopbackWebSocket` as `globalThis.WebSocket`; returns the function that restores the old one. */
export function installAmplifyWebSocket(): () => void {
  const g = globalThis as { WebSocket?: unknown };
  previous = { had: 'WebSocket' in g, value: g.WebSocket };
  g.WebSocket = LoopbackWebSocket;
  return () => {
    if (!previous) return;
    if (previous.had) g.WebSocket = previous.value;
    else delete g.WebSocket;
    previous = undefined;
  };
}

/** Poll `condition` every 20 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
