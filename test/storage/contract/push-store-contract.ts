/**
 * The `PushStore` contract (`src/storage/push-store.ts`): upsert by endpoint hash, several devices
 * per user, idempotent order links, replacement on `pushsubscriptionchange`, cascading deletes,
 * the "not refreshed since" guard, listings; one test per guarantee, registered by
 * `describePushStoreContract` for any adapter.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { PushStore, StoredPushSubscription } from '../../../src/storage/index.ts';
import { contractTest, using, type SkipReason, type StoreFixture } from './table-store-contract.ts';

export type PushStoreFixture = StoreFixture<PushStore>;

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

export function describePushStoreContract(adapterName: string, open: () => Promise<PushStoreFixture>, options: { readonly skip?: SkipReason } = {}): void {
  const skip = options.skip ?? false;
  const test = contractTest(skip);
  describe(`PushStore contract: ${adapterName}`, () => {
    test('a new subscription is created with every field; an absent one reads as undefined', () =>
      using(open, async ({ store }) => {
        const full = sub('s1', { userId: 'u1', expiresAt: 99_999 });
        assert.equal(await store.putSubscription(full), 'created');
        assert.deepEqual(await store.getSubscription('s1'), full);
        assert.equal(await store.putSubscription(sub('s2')), 'created');
        assert.deepEqual(await store.getSubscription('s2'), sub('s2'), 'no user or expiry unless given');
        assert.equal(await store.getSubscription('absent'), undefined);
      }));

    test('putting the same endpoint again updates keys, user and updatedAt, and keeps createdAt and its orders', () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('s1', { userId: 'u1', expiresAt: 5 }));
        await store.linkOrder('o1', 's1', 1500);
        assert.equal(await store.putSubscription(sub('s1', { userId: 'u2', auth: 'new-auth', p256dh: 'new-p', vapidKey: 'K2', createdAt: 2000, updatedAt: 2000 })), 'updated');
        assert.deepEqual(await store.getSubscription('s1'), sub('s1', { userId: 'u2', auth: 'new-auth', p256dh: 'new-p', vapidKey: 'K2', createdAt: 1000, updatedAt: 2000 }));
        assert.deepEqual(await store.ordersOf('s1'), ['o1']);
        assert.equal(await store.countSubscriptions(), 1);
      }));

    test('a user has several subscriptions, oldest first, and only their own', () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('b', { userId: 'u1', createdAt: 2 }));
        await store.putSubscription(sub('a', { userId: 'u1', createdAt: 2 }));
        await store.putSubscription(sub('c', { userId: 'u1', createdAt: 1 }));
        await store.putSubscription(sub('d', { userId: 'u2' }));
        await store.putSubscription(sub('e'));
        assert.deepEqual((await store.subscriptionsOfUser('u1')).map((s) => s.id), ['c', 'a', 'b']);
        assert.deepEqual(await store.subscriptionsOfUser('nobody'), []);
      }));

    test('linking an order is idempotent and needs the subscription', () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('s1'));
        assert.equal(await store.linkOrder('o1', 's1', 10), 'linked');
        assert.equal(await store.linkOrder('o1', 's1', 20), 'exists');
        assert.equal(await store.linkOrder('o1', 'ghost', 10), 'no-subscription');
        assert.deepEqual(await store.ordersOf('ghost'), []);
        assert.deepEqual((await store.subscriptionsOfOrder('o1')).map((s) => s.id), ['s1']);
      }));

    test('an order has several subscriptions and a subscription several orders, oldest link first', () =>
      using(open, async ({ store }) => {
        for (const id of ['s1', 's2', 's3']) await store.putSubscription(sub(id));
        await store.linkOrder('o1', 's2', 10);
        await store.linkOrder('o1', 's1', 20);
        await store.linkOrder('o1', 's3', 10);
        await store.linkOrder('o3', 's1', 5);
        await store.linkOrder('o2', 's1', 5);
        assert.deepEqual((await store.subscriptionsOfOrder('o1')).map((s) => s.id), ['s2', 's3', 's1']);
        assert.deepEqual(await store.ordersOf('s1'), ['o2', 'o3', 'o1']);
        assert.deepEqual(await store.subscriptionsOfOrder('none'), []);
        assert.deepEqual((await store.subscriptionsOfOrder('o1'))[0], sub('s2'), 'whole subscriptions');
      }));

    test("a replacing subscription takes over the old one's orders and the old one is deleted, in one write", () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('old', { userId: 'u1' }));
        await store.putSubscription(sub('new0'));
        await store.linkOrder('o1', 'old', 10);
        await store.linkOrder('o2', 'old', 20);
        await store.linkOrder('o2', 'new0', 30);
        assert.equal(await store.putSubscription(sub('new0', { userId: 'u1', updatedAt: 3000 }), 'old'), 'updated');
        assert.equal(await store.getSubscription('old'), undefined);
        assert.deepEqual(await store.ordersOf('old'), []);
        assert.deepEqual(await store.ordersOf('new0'), ['o1', 'o2'], 'moved links keep their link time; a link both had stays once');
        assert.deepEqual((await store.subscriptionsOfUser('u1')).map((s) => s.id), ['new0']);
        assert.equal(await store.putSubscription(sub('fresh'), 'never-existed'), 'created');
        assert.equal(await store.putSubscription(sub('fresh'), 'fresh'), 'updated', 'replacing itself deletes nothing');
        assert.ok(await store.getSubscription('fresh'));
      }));

    test('deleting a subscription deletes its order links', () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('s1'));
        await store.putSubscription(sub('s2'));
        await store.linkOrder('o1', 's1', 10);
        await store.linkOrder('o1', 's2', 11);
        assert.equal(await store.deleteSubscription('s1', 1000), true);
        assert.equal(await store.getSubscription('s1'), undefined);
        assert.deepEqual(await store.ordersOf('s1'), []);
        assert.deepEqual((await store.subscriptionsOfOrder('o1')).map((s) => s.id), ['s2']);
        assert.equal(await store.deleteSubscription('s1', 1000), false);
        assert.equal(await store.linkOrder('o1', 's1', 12), 'no-subscription', 'a deleted subscription takes no links');
      }));

    test('a subscription refreshed after the given time is not deleted', () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('s1', { updatedAt: 5000 }));
        assert.equal(await store.deleteSubscription('s1', 4999), false);
        assert.ok(await store.getSubscription('s1'));
        assert.equal(await store.deleteSubscription('s1', 5000), true, 'not updated after: equal times delete');
      }));

    test('subscriptions are counted', () =>
      using(open, async ({ store }) => {
        assert.equal(await store.countSubscriptions(), 0);
        await store.putSubscription(sub('a'));
        await store.putSubscription(sub('b'));
        await store.putSubscription(sub('a', { updatedAt: 2 }));
        assert.equal(await store.countSubscriptions(), 2);
      }));

    test('subscriptions are listed in id order and paginate after an id', () =>
      using(open, async ({ store }) => {
        for (const id of ['b', 'A', '_x', '-y', 'a', '0']) await store.putSubscription(sub(id));
        assert.deepEqual((await store.listSubscriptions({ limit: 10 })).map((s) => s.id), ['-y', '0', 'A', '_x', 'a', 'b']);
        assert.deepEqual((await store.listSubscriptions({ limit: 2, after: '0' })).map((s) => s.id), ['A', '_x']);
        assert.deepEqual(await store.listSubscriptions({ limit: 2, after: 'b' }), []);
      }));

    test('concurrent links of one order to one subscription link it once', () =>
      using(open, async ({ store }) => {
        await store.putSubscription(sub('s1'));
        const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => store.linkOrder('o1', 's1', i)));
        assert.deepEqual(outcomes.filter((o) => o === 'linked').length, 1);
        assert.deepEqual(await store.ordersOf('s1'), ['o1']);
      }));

    test('subscriptions and links survive a reopen', async () => {
      const f = await open();
      try {
        await f.store.putSubscription(sub('s1', { userId: 'u' }));
        await f.store.linkOrder('o1', 's1', 10);
        const again = await f.reopen();
        assert.deepEqual(await again.getSubscription('s1'), sub('s1', { userId: 'u' }));
        assert.deepEqual(await again.ordersOf('s1'), ['o1']);
      } finally {
        await f.close();
      }
    });
  });
}
