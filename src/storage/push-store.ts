/**
 * The `PushStore` port: Web Push subscriptions (one per browser endpoint, many per user) and the
 * orders each one follows.
 *
 * Guarantees every adapter gives:
 * - A write resolves only once it is durable: it survives `kill -9` of the process.
 * - A subscription is keyed by `id`, a hash of its endpoint: putting the same endpoint again
 *   updates it (keys, user, `updatedAt`) and keeps its order links and `createdAt`.
 * - `putSubscription` with `replaces` (the browser's `pushsubscriptionchange`) moves the old
 *   subscription's order links to the new one and deletes the old one, in one transaction.
 * - Deleting a subscription deletes its order links in the same transaction.
 * - `deleteSubscription(id, notUpdatedAfter)` deletes only a subscription not refreshed after that
 *   time, so a subscription re-registered while a send to it was answered 410 is kept.
 */
export interface StoredPushSubscription {
  /** base64url SHA-256 of the endpoint. */
  readonly id: string;
  readonly endpoint: string;
  /** base64url, as the browser sent them. */
  readonly p256dh: string;
  readonly auth: string;
  /** The VAPID public key the browser subscribed with (`applicationServerKey`): messages must be signed with it. */
  readonly vapidKey: string;
  readonly userId?: string;
  /** The browser's `expirationTime`, ms since the epoch. */
  readonly expiresAt?: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type PutSubscriptionOutcome = 'created' | 'updated';
export type LinkOrderOutcome = 'linked' | 'exists' | 'no-subscription';

export interface PushStore {
  putSubscription(subscription: StoredPushSubscription, replaces?: string): Promise<PutSubscriptionOutcome>;
  getSubscription(id: string): Promise<StoredPushSubscription | undefined>;
  subscriptionsOfUser(userId: string): Promise<readonly StoredPushSubscription[]>;
  linkOrder(orderId: string, subscriptionId: string, at: number): Promise<LinkOrderOutcome>;
  subscriptionsOfOrder(orderId: string): Promise<readonly StoredPushSubscription[]>;
  /** Order ids a subscription follows, oldest link first. */
  ordersOf(subscriptionId: string): Promise<readonly string[]>;
  deleteSubscription(id: string, notUpdatedAfter: number): Promise<boolean>;
  countSubscriptions(): Promise<number>;
  /** Subscriptions in id order, after `after` (exclusive), at most `limit` (read-only listing, e.g. the console). */
  listSubscriptions(query: { readonly after?: string; readonly limit: number }): Promise<readonly StoredPushSubscription[]>;
}
