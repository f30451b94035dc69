/**
 * Rules declared in defineApp, as the seed's CDK writes them, are live at start: seed 003's
 * `UpdateOrder` rule turns an `order.updated` event into the notifyOrderUpdated mutation, and a
 * subscriber of onOrderUpdated(id) sees the status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

let t: TestServer;
let eb: EventBridgeClient;

describe('rules from defineApp (seed 003 UpdateOrder)', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
    eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey });
  });
  after(async () => {
    eb.destroy();
    await t.close();
  });

  test('the configured rule and its AppSync target are in the bus at start', async () => {
    const rules = await eb.send(new ListRulesCommand({}));
    const rule = rules.Rules?.find((r) => r.Name === 'UpdateOrder');
    assert.deepEqual(JSON.parse(rule?.EventPattern ?? '{}'), { source: ['order.processing'], 'detail-type': ['order.updated'] });
    const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'UpdateOrder' }));
    assert.equal(targets.Targets?.[0]?.Id, 'OrderUpdated');
    assert.match(targets.Targets?.[0]?.AppSyncParameters?.GraphQLOperation ?? '', /notifyOrderUpdated/);
  });

  test('an order.updated event reaches the onOrderUpdated subscriber through the rule', async () => {
    const c = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription { onOrderUpdated(id: "o-77") { id status updatedAt } }');
    const put = await eb.send(new PutEventsCommand({
      Entries: [{ Source: 'order.processing', DetailType: 'order.updated', Detail: JSON.stringify({ order: { id: 'o-77', status: 'OUT_FOR_DELIVERY', updatedAt: '2026-11-25T11:00:00.000Z' } }) }],
    }));
    assert.equal(put.FailedEntryCount, 0);
    const data = await c.next((f) => f.type === 'data', 10_000);
    assert.deepEqual(data.payload.data, { onOrderUpdated: { id: 'o-77', status: 'OUT_FOR_DELIVERY', updatedAt: '2026-11-25T11:00:00.000Z' } });
    c.ws.close();
  });
});
