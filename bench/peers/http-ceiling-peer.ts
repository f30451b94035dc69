/**
 * The ceiling of bench/http-mutation: node:http reading each request body, parsing it as JSON and
 * answering a fixed result, with no GraphQL, no auth and no storage. No GraphQL server on Node's
 * HTTP stack can serve more requests per second than this on the same machine; the bench prints
 * it beside the peers so that goals can be read against it.
 *
 * Run: node --import ./bin/typescript-loader.mjs bench/peers/http-ceiling-peer.ts <port>
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) throw new Error('usage: http-ceiling-peer <port>');
const answer = JSON.stringify({ data: { result: { id: 'order-1', status: 'PAID', updatedAt: '2026-01-01T00:00:00.000Z' } } });

createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    try {
      JSON.parse(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(port, '127.0.0.1', () => console.log('ready'));
