/**
 * A TCP proxy for outage tests: the process under test connects to a service (NATS, PostgreSQL)
 * through it, and the test cuts every connection and refuses new ones (the service "vanishes", as
 * when it restarts), then restores it on the same port. The shared services of the machine are
 * never restarted themselves: other test files use them at the same time.
 */
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';

/** A TCP proxy to a server that can drop every connection and refuse new ones. */
export interface Proxy {
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Destroys every connection and stops listening: the node sees the server vanish. */
  cut(): Promise<void>;
  /** Holds every chunk client → server for `ms` before forwarding it, in order (0: none). */
  delay(ms: number): void;
  /** Forwards `bytes` more bytes client → server, then cuts (in the middle of whatever is in flight). */
  cutAfter(bytes: number): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let budget = Infinity;
  let delayMs = 0;
  let onBudgetSpent: (() => void) | undefined;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = tcpConnect(target);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    const forward = (chunk: Buffer): void => {
      if (chunk.length <= budget) {
        budget -= chunk.length;
        upstream.write(chunk);
        return;
      }
      upstream.write(chunk.subarray(0, budget), () => onBudgetSpent?.());
      budget = 0;
    };
    // Chunks wait in one queue, so they keep their order when the delay changes.
    const held: { at: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const release = (): void => {
      timer = undefined;
      while (held[0] !== undefined && held[0].at <= Date.now()) forward((held.shift() as { chunk: Buffer }).chunk);
      if (held[0] !== undefined) timer = setTimeout(release, held[0].at - Date.now());
    };
    client.on('data', (chunk: Buffer) => {
      held.push({ at: Date.now() + delayMs, chunk });
      if (timer === undefined) release();
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const cut = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      sockets.clear();
    });
    budget = Infinity;
  };
  return {
    port,
    accepted: () => accepted,
    delay(ms) {
      delayMs = ms;
    },
    cut,
    cutAfter(bytes) {
      budget = bytes;
      return new Promise<void>((resolve) => {
        onBudgetSpent = () => {
          onBudgetSpent = undefined;
          void cut().then(resolve);
        };
      });
    },
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => (server.listening ? cut() : Promise.resolve()),
  };
}

