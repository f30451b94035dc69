/**
 * RFC 8291 message encryption for Web Push: ECDH between a per-message key pair and the
 * subscription's key, mixed with the subscription's auth secret, then `aes128gcm` (RFC 8188) in
 * ONE record of 4096 bytes whose key id is the application server's public key (86-byte header).
 * Pure: the ephemeral key pair and the salt are arguments.
 */
import { SwitchboardError } from '../core/index.ts';
import { encryptContent, hmacSha256, RECORD_OVERHEAD } from './encrypt-content.ts';
import type { EphemeralKey } from './ephemeral-key.ts';
import type { UserAgentKeys } from './user-agent-keys.ts';

/** RFC 8030 §7.2: a push service must accept bodies up to 4096 bytes. */
export const MAX_PUSH_BODY = 4096;
export const PUSH_RECORD_SIZE = 4096;
/** 86 bytes: salt 16, record size 4, key id length 1, key id 65. */
export const PUSH_HEADER_LENGTH = 21 + 65;
/** 4096 - 86 - 16 (tag) - 1 (delimiter) = 3993 bytes. */
export const MAX_PUSH_PLAINTEXT = MAX_PUSH_BODY - PUSH_HEADER_LENGTH - RECORD_OVERHEAD;

const KEY_INFO_LABEL = Buffer.from('WebPush: info\0', 'latin1');
const ONE = Buffer.of(1);

export interface PushEncryptionParams {
  readonly ephemeral: EphemeralKey;
  /** 16 random bytes. */
  readonly salt: Uint8Array;
  /** Zero bytes added to hide the length; counted against the 3993-byte limit. */
  readonly padding?: number;
}

/** The IKM of RFC 8291 §3.3 (HKDF with the auth secret as salt, one expand block). */
export function webPushIkm(ua: UserAgentKeys, ephemeral: EphemeralKey): Buffer {
  const ecdhSecret = ephemeral.sharedSecret(ua);
  const prkKey = hmacSha256(ua.auth, ecdhSecret);
  return hmacSha256(prkKey, KEY_INFO_LABEL, ua.p256dh, ephemeral.publicKey, ONE);
}

export function encryptPushMessage(plaintext: Uint8Array, ua: UserAgentKeys, params: PushEncryptionParams): Buffer {
  const padding = params.padding ?? 0;
  if (plaintext.length + padding > MAX_PUSH_PLAINTEXT) {
    throw new SwitchboardError(
      'SB_PUSH_PAYLOAD_TOO_LARGE',
      `push payload is ${plaintext.length} bytes${padding > 0 ? ` plus ${padding} of padding` : ''}; one aes128gcm record of a 4096-byte push message holds at most ${MAX_PUSH_PLAINTEXT} bytes (RFC 8291 §4, RFC 8030 §7.2)`,
      { details: { bytes: plaintext.length, padding, max: MAX_PUSH_PLAINTEXT } },
    );
  }
  return encryptContent(plaintext, { ikm: webPushIkm(ua, params.ephemeral), salt: params.salt, recordSize: PUSH_RECORD_SIZE, keyId: params.ephemeral.publicKey, padding });
}
