/**
 * The bodies of `POST /subscribe` and `POST /subscribe/order`, checked (pure). A subscription is
 * what the browser's `PushSubscription.toJSON()` gives (`endpoint`, `expirationTime`, `keys`),
 * plus, optionally, `userId`, the `applicationServerKey` it was made with (default: the current
 * VAPID key) and `oldEndpoint` (a `pushsubscriptionchange` replacing an earlier subscription).
 */
import { createHash } from 'node:crypto';
import type { EndpointCheck } from './endpoint-allow-list.ts';
import { parseUserAgentKeys } from './user-agent-keys.ts';

export interface SubscribeRequest {
  readonly id: string;
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  readonly vapidKey: string;
  readonly userId?: string;
  readonly expiresAt?: number;
  /** Id of the subscription this one replaces. */
  readonly replaces?: string;
}

export interface OrderLinkRequest {
  readonly orderId: string;
  readonly subscriptionId: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The seed's key: a hash of the endpoint (SHA-256, base64url), so a client can compute it too. */
export function subscriptionIdOf(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('base64url');
}

const MAX_ID = 256;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const idLike = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID;

export interface SubscribeContext {
  readonly allowEndpoint: EndpointCheck;
  /** Configured VAPID public keys, the current one first. */
  readonly vapidKeys: readonly string[];
}

export function parseSubscribeRequest(body: unknown, ctx: SubscribeContext): Checked<SubscribeRequest> {
  const fail = (message: string): Checked<SubscribeRequest> => ({ ok: false, message });
  if (!isRecord(body)) return fail('the body must be a PushSubscription as JSON: {"endpoint": "...", "keys": {"p256dh": "...", "auth": "..."}}');
  const endpointText = body['endpoint'];
  if (typeof endpointText !== 'string' || endpointText.length > 2048) return fail('endpoint must be the subscription URL (at most 2048 characters)');
  let endpoint: URL;
  try {
    endpoint = new URL(endpointText);
  } catch {
    return fail('endpoint must be the subscription URL');
  }
  if (!ctx.allowEndpoint(endpoint)) return fail(`endpoint ${endpoint.origin} is not a push service this server sends to (push.allowedEndpoints)`);
  const keys = body['keys'];
  if (!isRecord(keys)) return fail('keys must be {"p256dh": "...", "auth": "..."}');
  const parsed = parseUserAgentKeys(keys['p256dh'], keys['auth']);
  if (!parsed.ok) return fail(parsed.reason);
  const userId = body['userId'];
  if (userId !== undefined && userId !== null && !idLike(userId)) return fail(`userId must be a string of 1-${MAX_ID} characters`);
  const key = body['applicationServerKey'] ?? ctx.vapidKeys[0];
  if (typeof key !== 'string' || !ctx.vapidKeys.includes(key)) return fail('applicationServerKey is not a VAPID key of this server (GET /push/vapid.json gives the current one)');
  const expiration = body['expirationTime'];
  if (expiration !== undefined && expiration !== null && (typeof expiration !== 'number' || !Number.isFinite(expiration))) return fail('expirationTime must be a number or null');
  const old = body['oldEndpoint'];
  if (old !== undefined && old !== null && typeof old !== 'string') return fail('oldEndpoint must be a string');
  return {
    ok: true,
    value: {
      id: subscriptionIdOf(endpointText),
      endpoint: endpointText,
      p256dh: parsed.keys.p256dh.toString('base64url'),
      auth: parsed.keys.auth.toString('base64url'),
      vapidKey: key,
      ...(typeof userId === 'string' ? { userId } : {}),
      ...(typeof expiration === 'number' ? { expiresAt: expiration } : {}),
      ...(typeof old === 'string' && old !== endpointText ? { replaces: subscriptionIdOf(old) } : {}),
    },
  };
}

export function parseOrderLinkRequest(body: unknown): Checked<OrderLinkRequest> {
  if (!isRecord(body)) return { ok: false, message: 'the body must be JSON: {"orderId": "...", "subscriptionId": "..."}' };
  const orderId = body['orderId'];
  if (!idLike(orderId)) return { ok: false, message: `orderId must be a string of 1-${MAX_ID} characters` };
  const given = body['subscriptionId'];
  const endpoint = body['endpoint'];
  // The id as /subscribe answered it, or the endpoint it is the hash of.
  const subscriptionId = idLike(given) ? given : typeof endpoint === 'string' ? subscriptionIdOf(endpoint) : undefined;
  if (subscriptionId === undefined) return { ok: false, message: 'subscriptionId (as POST /subscribe answered it) or endpoint is required' };
  return { ok: true, value: { orderId, subscriptionId } };
}
