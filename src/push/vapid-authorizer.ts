/**
 * The VAPID `Authorization` header (RFC 8292): `vapid t=<ES256 JWT>, k=<public key>`, the JWT's
 * `aud` the origin of the push endpoint, `exp` 12 h ahead by default (never more than 24 h).
 * One token serves every endpoint of an origin, so it is signed once per origin and reused until
 * an hour before it expires (RFC 8292 §5 encourages reuse; push services cache verification).
 *
 * Concurrency contract: synchronous; the cache is a plain map read and written on the event loop.
 */
import { sign } from 'node:crypto';
import type { Clock } from '../core/index.ts';
import type { VapidKeyPair } from './vapid-keys.ts';

export const MAX_VAPID_EXPIRY_SECONDS = 24 * 3600;

export interface VapidAuthorizerOptions {
  readonly keys: VapidKeyPair;
  readonly subject: string;
  readonly clock: Clock;
  /** Lifetime of a token; default 12 h, at most 24 h. */
  readonly expiresInSeconds?: number;
  /** A token is replaced this long before it expires; default 1 h. */
  readonly renewBeforeSeconds?: number;
}

export interface VapidAuthorizer {
  readonly publicKey: string;
  /** The header value for an endpoint of `origin` (`https://fcm.googleapis.com`). */
  authorization(origin: string): string;
  /** Tokens signed so far (tests check the reuse). */
  readonly signed: number;
}

const JWT_HEADER = Buffer.from('{"typ":"JWT","alg":"ES256"}').toString('base64url');

export function createVapidAuthorizer(options: VapidAuthorizerOptions): VapidAuthorizer {
  const lifetime = options.expiresInSeconds ?? 12 * 3600;
  if (lifetime <= 0 || lifetime > MAX_VAPID_EXPIRY_SECONDS) throw new RangeError(`VAPID tokens expire within 24 h (RFC 8292 §2), got ${lifetime} s`);
  const renewBefore = Math.min(options.renewBeforeSeconds ?? 3600, lifetime / 2);
  const cache = new Map<string, { readonly header: string; readonly renewAt: number }>();
  const suffix = `, k=${options.keys.publicKey}`;
  let signed = 0;

  return {
    publicKey: options.keys.publicKey,
    get signed() {
      return signed;
    },
    authorization(origin) {
      const now = options.clock.now();
      const hit = cache.get(origin);
      if (hit !== undefined && now < hit.renewAt) return hit.header;
      const exp = Math.floor(now / 1000) + lifetime;
      const claims = Buffer.from(JSON.stringify({ aud: origin, exp, sub: options.subject })).toString('base64url');
      const input = `${JWT_HEADER}.${claims}`;
      const signature = sign('sha256', Buffer.from(input), { key: options.keys.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
      signed++;
      const header = `vapid t=${input}.${signature}${suffix}`;
      // Origins are few (one per push service), but a hostile subscription list must not grow it forever.
      if (cache.size >= 1000) cache.clear();
      cache.set(origin, { header, renewAt: (exp - renewBefore) * 1000 });
      return header;
    },
  };
}
