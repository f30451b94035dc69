/**
 * A named notification sent to everyone following an order or a user: read the input, find the
 * subscriptions, send to each (at most `concurrency` at a time), delete those the push service
 * calls gone. What a push rule target runs.
 *
 * Delivery: each message is retried by the sender (429/5xx, within its TTL); the notification as
 * a whole asks the bus to retry only when nothing was accepted and something may succeed later,
 * so a retry never repeats a message another device already accepted. A retry after a crash may
 * repeat some; the `Topic` and `tag` let push services and browsers collapse repeats.
 */
import type { Clock, Logger } from '../core/index.ts';
import { readNotificationInput } from './notification-input.ts';
import type { PushRegistry } from './push-registry.ts';
import type { PushOutcome, PushSender, PushUrgency } from './push-sender.ts';

export interface NotificationSpec {
  readonly title?: string;
  readonly body?: string;
  readonly icon?: string;
  readonly ttlSeconds: number;
  readonly urgency: PushUrgency;
}

export interface NotifySummary {
  readonly subscriptions: number;
  readonly sent: number;
  /** Answered 404/410 and deleted. */
  readonly pruned: number;
  readonly failed: number;
  readonly rejected: number;
  readonly tooLarge: number;
  /** Made with a VAPID key no longer configured: cannot be signed for. */
  readonly noKey: number;
  /** The first failure's message, if any. */
  readonly firstError?: string;
}

export type NotifyResult =
  | { readonly kind: 'done'; readonly summary: NotifySummary }
  /** Nothing was accepted and a retry may help (every failure was transient). */
  | { readonly kind: 'retry'; readonly summary: NotifySummary; readonly message: string }
  /** Nothing can be accepted as things are (VAPID refused, payload too large). */
  | { readonly kind: 'refused'; readonly summary: NotifySummary; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'missing' };

export interface PushNotifier {
  notify(name: string, input: unknown): Promise<NotifyResult>;
}

export interface PushNotifierDeps {
  readonly registry: PushRegistry;
  readonly sender: PushSender;
  readonly notification: (name: string) => NotificationSpec | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Messages in flight per notification; default 16. */
  readonly concurrency?: number;
}

/** Runs `work` over `items` with at most `limit` running at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export function createPushNotifier(deps: PushNotifierDeps): PushNotifier {
  const concurrency = deps.concurrency ?? 16;
  return {
    async notify(name, input) {
      const spec = deps.notification(name);
      if (spec === undefined) return { kind: 'missing' };
      const read = readNotificationInput(name, input, spec);
      if (!read.ok) return { kind: 'invalid', message: read.message };
      const message = read.value;
      const addressees = await deps.registry.addressees({ ...(message.orderId !== undefined ? { orderId: message.orderId } : {}), ...(message.userId !== undefined ? { userId: message.userId } : {}) });
      const counts = { sent: 0, pruned: 0, failed: 0, rejected: 0, tooLarge: 0, noKey: 0 };
      let firstError: string | undefined;
      const payload = Buffer.from(message.payload);
      await pool(addressees, concurrency, async ({ subscription, recipient }) => {
        if (recipient === undefined) {
          counts.noKey++;
          firstError ??= `subscription ${subscription.id} was made with VAPID key ${subscription.vapidKey.slice(0, 12)}…, which is no longer configured`;
          return;
        }
        const sentAt = deps.clock.now();
        const outcome: PushOutcome = await deps.sender.send(recipient, payload, {
          ttlSeconds: spec.ttlSeconds,
          urgency: spec.urgency,
          ...(message.topic !== undefined ? { topic: message.topic } : {}),
        });
        switch (outcome.kind) {
          case 'sent':
            counts.sent++;
            return;
          case 'gone':
            if (await deps.registry.prune(subscription, sentAt)) counts.pruned++;
            return;
          case 'too-large':
            counts.tooLarge++;
            break;
          case 'rejected':
            counts.rejected++;
            break;
          case 'failed':
            counts.failed++;
            break;
        }
        firstError ??= outcome.message;
        deps.logger.log('warn', 'push message not delivered', { notification: name, subscription: subscription.id, outcome: outcome.kind, message: outcome.message });
      });
      const summary: NotifySummary = { subscriptions: addressees.length, ...counts, ...(firstError !== undefined ? { firstError } : {}) };
      if (counts.sent > 0 || counts.failed + counts.rejected + counts.tooLarge + counts.noKey === 0) return { kind: 'done', summary };
      if (counts.failed > 0) return { kind: 'retry', summary, message: firstError ?? 'push messages failed' };
      return { kind: 'refused', summary, message: firstError ?? 'push messages refused' };
    },
  };
}

/** One line for the delivery trace: `sent to 2 of 3 subscriptions, 1 pruned`. */
export function describeSummary(s: NotifySummary): string {
  if (s.subscriptions === 0) return 'no subscription follows this order or user';
  const parts = [`sent to ${s.sent} of ${s.subscriptions} subscription${s.subscriptions === 1 ? '' : 's'}`];
  if (s.pruned > 0) parts.push(`${s.pruned} gone and deleted`);
  if (s.failed > 0) parts.push(`${s.failed} failed`);
  if (s.rejected > 0) parts.push(`${s.rejected} rejected`);
  if (s.tooLarge > 0) parts.push(`${s.tooLarge} too large`);
  if (s.noKey > 0) parts.push(`${s.noKey} made with a retired VAPID key`);
  return parts.join(', ') + (s.firstError !== undefined && s.sent < s.subscriptions ? ` (${s.firstError})` : '');
}
