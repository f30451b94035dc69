/**
 * Guest access: temporary AWS credentials like those a Cognito identity pool vends to
 * unauthenticated users. Stateless on purpose: nothing is stored; the session token is an
 * AES-256-GCM sealed blob holding the secret, so any server process holding the same `guestKey`
 * can verify requests signed with the credentials, across restarts and replicas.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { SwitchboardError } from '../core/index.ts';

export interface GuestCredentials {
  readonly identityId: string;
  /** Starts with `ASIA`, like STS temporary keys. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO 8601. */
  readonly expiration: string;
}

/** What an opened session token proves. */
export interface GuestPrincipal {
  readonly identityId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** ms since epoch. */
  readonly expiresAt: number;
}

export type GuestTokenCheck =
  | { readonly ok: true; readonly principal: GuestPrincipal }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

export interface GuestVendor {
  vend(now: number): GuestCredentials;
  /** Opens a session token and checks it belongs to `accessKeyId` and has not expired at `now`. */
  open(accessKeyId: string, sessionToken: string, now: number): GuestTokenCheck;
}

export interface GuestVendorOptions {
  /** 64 hex characters (32 bytes): the AES-256-GCM key sealing session tokens. */
  readonly guestKey: string;
  /** Credential lifetime; default 3600 (Cognito's default). */
  readonly durationSeconds?: number;
  /** Prefix of identity ids (`<region>:<uuid>`, as Cognito writes them); default `us-east-1`. */
  readonly region?: string;
}

export const GUEST_ACCESS_KEY_PREFIX = 'ASIA';
/** Binds sealed blobs to this use and format version; a future format changes it. */
const SEAL_AAD = Buffer.from('switchboard/guest-session/v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function createGuestVendor(options: GuestVendorOptions): GuestVendor {
  if (!/^[0-9a-fA-F]{64}$/.test(options.guestKey)) {
    throw new SwitchboardError('SB_CONFIG_INVALID', 'guestKey expects 64 hex characters (32 bytes)');
  }
  const key = Buffer.from(options.guestKey, 'hex');
  const durationMs = (options.durationSeconds ?? 3600) * 1000;
  const region = options.region ?? 'us-east-1';

  return {
    vend(now) {
      const principal: GuestPrincipal = {
        identityId: `${region}:${randomUUID()}`,
        accessKeyId: `${GUEST_ACCESS_KEY_PREFIX}${randomBase32(16)}`,
        secretAccessKey: randomBytes(30).toString('base64'),
        expiresAt: now + durationMs,
      };
      return {
        identityId: principal.identityId,
        accessKeyId: principal.accessKeyId,
        secretAccessKey: principal.secretAccessKey,
        sessionToken: seal(key, principal),
        expiration: new Date(principal.expiresAt).toISOString(),
      };
    },
    open(accessKeyId, sessionToken, now) {
      const principal = unseal(key, sessionToken);
      if (principal === undefined || principal.accessKeyId !== accessKeyId) return { ok: false, reason: 'invalid' };
      if (now >= principal.expiresAt) return { ok: false, reason: 'expired' };
      return { ok: true, principal };
    },
  };
}

function seal(key: Buffer, p: GuestPrincipal): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(SEAL_AAD);
  const plain = JSON.stringify({ identityId: p.identityId, accessKeyId: p.accessKeyId, secret: p.secretAccessKey, expiresAt: p.expiresAt });
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function unseal(key: Buffer, token: string): GuestPrincipal | undefined {
  const blob = Buffer.from(token, 'base64');
  if (blob.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES));
    decipher.setAAD(SEAL_AAD);
    decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    const v = JSON.parse(plain) as Record<string, unknown>;
    if (
      typeof v['identityId'] !== 'string' ||
      typeof v['accessKeyId'] !== 'string' ||
      typeof v['secret'] !== 'string' ||
      typeof v['expiresAt'] !== 'number'
    ) {
      return undefined;
    }
    return { identityId: v['identityId'], accessKeyId: v['accessKeyId'], secretAccessKey: v['secret'], expiresAt: v['expiresAt'] };
  } catch {
    // A forged, truncated or foreign-key token fails authentication; that is the only signal needed.
    return undefined;
  }
}

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

