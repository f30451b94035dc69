/**
 * Table changes as an event source, through a real server: an APPSYNC_JS mutation writes the
 * `orders` table, the change is on the default bus as the `orders-changes` Pipe event (read back
 * from the server's SQLite file), EventBridge's TestEventPattern matches it with the app's rule
 * pattern, and the rule's AppSync target reaches a subscriber.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventBridgeClient, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { openDatabase, createSqliteEventLog, eventLogMigrations, type LogRecord } from '../../src/storage/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/order-changes');
const RULE_PATTERN = JSON.stringify({ source: ['Pipe orders-changes'], detail: { eventName: ['INSERT'] } });

let t: TestServer;
let eb: EventBridgeClient;

async function busLog(): Promise<readonly LogRecord[]> {
  const db = openDatabase({ path: join(t.dataDir, 'switchboard.db') }, [eventLogMigrations]);
  try {
    return await createSqliteEventLog(db).read('bus:default', 0, 1000);
  } finally {
    db.close();
  }
}

const mutate = (query: string, variables: Record<string, unknown>) => t.graphql({ query, variables });
const PUT = 'mutation($id: ID!, $item: String!) { putOrder(id: $id, item: $item) { id item } }';
const DELETE = 'mutation($id: ID!) { deleteOrder(id: $id) { id } }';

describe('table changes on the bus (fixture app order-changes)', () => {
  before(async () => {
    t = await startTestServer(APP);
    eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey, maxAttempts: 1 });
  });
  after(async () => {
    eb.destroy();
    await t.close();
  });

  test('each committed write appends one Pipe event to bus:default; a write that changes nothing appends none', async () => {
    const start = (await busLog()).length;
    assert.equal((await mutate(PUT, { id: 'o-1', item: 'pizza' })).json.data.putOrder.item, 'pizza');
    assert.equal((await mutate(PUT, { id: 'o-1', item: 'pasta' })).json.data.putOrder.item, 'pasta');
    await mutate(DELETE, { id: 'o-1' });
    await mutate(DELETE, { id: 'o-1' });
    const records = (await busLog()).slice(start);
    const events = records.map((r) => JSON.parse(r.payload));
    assert.deepEqual(events.map((e) => e.detail.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const insert = events[0];
    assert.deepEqual(Object.keys(insert), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    assert.equal(insert.id, records[0]?.id);
    assert.equal(insert['detail-type'], 'Event from aws:dynamodb');
    assert.equal(insert.source, 'Pipe orders-changes');
    assert.deepEqual(insert.resources, ['arn:aws:pipes:us-east-1:000000000000:pipe/orders-changes']);
    assert.match(insert.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(insert.detail.eventSourceARN, /^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\//);
    assert.deepEqual(insert.detail.dynamodb.Keys, { id: { S: 'o-1' } });
    assert.deepEqual(insert.detail.dynamodb.NewImage, { id: { S: 'o-1' }, item: { S: 'pizza' } });
    assert.equal(insert.detail.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.deepEqual(events[1].detail.dynamodb.OldImage, { id: { S: 'o-1' }, item: { S: 'pizza' } });
    const sequence = events.map((e) => BigInt(e.detail.dynamodb.SequenceNumber));
    assert.ok(sequence.every((s, i) => i === 0 || s > (sequence[i - 1] as bigint)), 'sequence numbers increase');
  });

  test('TestEventPattern matches the INSERT event with the rule pattern and not the others', async () => {
    const start = (await busLog()).length;
    await mutate(PUT, { id: 'o-2', item: 'soup' });
    await mutate(PUT, { id: 'o-2', item: 'salad' });
    const [insert, modify] = (await busLog()).slice(start).map((r) => r.payload);
    assert.ok(insert !== undefined && modify !== undefined);
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: RULE_PATTERN, Event: insert }))).Result, true);
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: RULE_PATTERN, Event: modify }))).Result, false);
  });

  test('the OrderInserted rule delivers a new order to the onOrderCreated subscriber', async () => {
    const c = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription { onOrderCreated { id item } }');
    try {
      await mutate(PUT, { id: 'o-3', item: 'curry' });
      // Delivery is woken by the append, or at the latest by its 5 s poll; earlier tests' inserts may arrive first.
      const data = await c.next((f) => f.type === 'data' && f.payload?.data?.onOrderCreated?.id === 'o-3', 10_000);
      assert.deepEqual(data.payload.data, { onOrderCreated: { id: 'o-3', item: 'curry' } });
    } finally {
      c.ws.close();
    }
  });
});
