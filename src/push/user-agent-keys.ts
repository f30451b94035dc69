/**
 * A subscription's keys (`keys.p256dh`, `keys.auth` of `PushSubscription.toJSON()`), checked once
 * and kept decoded: the P-256 point is imported as a `KeyObject` when the subscription is loaded,
 * never again per message.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { fromBase64Url } from './base64url.ts';

export interface UserAgentKeys {
  /** The user agent's ECDH public key, 65 bytes (0x04 || X || Y). */
  readonly p256dh: Buffer;
  /** The 16-byte authentication secret. */
  readonly auth: Buffer;
  readonly publicKey: KeyObject;
}

export type UserAgentKeysCheck = { readonly ok: true; readonly keys: UserAgentKeys } | { readonly ok: false; readonly reason: string };

/** An uncompressed P-256 point as a public `KeyObject`; throws when it is not on the curve. */
export function p256PublicKey(point: Buffer): KeyObject {
  return createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') } });
}

export function parseUserAgentKeys(p256dh: unknown, auth: unknown): UserAgentKeysCheck {
  const point = typeof p256dh === 'string' ? fromBase64Url(p256dh) : undefined;
  if (point === undefined || point.length !== 65 || point[0] !== 0x04) return { ok: false, reason: 'keys.p256dh must be the base64url of a 65-byte uncompressed P-256 point' };
  const secret = typeof auth === 'string' ? fromBase64Url(auth) : undefined;
  if (secret === undefined || secret.length !== 16) return { ok: false, reason: 'keys.auth must be the base64url of 16 bytes' };
  let publicKey: KeyObject;
  try {
    publicKey = p256PublicKey(point);
  } catch {
    // RFC 8291 §7: a key that is not on P-256 must be refused.
    return { ok: false, reason: 'keys.p256dh is not a point on the P-256 curve' };
  }
  return { ok: true, keys: { p256dh: point, auth: secret, publicKey } };
}
