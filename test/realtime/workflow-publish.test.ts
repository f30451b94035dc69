/**
 * A workflow publishes to a subscription field and ends subscriptions with no mutation in the
 * schema: the tasks `arn:switchboard:states:::realtime:publish` and `...:realtime:invalidate`
 * (`{Subscription, Payload}`). Started with the real Step Functions SDK; watched over a real
 * AppSync socket. A room is a channel: the `room` argument filters what a subscriber receives.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber, type AppsyncSocket } from '../support/appsync-socket.ts';

let t: TestServer;
let sfn: SFNClient;
const machine = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

function subscriber(room: string): Promise<AppsyncSocket> {
  return appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription ($r: String!) { onAnnouncement(room: $r) { room text } }', { id: room, variables: { r: room } });
}

async function run(name: string, input: unknown): Promise<DescribeExecutionCommandOutput> {
  const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine(name), input: JSON.stringify(input) }));
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('workflow tasks publish to and invalidate subscriptions (no mutation in the schema)', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/workflow-publish'));
    sfn = new SFNClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey, maxAttempts: 1 });
  });
  after(async () => {
    sfn.destroy();
    await t.close();
  });

  test('the schema has no mutation at all', async () => {
    const res = await t.graphql({ query: '{ __schema { mutationType { name } } }' });
    assert.deepEqual(res.json.data, { __schema: { mutationType: null } });
  });

  test('publish reaches the room’s subscribers only; invalidate then ends exactly their subscriptions', async () => {
    const general = await subscriber('general');
    const other = await subscriber('other');
    const done = await run('Announce', { room: 'general', text: 'doors open' });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), { room: 'general', text: 'doors open', published: { Delivered: 1 }, closed: { Invalidated: 1 } });
    const data = await general.next((f) => f.type === 'data');
    assert.deepEqual(data.payload.data, { onAnnouncement: { room: 'general', text: 'doors open' } });
    const ended = await general.next((f) => f.type === 'error' || f.type === 'complete');
    assert.equal(ended.id, 'general');
    await general.closed();
    // The other room got nothing and is still live: the next announcement there arrives.
    assert.equal(other.pending.filter((f) => f.type === 'data').length, 0);
    const second = await run('Announce', { room: 'other', text: 'hello' });
    assert.equal(second.status, 'SUCCEEDED', second.cause);
    assert.deepEqual((await other.next((f) => f.type === 'data')).payload.data, { onAnnouncement: { room: 'other', text: 'hello' } });
    other.ws.close();
  });

  test('a subscription field the schema lacks fails the task with Switchboard.SubscriptionNotFound', async () => {
    const done = await run('AnnounceNowhere', { room: 'general' });
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'Switchboard.SubscriptionNotFound');
    assert.equal(done.cause, 'Subscription.onNothing is not in the schema');
  });
});
