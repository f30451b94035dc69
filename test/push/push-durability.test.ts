/**
 * Every accepted write survives `kill -9`: the real `switchboard start` process on
 * examples/web-push-orders answers `POST /subscribe` and `POST /subscribe/order`, is killed with
 * SIGKILL right after, and the data file holds the subscription, the order link and both bus
 * events; a restarted process sends the order's notification to the stored subscription.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqlitePushStore, openDatabase, pushMigrations } from '../../src/storage/index.ts';
import { startSwitchboardProcess } from '../support/server-process.ts';
import { startMockPushService } from './support/mock-push-service.ts';

const ENV = { SB_PUSH_ALLOWED_ENDPOINTS: 'http://127.0.0.1:*', SB_ORDER_WAIT_SECONDS: '1' };

test('subscriptions and order links acknowledged before a kill -9 are stored, with their events', { timeout: 120_000 }, async () => {
  const mock = await startMockPushService();
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-push-kill-'));
  let proc = await startSwitchboardProcess(['examples/web-push-orders'], dataDir, 60_000, 'start', ENV);
  try {
    const post = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${proc.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    };
    const { publicKey } = (await (await fetch(`${proc.url}/push/vapid.json`)).json()) as { publicKey: string };
    const subs = Array.from({ length: 5 }, () => mock.subscribe({ applicationServerKey: publicKey }));
    const ids = (await Promise.all(subs.map((s, i) => post('/subscribe', { ...s.json(), userId: `u${i}` })))).map((r) => {
      assert.equal(r.status, 201);
      return r.json.subscriptionId as string;
    });
    const linked = await Promise.all(ids.map((subscriptionId) => post('/subscribe/order', { orderId: 'order-before-crash', subscriptionId })));
    assert.deepEqual(linked.map((r) => r.status), [201, 201, 201, 201, 201]);
    await proc.kill9();

    const db = openDatabase({ path: join(dataDir, 'switchboard.db') }, [pushMigrations]);
    const store = createSqlitePushStore(db);
    assert.deepEqual(new Set((await store.subscriptionsOfOrder('order-before-crash')).map((s) => s.id)), new Set(ids));
    assert.equal((await store.subscriptionsOfUser('u3'))[0]?.endpoint, subs[3]?.endpoint);
    db.close();
    const log = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
    const types = log.prepare<[], { payload: string }>("SELECT payload FROM event_log WHERE stream = 'bus:default'").all().map((r) => (JSON.parse(r.payload) as { 'detail-type': string })['detail-type']);
    log.close();
    assert.equal(types.filter((t) => t === 'New subscription').length, 5);
    assert.equal(types.filter((t) => t === 'Subscribe to order').length, 5);

    // The restarted server (same data folder, same generated VAPID key) notifies the stored subscriptions.
    proc = await startSwitchboardProcess(['examples/web-push-orders'], dataDir, 60_000, 'start', ENV);
    const again = (await (await fetch(`${proc.url}/push/vapid.json`)).json()) as { publicKey: string };
    assert.equal(again.publicKey, publicKey, 'the generated key pair was kept');
    const sub = subs[0];
    assert.ok(sub !== undefined);
    const created = await fetch(`${proc.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'da2-pushordersdemokey000000000' },
      body: JSON.stringify({ query: 'mutation { createOrder(input: { products: [{ name: "soup", quantity: 1 }] }) { id } }' }),
    });
    const orderId = ((await created.json()) as { data: { createOrder: { id: string } } }).data.createOrder.id;
    const arriving = mock.nextMessage(sub.id, 30_000);
    assert.equal((await post('/subscribe/order', { orderId, subscriptionId: ids[0] })).status, 201);
    const message = await arriving;
    assert.equal(JSON.parse(message.plaintext?.toString() ?? '{}').data.orderId, orderId);
  } finally {
    await proc.stop();
    await mock.close();
  }
});
