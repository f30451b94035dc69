/**
 * Seed 003's rule end to end: PutEvents order.updated → rule → AppSync target running the
 * notifyOrderUpdated mutation → onOrderUpdated subscribers. Real server, real EventBridge SDK,
 * raw AppSync WebSocket.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber, type AppsyncSocket } from '../support/appsync-socket.ts';
import { eventBridgeClient } from './api-support.ts';

const SUB = 'subscription S($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';
const NOTIFY = 'mutation N($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }';

let t: TestServer;
let client: EventBridgeClient;

function subscribe(id: string): Promise<AppsyncSocket> {
  return appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, SUB, { id: 'sub', variables: { id } });
}

async function putOrderUpdated(detail: Record<string, unknown>): Promise<void> {
  const out = await client.send(new PutEventsCommand({ Entries: [{ Source: 'order.api', DetailType: 'order.updated', Detail: JSON.stringify(detail) }] }));
  assert.equal(out.FailedEntryCount, 0);
}

describe('event bus delivery to an AppSync target', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
    client = eventBridgeClient(t.url, t.accessKey);
    await client.send(new PutRuleCommand({ Name: 'order-updated', EventPattern: JSON.stringify({ source: ['order.api'], 'detail-type': ['order.updated'] }) }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'order-updated',
        Targets: [
          {
            Id: 'notify',
            Arn: 'arn:aws:appsync:us-east-1:000000000000:apis/local/graphql',
            RoleArn: 'arn:aws:iam::000000000000:role/eventbridge-appsync',
            AppSyncParameters: { GraphQLOperation: NOTIFY },
            InputTransformer: {
              InputPathsMap: { id: '$.detail.id', status: '$.detail.status', updatedAt: '$.detail.updatedAt' },
              InputTemplate: '{"input": {"id": <id>, "status": <status>, "updatedAt": <updatedAt>}}',
            },
          },
        ],
      }),
    );
  });
  after(async () => {
    client.destroy();
    await t.close();
  });

  test('a matched event runs the target mutation and its subscribers receive the result', async () => {
    const c = await subscribe('order-42');
    await putOrderUpdated({ id: 'order-42', status: 'PREPARING', updatedAt: '2026-11-25T10:00:00.000Z' });
    const data = await c.next((f) => f.type === 'data');
    assert.deepEqual(data.payload, { data: { onOrderUpdated: { id: 'order-42', status: 'PREPARING', updatedAt: '2026-11-25T10:00:00.000Z' } } });
    c.ws.close();
  });

  test('an event the rule does not match is not delivered', async () => {
    const c = await subscribe('order-43');
    // Not order.created: the app's own OrderHandlerRule starts the order workflow on it, whose
    // steps put order.updated events for the same order (PAID first), which this rule delivers.
    await client.send(new PutEventsCommand({ Entries: [{ Source: 'order.api', DetailType: 'order.cancelled', Detail: JSON.stringify({ id: 'order-43', status: 'PAID', updatedAt: '2026-11-25T10:00:00.000Z' }) }] }));
    await putOrderUpdated({ id: 'order-43', status: 'DELIVERED', updatedAt: '2026-11-25T11:00:00.000Z' });
    const data = await c.next((f) => f.type === 'data');
    assert.equal(data.payload.data.onOrderUpdated.status, 'DELIVERED', 'the first data frame is the matched event, not the order.cancelled one');
    c.ws.close();
  });
});
