/** A raw WebSocket client for protocol tests: collects frames and waits for the next matching one. */
import WebSocket from 'ws';

export interface RawClient {
  readonly ws: WebSocket;
  send(value: unknown): void;
  next(predicate?: (frame: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Frames received and not yet taken by `next`. */
  readonly pending: any[];
  closed(): Promise<{ code: number; reason: string }>;
}

export function connectRaw(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<RawClient> {
  const ws = new WebSocket(url, protocols, { headers });
  const pending: any[] = [];
  const waiters: { predicate: (f: any) => boolean; resolve: (f: any) => void }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const i = waiters.findIndex((w) => w.predicate(frame));
    if (i >= 0) {
      const [w] = waiters.splice(i, 1);
      w?.resolve(frame);
    } else pending.push(frame);
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    ws.once('open', () => {
      // From now on a socket error (a reset by a killed server) shows as the close, not as an
      // unhandled 'error' event that would end the test process.
      ws.on('error', () => undefined);
      resolve({
        ws,
        pending,
        send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
        next(predicate = () => true, timeoutMs = 5000) {
          const i = pending.findIndex(predicate);
          if (i >= 0) return Promise.resolve(pending.splice(i, 1)[0]);
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`no matching frame within ${timeoutMs} ms; pending: ${JSON.stringify(pending)}`)), timeoutMs);
            waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), res(f)) });
          });
        },
        closed: () => closed,
      });
    });
  });
}

export function headerProtocol(header: Record<string, string>): string {
  return `header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`;
}
