/**
 * Cluster mode with three real nodes (`switchboard start --store postgres://... --nats nats://...`)
 * serving the food-ordering app: any node accepts any request.
 * - a subscriber connected to node 1 receives a mutation made on node 3;
 * - an order placed on node 2 starts exactly one workflow execution (the rule's target, delivered
 *   once), whose steps reach a subscriber on node 1 once each, in order, through the bus rules;
 * - a subscriber resuming on node 3 from the last offset it saw on node 1 misses nothing.
 * Skipped loudly when PostgreSQL or NATS is unreachable; a failure when CI=true.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postGraphql } from '../support/server-process.ts';
import type { RawClient } from '../support/ws-client.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';
import { clusterServices, signedGraphql, startCluster, type TestCluster } from './support.ts';

const services = await clusterServices();
let cluster: TestCluster | undefined;
const clients: RawClient[] = [];

before(async () => {
  if (services.skip !== false) return;
  cluster = await startCluster(services, 'examples/food-ordering', 3, { SB_ORDER_WAIT_SECONDS: '1' });
});

after(async () => {
  for (const c of clients) c.ws.close();
  await cluster?.close();
});

const ON_ORDER_UPDATED = 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';

async function subscribe(url: string, apiKey: string, id: string, resumeFrom?: number): Promise<RawClient> {
  const c = await appsyncSubscriber(url, { 'x-api-key': apiKey }, ON_ORDER_UPDATED, { id: 'sub', variables: { id }, ...(resumeFrom !== undefined ? { extensions: { resumeFrom } } : {}) });
  clients.push(c);
  return c;
}

test('a subscriber on node 1 receives a mutation made on node 3', { skip: services.skip, timeout: 60_000 }, async () => {
  assert.ok(cluster);
  const [n1, , n3] = cluster.nodes;
  assert.ok(n1 && n3);
  const { apiKeys, accessKeys } = cluster.credentials();
  const sub = await subscribe(n1.url, apiKeys[0] as string, 'order-x');
  const out = await signedGraphql(n3.url, accessKeys[0] as { accessKeyId: string; secretAccessKey: string }, {
    query: 'mutation ($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }',
    variables: { input: { id: 'order-x', status: 'PREPARING', updatedAt: '2026-12-05T12:00:00.000Z' } },
  });
  assert.equal(out.status, 200, JSON.stringify(out.json));
  const frame = await sub.next((f) => f.type === 'data', 10_000);
  assert.deepEqual(frame.payload.data.onOrderUpdated, { id: 'order-x', status: 'PREPARING', updatedAt: '2026-12-05T12:00:00.000Z' });
});

test('an order placed on node 2 runs one workflow whose every step reaches a node-1 subscriber once, and resume on node 3 misses nothing', { skip: services.skip, timeout: 90_000 }, async () => {
  assert.ok(cluster);
  const [n1, n2, n3] = cluster.nodes;
  assert.ok(n1 && n2 && n3);
  const apiKey = cluster.credentials().apiKeys[0] as string;
  const created = await postGraphql(n2.url, { query: 'mutation { createOrder(input: { products: [{ name: "pizza", quantity: 1 }] }) { id status } }' }, { 'x-api-key': apiKey });
  assert.equal(created.status, 200, JSON.stringify(created.json));
  const id = created.json.data.createOrder.id as string;
  // resumeFrom 0: the first step may be published before this subscription exists.
  const sub = await subscribe(n1.url, apiKey, id, 0);
  const statuses: string[] = [];
  const offsets: number[] = [];
  while (!statuses.includes('DELIVERED')) {
    const frame = await sub.next((f) => f.type === 'data', 30_000);
    statuses.push(frame.payload.data.onOrderUpdated.status);
    offsets.push(frame.offset);
    if (statuses.length === 2) {
      // Half way: a second subscriber on node 3 resumes from what the first had seen.
      const resumed = await subscribe(n3.url, apiKey, id, frame.offset);
      void resumed;
    }
  }
  assert.deepEqual(statuses, ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']);
  assert.deepEqual([...offsets].sort((a, b) => a - b), offsets, 'in offset order');
  const resumed = clients[clients.length - 1] as RawClient;
  const after2: string[] = [];
  while (!after2.includes('DELIVERED')) after2.push((await resumed.next((f) => f.type === 'data', 30_000)).payload.data.onOrderUpdated.status);
  assert.deepEqual(after2, ['OUT_FOR_DELIVERY', 'DELIVERED']);
  // A duplicate delivery (a rule target run on two nodes) would show up within this wait.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(sub.pending.filter((f) => f.type === 'data').length, 0, 'no status twice');
  // One execution for the order (the rule's workflow target delivered once).
  const listed = await fetch(`${n3.url}/console/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ service: 'states', target: 'AWSStepFunctions.ListExecutions', input: { stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderProcessing' } }),
  });
  const executions = ((await listed.json()) as { executions: { name: string; status: string }[] }).executions;
  assert.equal(executions.length, 1, JSON.stringify(executions));
  assert.equal(executions[0]?.status, 'SUCCEEDED');
});
