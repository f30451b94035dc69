/**
 * Who receives a notification: subscriptions stored through the `PushStore` port, found by order or
 * by user, each decoded once into a `PushRecipient` (keys imported, signer picked by the VAPID key
 * it was made with) and kept in a bounded cache keyed by (id, updatedAt).
 *
 * Concurrency contract: `subscribe` and `linkOrder` queue their store write synchronously (before
 * their first await), so a caller that also appends an event in the same turn gets one commit for
 * both. The cache is only read and written on the event loop.
 */
import type { Clock } from '../core/index.ts';
import type { LinkOrderOutcome, PushStore, PutSubscriptionOutcome, StoredPushSubscription } from '../storage/index.ts';
import type { PushRecipient } from './push-sender.ts';
import type { OrderLinkRequest, SubscribeRequest } from './subscribe-request.ts';
import { parseUserAgentKeys } from './user-agent-keys.ts';
import type { VapidAuthorizer } from './vapid-authorizer.ts';

export interface Addressee {
  readonly subscription: StoredPushSubscription;
  /** Absent when no configured VAPID key matches the one it was made with (retired in a rotation). */
  readonly recipient?: PushRecipient;
}

export interface PushRegistry {
  subscribe(request: SubscribeRequest): Promise<PutSubscriptionOutcome>;
  linkOrder(request: OrderLinkRequest): Promise<LinkOrderOutcome>;
  exists(subscriptionId: string): Promise<boolean>;
  /** Subscriptions following the order, and those of the user, each once. */
  addressees(to: { readonly orderId?: string; readonly userId?: string }): Promise<readonly Addressee[]>;
  /** Deletes a subscription the push service called gone, unless refreshed since `sentAt`. */
  prune(subscription: StoredPushSubscription, sentAt: number): Promise<boolean>;
}

export interface PushRegistryDeps {
  readonly store: PushStore;
  readonly clock: Clock;
  /** Signers by VAPID public key. */
  readonly authorizers: ReadonlyMap<string, VapidAuthorizer>;
  readonly cacheSize?: number;
}

export function createPushRegistry(deps: PushRegistryDeps): PushRegistry {
  const cacheSize = deps.cacheSize ?? 10_000;
  const cache = new Map<string, { readonly updatedAt: number; readonly recipient: PushRecipient | undefined }>();

  const decode = (s: StoredPushSubscription): PushRecipient | undefined => {
    const hit = cache.get(s.id);
    if (hit !== undefined && hit.updatedAt === s.updatedAt) return hit.recipient;
    const vapid = deps.authorizers.get(s.vapidKey);
    const keys = parseUserAgentKeys(s.p256dh, s.auth);
    let recipient: PushRecipient | undefined;
    if (vapid !== undefined && keys.ok) {
      const endpoint = new URL(s.endpoint);
      recipient = { endpoint, origin: endpoint.origin, keys: keys.keys, vapid };
    }
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(s.id, { updatedAt: s.updatedAt, recipient });
    return recipient;
  };

  return {
    subscribe(r) {
      const now = deps.clock.now();
      return deps.store.putSubscription(
        {
          id: r.id,
          endpoint: r.endpoint,
          p256dh: r.p256dh,
          auth: r.auth,
          vapidKey: r.vapidKey,
          ...(r.userId !== undefined ? { userId: r.userId } : {}),
          ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
          createdAt: now,
          updatedAt: now,
        },
        r.replaces,
      );
    },
    linkOrder(r) {
      return deps.store.linkOrder(r.orderId, r.subscriptionId, deps.clock.now());
    },
    async exists(id) {
      return (await deps.store.getSubscription(id)) !== undefined;
    },
    async addressees(to) {
      const [byOrder, byUser] = await Promise.all([
        to.orderId !== undefined ? deps.store.subscriptionsOfOrder(to.orderId) : [],
        to.userId !== undefined ? deps.store.subscriptionsOfUser(to.userId) : [],
      ]);
      const seen = new Set<string>();
      const out: Addressee[] = [];
      for (const s of [...byOrder, ...byUser]) {
        if (seen.has(s.id)) continue;
        seen.add(s.id);
        const recipient = decode(s);
        out.push(recipient === undefined ? { subscription: s } : { subscription: s, recipient });
      }
      return out;
    },
    async prune(subscription, sentAt) {
      cache.delete(subscription.id);
      return deps.store.deleteSubscription(subscription.id, sentAt);
    },
  };
}
