/**
 * Seed 002 end to end: an event with `source: sample.source`, put on the custom bus
 * `eb-appsync-bus` through the AWS SDK, reaches a Cognito-authenticated subscriber of
 * `onPublishMsgFromEb` through the rule's input transformer and the IAM-authorized
 * `publishMsgFromEB` mutation. The app is `examples/eventbridge-to-graphql`, declared as the
 * seed's CDK declares it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventBridgeClient, ListEventBusesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

let t: TestServer;
let eb: EventBridgeClient;

async function devToken(url: string): Promise<string> {
  const res = await fetch(`${url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username: 'alice', groups: [] }) });
  return ((await res.json()) as { token: string }).token;
}

describe('seed 002: EventBridge rule → AppSync mutation → subscribers', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/eventbridge-to-graphql'));
    eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey });
  });
  after(async () => {
    eb.destroy();
    await t.close();
  });

  test('the bus declared in defineApp exists at start', async () => {
    const buses = await eb.send(new ListEventBusesCommand({}));
    assert.deepEqual(buses.EventBuses?.map((b) => b.Name), ['default', 'eb-appsync-bus']);
  });

  test('a sample.source event reaches the onPublishMsgFromEb subscriber; other sources do not', async () => {
    const c = await appsyncSubscriber(t.url, { Authorization: await devToken(t.url) }, 'subscription { onPublishMsgFromEb }');

    const put = await eb.send(new PutEventsCommand({
      Entries: [
        { EventBusName: 'eb-appsync-bus', Source: 'other.source', DetailType: 'message', Detail: JSON.stringify({ msg: 'not for you' }) },
        { EventBusName: 'eb-appsync-bus', Source: 'sample.source', DetailType: 'message', Detail: JSON.stringify({ msg: 'hello from EventBridge' }) },
      ],
    }));
    assert.equal(put.FailedEntryCount, 0);
    const data = await c.next((f) => f.type === 'data', 10_000);
    assert.deepEqual(data.payload.data, { onPublishMsgFromEb: 'hello from EventBridge' });
    c.ws.close();
  });
});
