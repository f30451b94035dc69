/**
 * `PushStore` on PostgreSQL: subscriptions and their order links; links cascade with their
 * subscription (foreign key `ON DELETE CASCADE`).
 *
 * Concurrency contract (several nodes on one database): `putSubscription` is one upsert (its
 * `xmax = 0` tells an insert from an update), and with `replaces` it locks the old subscription
 * row before moving its links and deleting it, in one transaction; `linkOrder` holds the
 * subscription row `FOR SHARE` while it links, so a link is never added to a subscription being
 * replaced or deleted (it waits, then answers `no-subscription`); the "not refreshed since" guard
 * of `deleteSubscription` is the delete's own condition.
 */
import type { LinkOrderOutcome, PushStore } from '../push-store.ts';
import { toSubscription, type PushSubscriptionRow } from '../rows/push-rows.ts';
import type { PostgresHandle } from './database.ts';

const COLUMNS = 's.id, s.endpoint, s.p256dh, s.auth, s.vapid_key, s.user_id, s.expires_at, s.created_at, s.updated_at';

export function createPostgresPushStore(handle: PostgresHandle): PushStore {
  const pool = handle.pool;
  return {
    putSubscription(s, replaces) {
      return handle.transaction(async (client) => {
        const { rows } = await client.query<{ inserted: boolean }>(
          `INSERT INTO push_subscriptions (id, endpoint, p256dh, auth, vapid_key, user_id, expires_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth, vapid_key = excluded.vapid_key,
             user_id = excluded.user_id, expires_at = excluded.expires_at, updated_at = excluded.updated_at
           RETURNING (xmax = 0) AS inserted`,
          [s.id, s.endpoint, s.p256dh, s.auth, s.vapidKey, s.userId ?? null, s.expiresAt ?? null, s.createdAt, s.updatedAt],
        );
        if (replaces !== undefined && replaces !== s.id) {
          await client.query('SELECT 1 FROM push_subscriptions WHERE id = $1 FOR UPDATE', [replaces]);
          await client.query(
            'INSERT INTO push_order_links (order_id, subscription_id, created_at) SELECT order_id, $1, created_at FROM push_order_links WHERE subscription_id = $2 ON CONFLICT DO NOTHING',
            [s.id, replaces],
          );
          await client.query('DELETE FROM push_subscriptions WHERE id = $1', [replaces]);
        }
        return rows[0]?.inserted === true ? 'created' : 'updated';
      });
    },
    async getSubscription(id) {
      const { rows } = await pool.query<PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE id = $1', [id]);
      return rows[0] === undefined ? undefined : toSubscription(rows[0]);
    },
    async subscriptionsOfUser(userId) {
      const { rows } = await pool.query<PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id', [userId]);
      return rows.map(toSubscription);
    },
    linkOrder(orderId, subscriptionId, at) {
      return handle.transaction(async (client): Promise<LinkOrderOutcome> => {
        if ((await client.query('SELECT 1 FROM push_subscriptions WHERE id = $1 FOR SHARE', [subscriptionId])).rowCount !== 1) return 'no-subscription';
        const inserted = await client.query('INSERT INTO push_order_links (order_id, subscription_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [orderId, subscriptionId, at]);
        return inserted.rowCount === 1 ? 'linked' : 'exists';
      });
    },
    async subscriptionsOfOrder(orderId) {
      const { rows } = await pool.query<PushSubscriptionRow>(
        `SELECT ${COLUMNS} FROM push_order_links l JOIN push_subscriptions s ON s.id = l.subscription_id WHERE l.order_id = $1 ORDER BY l.created_at, s.id`,
        [orderId],
      );
      return rows.map(toSubscription);
    },
    async ordersOf(subscriptionId) {
      const { rows } = await pool.query<{ order_id: string }>('SELECT order_id FROM push_order_links WHERE subscription_id = $1 ORDER BY created_at, order_id', [subscriptionId]);
      return rows.map((r) => r.order_id);
    },
    async deleteSubscription(id, notUpdatedAfter) {
      return (await pool.query('DELETE FROM push_subscriptions WHERE id = $1 AND updated_at <= $2', [id, notUpdatedAfter])).rowCount === 1;
    },
    async countSubscriptions() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM push_subscriptions');
      return rows[0]?.n ?? 0;
    },
    async listSubscriptions(query) {
      const { rows } = await pool.query<PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE id > $1 ORDER BY id LIMIT $2', [query.after ?? '', query.limit]);
      return rows.map(toSubscription);
    },
  };
}
