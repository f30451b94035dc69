/**
 * HTTP: the request object is sent to the configured endpoint (method, path, query, headers,
 * body) and `ctx.result` is `{statusCode, headers, body}` with the body as text. Checked against a
 * real `node:http` server on loopback, through the resolver runtime.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSourceError } from '../../src/resolvers/index.ts';
import { app, code, field, openStorage, rejection, runtimeFor } from './fixtures/harness.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const storage = openStorage({});
const seen: Seen[] = [];
let server: Server;
let endpoint = '';

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = req.url?.startsWith('/missing') ? 404 : 201;
      res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ ok: status === 201 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  storage.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const call = { auth: { mode: 'API_KEY', identity: null }, typeName: 'Mutation', fieldName: 'send' } as const;

test('an HTTP resolver sends method, path, query, headers and JSON body and gets {statusCode, headers, body}', async () => {
  const definition = app({
    dataSources: { api: { name: 'api', type: 'HTTP', endpoint } },
    resolvers: [
      {
        kind: 'UNIT',
        typeName: 'Mutation',
        fieldName: 'send',
        dataSource: 'api',
        code: code(`
          export function request(ctx) {
            return { method: 'POST', resourcePath: '/orders/' + ctx.args.id, params: { query: { expand: 'lines', page: 2 }, headers: { 'Content-Type': 'application/json', 'X-Trace': 't-9' }, body: { qty: ctx.args.qty } } };
          }
          export function response(ctx) {
            return { statusCode: ctx.result.statusCode, type: ctx.result.headers['content-type'], upstream: ctx.result.headers['x-upstream'], body: ctx.result.body, parsed: JSON.parse(ctx.result.body) };
          }`),
      },
    ],
  });
  const runtime = await runtimeFor(definition, storage);
  seen.length = 0;
  const value = JSON.parse(JSON.stringify(await runtime.resolve(field('Mutation', 'send', { id: 'o1', qty: 3 }))));
  assert.deepEqual(value, { statusCode: 201, type: 'application/json', upstream: 'yes', body: '{"ok":true}', parsed: { ok: true } });
  assert.equal(seen.length, 1);
  const request = seen[0]!;
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/orders/o1?expand=lines&page=2');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['x-trace'], 't-9');
  assert.equal(request.body, '{"qty":3}');
});

test('a GET sends no body and a string body is sent as is', async () => {
  const http = storage.dataSource({ name: 'api', type: 'HTTP', endpoint });
  seen.length = 0;
  await http.invoke({ method: 'GET', resourcePath: '/items', params: { body: 'ignored' } }, call);
  await http.invoke({ method: 'PUT', resourcePath: '/items/1', params: { headers: { 'content-type': 'text/plain' }, body: 'raw text' } }, call);
  assert.deepEqual(seen.map((s) => [s.method, s.url, s.body]), [
    ['GET', '/items', ''],
    ['PUT', '/items/1', 'raw text'],
  ]);
});

test('a non-2xx response is a result, not an error', async () => {
  const http = storage.dataSource({ name: 'api', type: 'HTTP', endpoint });
  const result = (await http.invoke({ method: 'DELETE', resourcePath: '/missing/1' }, call)) as { statusCode: number; body: string };
  assert.equal(result.statusCode, 404);
  assert.equal(result.body, '{"ok":false}');
});

test('an unreachable endpoint fails with HttpError (ctx.error.type)', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const http = storage.dataSource({ name: 'down', type: 'HTTP', endpoint: `http://127.0.0.1:${port}` });
  const error = await rejection(http.invoke({ method: 'GET', resourcePath: '/' }, call));
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'HttpError');
  assert.equal(error.message, `HTTP request to http://127.0.0.1:${port} failed: fetch failed`);
});

test('an unsupported method is a BadRequestException', async () => {
  const http = storage.dataSource({ name: 'api', type: 'HTTP', endpoint });
  const error = await rejection(http.invoke({ method: 'TRACE', resourcePath: '/' }, call));
  assert.ok(error instanceof DataSourceError);
  assert.equal(error.type, 'BadRequestException');
  assert.equal(error.message, "Unsupported HTTP method 'TRACE'");
});
