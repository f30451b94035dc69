/**
 * The `PushStore` contract (`src/storage/push-store.ts`), run against every adapter (SQLite is the
 * only one so far): upsert by endpoint hash, several devices per user, order links, replacement on
 * pushsubscriptionchange, cascade and the "not refreshed since" guard of deletions, durability
 * across a reopen of the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlitePushStore, openDatabase, pushMigrations, writeBatcherFor, type PushStore, type StoredPushSubscription } from '../../src/storage/index.ts';

const adapters: Record<string, () => { store: PushStore; close(): Promise<void> }> = {
  sqlite() {
    const db = openDatabase({ path: ':memory:' }, [pushMigrations]);
    return { store: createSqlitePushStore(db), close: async () => void (await writeBatcherFor(db).drain(), db.close()) };
  },
};

const sub = (id: string, extra: Partial<StoredPushSubscription> = {}): StoredPushSubscription => ({
  id,
  endpoint: `https://fcm.googleapis.com/fcm/send/${id}`,
  p256dh: `p-${id}`,
  auth: `a-${id}`,
  vapidKey: 'BKEY',
  createdAt: 1000,
  updatedAt: 1000,
  ...extra,
});

for (const [name, open] of Object.entries(adapters)) {
  test(`${name}: a subscription is upserted by id, keeping createdAt and its orders`, async () => {
    const { store, close } = open();
    assert.equal(await store.putSubscription(sub('s1', { userId: 'u1' })), 'created');
    assert.equal(await store.linkOrder('o1', 's1', 1500), 'linked');
    assert.equal(await store.putSubscription(sub('s1', { userId: 'u1', auth: 'new-auth', createdAt: 2000, updatedAt: 2000 })), 'updated');
    const got = await store.getSubscription('s1');
    assert.deepEqual(got, sub('s1', { userId: 'u1', auth: 'new-auth', createdAt: 1000, updatedAt: 2000 }));
    assert.deepEqual(await store.ordersOf('s1'), ['o1']);
    assert.equal(await store.getSubscription('nope'), undefined);
    await close();
  });

  test(`${name}: a user has several devices; an order several subscriptions; links are idempotent`, async () => {
    const { store, close } = open();
    await store.putSubscription(sub('phone', { userId: 'u1' }));
    await store.putSubscription(sub('laptop', { userId: 'u1', createdAt: 1001 }));
    await store.putSubscription(sub('other', { userId: 'u2', expiresAt: 99_000 }));
    assert.deepEqual((await store.subscriptionsOfUser('u1')).map((s) => s.id), ['phone', 'laptop']);
    assert.equal((await store.subscriptionsOfUser('u2'))[0]?.expiresAt, 99_000);
    assert.equal(await store.linkOrder('o1', 'phone', 1), 'linked');
    assert.equal(await store.linkOrder('o1', 'other', 2), 'linked');
    assert.equal(await store.linkOrder('o1', 'phone', 3), 'exists');
    assert.equal(await store.linkOrder('o1', 'ghost', 4), 'no-subscription');
    assert.deepEqual((await store.subscriptionsOfOrder('o1')).map((s) => s.id), ['phone', 'other']);
    assert.deepEqual(await store.subscriptionsOfOrder('o2'), []);
    assert.equal(await store.countSubscriptions(), 3);
    await close();
  });

  test(`${name}: a replacing subscription takes over the old one's orders and the old one is deleted`, async () => {
    const { store, close } = open();
    await store.putSubscription(sub('old', { userId: 'u1' }));
    await store.linkOrder('o1', 'old', 1);
    await store.linkOrder('o2', 'old', 2);
    assert.equal(await store.putSubscription(sub('new', { userId: 'u1' }), 'old'), 'created');
    assert.equal(await store.getSubscription('old'), undefined);
    assert.deepEqual(await store.ordersOf('new'), ['o1', 'o2']);
    assert.deepEqual((await store.subscriptionsOfOrder('o1')).map((s) => s.id), ['new']);
    await close();
  });

  test(`${name}: deleting removes the order links, but not a subscription refreshed after the failed send`, async () => {
    const { store, close } = open();
    await store.putSubscription(sub('s1', { updatedAt: 5000 }));
    await store.linkOrder('o1', 's1', 1);
    assert.equal(await store.deleteSubscription('s1', 4999), false, 'refreshed after the send started');
    assert.ok(await store.getSubscription('s1'));
    assert.equal(await store.deleteSubscription('s1', 5000), true);
    assert.equal(await store.getSubscription('s1'), undefined);
    assert.deepEqual(await store.subscriptionsOfOrder('o1'), []);
    assert.equal(await store.deleteSubscription('s1', 9999), false);
    await close();
  });
}

test('sqlite: writes are durable before they resolve and survive reopening the file', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-push-store-')), 'switchboard.db');
  const db = openDatabase({ path }, [pushMigrations]);
  const store = createSqlitePushStore(db);
  await Promise.all([store.putSubscription(sub('s1', { userId: 'u1' })), store.putSubscription(sub('s2'))]);
  await store.linkOrder('o1', 's2', 7);
  db.close();
  const again = createSqlitePushStore(openDatabase({ path }, [pushMigrations]));
  assert.deepEqual((await again.subscriptionsOfUser('u1')).map((s) => s.id), ['s1']);
  assert.deepEqual((await again.subscriptionsOfOrder('o1')).map((s) => s.id), ['s2']);
});
