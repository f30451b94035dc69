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
