/**
 * A push rule target's input (after its InputTransformer) read as a notification: who gets it
 * (`orderId` and/or `userId`), what it shows (`title`, `body`, `icon`, `tag`, `url`, falling back
 * on the notification's config), and `data` for the service worker. Pure.
 *
 * The payload the service worker receives is JSON:
 * `{"notification", "title", "body", "icon"?, "tag", "url"?, "data": {"orderId"?, "userId"?, ...}}`;
 * `tag` defaults to `order-<orderId>` so a newer status replaces the older one on screen, and the
 * RFC 8030 `Topic` is derived from the order id so a push service replaces an undelivered one.
 */
import { createHash } from 'node:crypto';
import type { Checked } from './subscribe-request.ts';

export interface NotificationDefaults {
  readonly title?: string;
  readonly body?: string;
  readonly icon?: string;
}

export interface NotificationMessage {
  readonly orderId?: string;
  readonly userId?: string;
  /** JSON text sent to the service worker. */
  readonly payload: string;
  readonly topic?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const optionalString = (o: Record<string, unknown>, key: string): string | undefined => (typeof o[key] === 'string' ? o[key] : typeof o[key] === 'number' ? String(o[key]) : undefined);

/** RFC 8030 §5.4 allows 32 base64url characters, autopush only alphanumerics: a short id as is, a UUID without dashes, anything else hashed. */
export function topicFor(key: string): string {
  if (/^[A-Za-z0-9]{1,32}$/.test(key)) return key;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)) return key.replace(/-/g, '');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function readNotificationInput(name: string, input: unknown, defaults: NotificationDefaults): Checked<NotificationMessage> {
  if (!isRecord(input)) return { ok: false, message: `the input of a push target must be a JSON object with orderId or userId, title and body (got ${input === null ? 'null' : typeof input})` };
  const orderId = optionalString(input, 'orderId');
  const userId = optionalString(input, 'userId');
  if (orderId === undefined && userId === undefined) return { ok: false, message: 'the input of a push target names no recipients: give orderId or userId (an InputTransformer can pick them from the event)' };
  const title = optionalString(input, 'title') ?? defaults.title;
  if (title === undefined) return { ok: false, message: `notification ${name} has no title: put one in the input or in push.notifications.${name}.title` };
  const body = optionalString(input, 'body') ?? defaults.body;
  const icon = optionalString(input, 'icon') ?? defaults.icon;
  const url = optionalString(input, 'url');
  const extra = isRecord(input['data']) ? input['data'] : {};
  const payload = {
    notification: name,
    title,
    ...(body !== undefined ? { body } : {}),
    ...(icon !== undefined ? { icon } : {}),
    tag: optionalString(input, 'tag') ?? (orderId !== undefined ? `order-${orderId}` : name),
    ...(url !== undefined ? { url } : {}),
    data: { ...extra, ...(orderId !== undefined ? { orderId } : {}), ...(userId !== undefined ? { userId } : {}) },
  };
  return {
    ok: true,
    value: {
      ...(orderId !== undefined ? { orderId, topic: topicFor(orderId) } : {}),
      ...(userId !== undefined ? { userId } : {}),
      payload: JSON.stringify(payload),
    },
  };
}
