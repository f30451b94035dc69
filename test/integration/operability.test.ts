/** /healthz, /metrics in the Prometheus text format, request ids, and draining on stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer } from '../support/in-process.ts';

test('healthz answers ok and metrics count requests, operations, events and latencies', async (t) => {
  const s = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  t.after(() => s.close());
  const health = await fetch(`${s.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', app: 'food-ordering' });

  const created = await s.graphql({ query: 'mutation { createOrder(input: {products: [{name: "Tea", quantity: 1}]}) { id } }' });
  assert.equal(created.status, 200);
  assert.match(created.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/, 'every response carries its request id');

  const metrics = await fetch(`${s.url}/metrics`);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await metrics.text();
  assert.match(text, /^# TYPE switchboard_http_requests_total counter$/m);
  assert.match(text, /^switchboard_http_requests_total\{route="\/graphql",status="2xx"\} 1$/m);
  assert.match(text, /^switchboard_graphql_operations_total\{operation="mutation"\} 1$/m);
  assert.match(text, /^switchboard_events_appended_total\{stream="bus:default"\} 1$/m);
  assert.match(text, /^# TYPE switchboard_http_request_duration_seconds histogram$/m);
  assert.match(text, /^switchboard_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
  assert.match(text, /^switchboard_http_connections \d+$/m);
});

test('stop drains a request in flight before closing', async () => {
  const s = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/hello'));
  const inFlight = s.graphql({ query: '{ slow(ms: 300) }' });
  while (s.server.http.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
  const stopping = s.close();
  const res = await inFlight;
  await stopping;
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { data: { slow: 'done' } });
});

test('a FUNCTION data source that outlasts its timeout answers Lambda\'s timeout error over HTTP, and the server keeps serving', async (t) => {
  const s = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/hello'));
  t.after(() => s.close());
  // The handler would answer 'done' after 2.5 s: the error proves the call was cut at 1 s.
  const res = await s.graphql({ query: '{ slow(ms: 2500) }' });
  assert.equal(res.status, 200);
  const body = res.json as { data: { slow: null }; errors: { errorType: string; message: string; path: string[] }[] };
  assert.deepEqual(body.data, { slow: null });
  assert.equal(body.errors.length, 1);
  assert.equal(body.errors[0]?.errorType, 'Lambda:Unhandled');
  assert.match(body.errors[0]?.message ?? '', /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
  assert.deepEqual(body.errors[0]?.path, ['slow']);
  const next = await s.graphql({ query: '{ hello }' });
  assert.deepEqual(next.json, { data: { hello: 'hello v1' } });
});
