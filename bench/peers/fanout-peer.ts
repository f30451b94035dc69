/**
 * Peers for bench/fanout, each serving graphql-transport-ws on /graphql and `POST /publish`:
 * - `graphql-ws`: the protocol's reference server (`graphql-ws/use/ws`) over graphql-js
 *   `subscribe`, with an in-memory pub/sub filtered by the `id` argument — how people build it
 *   (its keep-alive pings off, see below);
 * - `bare`: a `ws` server that writes one precomputed frame to every socket: the ceiling.
 * Usage: node --import ./bin/typescript-loader.mjs bench/peers/fanout-peer.ts <graphql-ws|bare> <port>
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);
const server = createServer();
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });

type Listener = (payload: Record<string, unknown>) => void;
const listeners = new Set<Listener>();
const sockets = new Set<WebSocket>();

if (kind === 'graphql-ws') {
  const schema = buildSchema(`
    enum OrderStatus { PENDING PAID PREPARING OUT_FOR_DELIVERY DELIVERED CANCELLED }
    type OrderUpdated { id: ID! status: OrderStatus! updatedAt: String! }
    type Query { _empty: String }
    type Subscription { onOrderUpdated(id: ID!): OrderUpdated }
  `);
  const roots = {
    onOrderUpdated: ({ id }: { id: string }) => {
      // An async iterator per subscriber over the shared pub/sub, filtered by id.
      const queue: Record<string, unknown>[] = [];
      let wake: (() => void) | undefined;
      const listener: Listener = (p) => {
        if (p['id'] !== id) return;
        queue.push(p);
        wake?.();
      };
      listeners.add(listener);
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next(): Promise<IteratorResult<unknown>> {
          while (queue.length === 0) await new Promise<void>((r) => (wake = r));
          return { value: { onOrderUpdated: queue.shift() }, done: false };
        },
        async return(): Promise<IteratorResult<unknown>> {
          listeners.delete(listener);
          return { value: undefined, done: true };
        },
      };
    },
  };
  // Its keep-alive is off (0): by default it pings every 12 s and terminates a socket whose pong
  // has not been read 12 s later. At 10,000 subscribers a burst of 50 events keeps its event loop
  // busy for 22-29 s, and one bench run waited 120 s for deliveries to sockets it had (most likely)
  // dropped. Switchboard sends no pings on graphql-transport-ws either, and with the servers measured
  // in alternation the pings of 10,000 idle sockets would run beside the other servers' figures.
  useServer({ schema, roots: { subscription: roots } }, wss, 0);
} else {
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string };
      if (msg.type === 'connection_init') ws.send('{"type":"connection_ack"}');
    });
  });
}

server.on('request', (req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const payload = JSON.parse(body) as Record<string, unknown>;
    if (kind === 'graphql-ws') {
      for (const l of listeners) l(payload);
    } else {
      const frame = `{"id":"1","type":"next","payload":{"data":{"onOrderUpdated":${JSON.stringify(payload)}}}}`;
      for (const ws of sockets) ws.send(frame);
    }
    res.end('{"ok":true}');
  });
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
// An orderly exit on SIGTERM, so that a CPU profile (BENCH_PROFILE_DIR) gets written.
process.on('SIGTERM', () => process.exit(0));
