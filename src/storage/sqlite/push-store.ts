/**
 * `PushStore` on SQLite: two tables of the shared database file, written through the shared write
 * batcher (each write one savepoint of the turn's commit). Order links cascade with their
 * subscription.
 */
import { merged } from '../../core/index.ts';
import type { LinkOrderOutcome, PushStore } from '../push-store.ts';
import { toSubscription, type PushSubscriptionRow } from '../rows/push-rows.ts';
import type { MigrationSet, SqliteDb } from './database.ts';
import { writeBatcherFor } from './write-batcher.ts';

export const pushMigrations: MigrationSet = {
  component: 'push',
  migrations: [
    {
      version: 1,
      description: 'push subscriptions and the orders they follow',
      up(db) {
        db.exec(`
          CREATE TABLE push_subscriptions (
            id         TEXT    PRIMARY KEY,
            endpoint   TEXT    NOT NULL,
            p256dh     TEXT    NOT NULL,
            auth       TEXT    NOT NULL,
            vapid_key  TEXT    NOT NULL,
            user_id    TEXT,
            expires_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          ) WITHOUT ROWID;
          CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id) WHERE user_id IS NOT NULL;
          CREATE TABLE push_order_links (
            order_id        TEXT    NOT NULL,
            subscription_id TEXT    NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
            created_at      INTEGER NOT NULL,
            PRIMARY KEY (order_id, subscription_id)
          ) WITHOUT ROWID;
          CREATE INDEX push_order_links_subscription ON push_order_links (subscription_id);
        `);
      },
    },
  ],
};

export function createSqlitePushStore(db: SqliteDb): PushStore {
  const batcher = writeBatcherFor(db);
  const get = db.prepare<[string], PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO push_subscriptions (id, endpoint, p256dh, auth, vapid_key, user_id, expires_at, created_at, updated_at)
     VALUES (@id, @endpoint, @p256dh, @auth, @vapidKey, @userId, @expiresAt, @createdAt, @updatedAt)
     ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth, vapid_key = excluded.vapid_key,
       user_id = excluded.user_id, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
  );
  const moveLinks = db.prepare('INSERT OR IGNORE INTO push_order_links (order_id, subscription_id, created_at) SELECT order_id, ?, created_at FROM push_order_links WHERE subscription_id = ?');
  const remove = db.prepare('DELETE FROM push_subscriptions WHERE id = ?');
  const removeStale = db.prepare('DELETE FROM push_subscriptions WHERE id = ? AND updated_at <= ?');
  const ofUser = db.prepare<[string], PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, id');
  const link = db.prepare('INSERT OR IGNORE INTO push_order_links (order_id, subscription_id, created_at) VALUES (?, ?, ?)');
  const ofOrder = db.prepare<[string], PushSubscriptionRow>(
    'SELECT s.* FROM push_order_links l JOIN push_subscriptions s ON s.id = l.subscription_id WHERE l.order_id = ? ORDER BY l.created_at, s.id',
  );
  const orders = db.prepare<[string], { order_id: string }>('SELECT order_id FROM push_order_links WHERE subscription_id = ? ORDER BY created_at, order_id');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM push_subscriptions');
  const page = db.prepare<[string, number], PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE id > ? ORDER BY id LIMIT ?');

  return {
    putSubscription(s, replaces) {
      return batcher.run(() => {
        const existed = get.get(s.id) !== undefined;
        upsert.run(merged(s, { userId: s.userId ?? null, expiresAt: s.expiresAt ?? null }));
        if (replaces !== undefined && replaces !== s.id) {
          moveLinks.run(s.id, replaces);
          remove.run(replaces);
        }
        return existed ? 'updated' : 'created';
      });
    },
    async getSubscription(id) {
      const row = get.get(id);
      return row === undefined ? undefined : toSubscription(row);
    },
    async subscriptionsOfUser(userId) {
      return ofUser.all(userId).map(toSubscription);
    },
    linkOrder(orderId, subscriptionId, at) {
      return batcher.run((): LinkOrderOutcome => {
        if (get.get(subscriptionId) === undefined) return 'no-subscription';
        return link.run(orderId, subscriptionId, at).changes === 1 ? 'linked' : 'exists';
      });
    },
    async subscriptionsOfOrder(orderId) {
      return ofOrder.all(orderId).map(toSubscription);
    },
    async ordersOf(subscriptionId) {
      return orders.all(subscriptionId).map((r) => r.order_id);
    },
    deleteSubscription(id, notUpdatedAfter) {
      return batcher.run(() => removeStale.run(id, notUpdatedAfter).changes === 1);
    },
    async countSubscriptions() {
      return count.get()?.n ?? 0;
    },
    async listSubscriptions(query) {
      return page.all(query.after ?? '', query.limit).map(toSubscription);
    },
  };
}
