/**
 * The `push_subscriptions` row as both the SQLite and the PostgreSQL adapter read it, and its
 * mapping to `StoredPushSubscription`. Both schemas name and type the columns alike (PostgreSQL's
 * BIGINTs arrive as JS numbers, see `postgres/database.ts`). The writes stay in the adapters: SQLite
 * binds a subscription by name, PostgreSQL by position.
 */
import type { StoredPushSubscription } from '../push-store.ts';

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  vapid_key: string;
  user_id: string | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export const toSubscription = (r: PushSubscriptionRow): StoredPushSubscription => ({
  id: r.id,
  endpoint: r.endpoint,
  p256dh: r.p256dh,
  auth: r.auth,
  vapidKey: r.vapid_key,
  ...(r.user_id !== null ? { userId: r.user_id } : {}),
  ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
