/**
 * The app's pages at `/` (`site`), the browser client at `/sdk/switchboard.js`, and CORS on the
 * GraphQL endpoint (as AppSync answers pages of any origin), over real HTTP:
 * - a path out of the site folder (`..`, `%2e%2e`, encoded slashes, NUL) is a 404, never a file;
 * - an app without `site` answers `/` with a page pointing at its endpoints, other paths with 404;
 * - `OPTIONS /graphql` is a preflight allowing the AppSync auth headers; responses carry
 *   `access-control-allow-origin: *`; routes without CORS answer no preflight.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

/** A GET with the path sent byte for byte (fetch would normalize `..` away). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('an app with a site', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  });
  after(() => t.close());

  test('/ serves the site index, other files by path with their content type', async () => {
    const index = await rawGet(t.url, '/');
    assert.equal(index.status, 200);
    assert.match(String(index.headers['content-type']), /^text\/html/);
    assert.match(index.body, /Order tracker/);
    const script = await rawGet(t.url, '/app.js');
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    const css = await rawGet(t.url, '/style.css');
    assert.match(String(css.headers['content-type']), /^text\/css/);
  });

  test('a path that leaves the site folder is a 404', async () => {
    for (const path of ['/../switchboard.config.ts', '/%2e%2e/switchboard.config.ts', '/..%2fswitchboard.config.ts', '/%2e%2e%2f%2e%2e%2fpackage.json', '/app.js%00.html', '/%ZZ']) {
      const res = await rawGet(t.url, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body, /defineApp|"name": "switchboard"/, path);
    }
  });

  test('/sdk/switchboard.js is the browser client, a JavaScript module', async () => {
    const res = await rawGet(t.url, '/sdk/switchboard.js');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.match(res.body, /export function createClient/);
  });

  test('OPTIONS /graphql is a CORS preflight allowing the AppSync auth headers', async () => {
    const res = await fetch(`${t.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const allowed = res.headers.get('access-control-allow-headers') ?? '';
    for (const h of ['content-type', 'x-api-key', 'authorization', 'x-amz-date', 'x-amz-security-token']) assert.ok(allowed.includes(h), h);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  test('GraphQL responses carry access-control-allow-origin, errors included', async () => {
    const ok = await t.graphql({ query: 'mutation { createOrder(input: { products: [{ name: "x", quantity: 1 }] }) { id } }' }, { 'x-api-key': t.apiKey, origin: 'http://example.test' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    const denied = await t.graphql({ query: '{ __typename }' }, { 'x-api-key': 'da2-wrong', origin: 'http://example.test' });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('access-control-allow-origin'), '*');
  });

  test('a route without CORS answers no preflight', async () => {
    const res = await fetch(`${t.url}/metrics`, { method: 'OPTIONS' });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

describe('an app without a site', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/eventbridge-to-graphql'));
  });
  after(() => t.close());

  test('/ is a page pointing at the endpoints; any other path is a 404', async () => {
    const index = await rawGet(t.url, '/');
    assert.equal(index.status, 200);
    assert.match(index.body, /href="\/graphql"/);
    assert.match(index.body, /href="\/console\/"/);
    assert.equal((await rawGet(t.url, '/index.html')).status, 404);
  });

  test('/sdk/app.json describes the app for pages: name and region', async () => {
    const res = await fetch(`${t.url}/sdk/app.json`);
    const body = (await res.json()) as { name: string; region: string; regions: object };
    assert.equal(body.region, 'us-east-1');
    assert.deepEqual(body.regions, {});
  });
});

describe('the Web Push subscription routes', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/web-push-orders'));
  });
  after(() => t.close());

  test('/subscribe and /subscribe/order answer CORS preflights and carry access-control-allow-origin', async () => {
    for (const path of ['/subscribe', '/subscribe/order']) {
      const pre = await fetch(`${t.url}${path}`, { method: 'OPTIONS', headers: { origin: 'http://shop.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal(pre.status, 204, path);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*', path);
      const bad = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://shop.test' }, body: 'not json' });
      assert.equal(bad.status, 400, path);
      assert.equal(bad.headers.get('access-control-allow-origin'), '*', path);
    }
  });
});
