/**
 * Seed 003 end to end on the default app (`examples/food-ordering`): `createOrder` writes the
 * order and emits `order.created`; `OrderHandlerRule` starts the `OrderProcessing` state machine
 * with `{order: <detail>}`; each step emits `order.updated` through the PutEvents integration;
 * `UpdateOrder` calls `notifyOrderUpdated` as IAM; a subscriber of `onOrderUpdated(id)` sees PAID,
 * PREPARING, OUT_FOR_DELIVERY, DELIVERED in order (waits shortened to 1 s by config).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

process.env['SB_ORDER_WAIT_SECONDS'] = '1';
const APP = join(REPO_ROOT, 'examples/food-ordering');
let t: TestServer;

before(async () => {
  t = await startTestServer(APP);
});
after(async () => {
  await t.close();
});

test('an order placed through GraphQL moves PAID → PREPARING → OUT_FOR_DELIVERY → DELIVERED for its subscriber', { timeout: 60_000 }, async () => {
  const created = await t.graphql({ query: 'mutation { createOrder(input: { products: [{ name: "pizza", quantity: 2 }] }) { id status } }' });
  assert.equal(created.json.errors, undefined, JSON.stringify(created.json.errors));
  const id: string = created.json.data.createOrder.id;
  assert.equal(created.json.data.createOrder.status, 'PENDING');

  // The workflow starts at once: subscribe with resumeFrom 0 (Switchboard's resume extension) so
  // an update sent before the subscription was made is not missed.
  const query = 'subscription OnOrderUpdated($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';
  const ws = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, query, { variables: { id }, extensions: { resumeFrom: 0 } });

  const statuses: string[] = [];
  let last = '';
  while (statuses.length < 4) {
    const frame = await ws.next((f) => f.type === 'data', 15_000);
    const update = frame.payload.data.onOrderUpdated;
    assert.equal(update.id, id);
    assert.ok(update.updatedAt >= last, 'updatedAt moves forward');
    last = update.updatedAt;
    statuses.push(update.status);
  }
  assert.deepEqual(statuses, ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']);
  ws.ws.close();

  // One execution for the order, and it succeeded.
  const sfn = new SFNClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey, maxAttempts: 1 });
  try {
    for (let i = 0; i < 100; i++) {
      const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderProcessing' }));
      if (list.executions?.[0]?.status !== 'RUNNING') {
        assert.deepEqual(list.executions?.map((e) => e.status), ['SUCCEEDED']);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('the execution did not finish');
  } finally {
    sfn.destroy();
  }
});
