/** The admin publish/invalidate API: IAM-signed only, publishes with no mutation in the schema. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

let t: TestServer;

const signedPost = (path: string, value: unknown) => t.signedPost(path, value);

describe('admin publish API', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  });
  after(async () => t.close());

  test('an IAM-signed publish reaches subscribers of the field', async () => {
    const c = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription { onOrderUpdated(id: "o-9") { id status } }', { id: 'a' });
    const res = await signedPost('/admin/subscriptions/publish', { field: 'onOrderUpdated', payload: { id: 'o-9', status: 'DELIVERED', updatedAt: '2026-11-25T10:00:00.000Z' } });
    assert.deepEqual(res, { status: 200, json: { delivered: 1 } });
    const data = await c.next((f) => f.type === 'data');
    assert.deepEqual(data.payload, { data: { onOrderUpdated: { id: 'o-9', status: 'DELIVERED' } } });
    c.ws.close();
  });

  test('an API key cannot publish, and an unknown field is a 400', async () => {
    const res = await fetch(`${t.url}/admin/subscriptions/publish`, { method: 'POST', headers: { 'x-api-key': t.apiKey }, body: JSON.stringify({ field: 'onOrderUpdated', payload: {} }) });
    assert.equal(res.status, 403);
    const bad = await signedPost('/admin/subscriptions/publish', { field: 'nope', payload: {} });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /onOrderUpdated/);
  });
});
