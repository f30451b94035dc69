/**
 * RFC 8188 `aes128gcm` content encoding: header (salt, record size, key id) followed by records,
 * each AES-128-GCM over data || delimiter || zero padding. Pure: the key material, the salt and the
 * padding are arguments, so the RFC's examples are reproduced byte for byte.
 */
import { createCipheriv, createHmac } from 'node:crypto';

export interface ContentEncryptionParams {
  /** Input keying material: the shared key (RFC 8188), or the Web Push IKM (RFC 8291). */
  readonly ikm: Uint8Array;
  /** 16 random bytes, never reused with the same key material. */
  readonly salt: Uint8Array;
  /** Ciphertext bytes per record (tag included), at least 18. */
  readonly recordSize: number;
  /** Up to 255 bytes (Web Push: the application server's public key). */
  readonly keyId: Uint8Array;
  /**
   * Zero bytes of padding, placed in the earliest records first (as `http_ece`, the reference
   * implementation, places them), each record keeping room for at least one byte of data.
   */
  readonly padding?: number;
}

export const TAG_LENGTH = 16;
/** Delimiter plus tag: what a record costs besides its data and padding. */
export const RECORD_OVERHEAD = 1 + TAG_LENGTH;
const KEY_INFO = Buffer.from('Content-Encoding: aes128gcm\0\x01', 'latin1');
const NONCE_INFO = Buffer.from('Content-Encoding: nonce\0\x01', 'latin1');
const LAST = Buffer.from([2]);
const NOT_LAST = Buffer.from([1]);

/** HMAC-SHA-256 over the concatenation of `parts`. */
export function hmacSha256(key: Uint8Array, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Content-encryption key and base nonce (RFC 8188 §2.2, §2.3): HKDF with one expand block each. */
export function deriveContentKeys(ikm: Uint8Array, salt: Uint8Array): { readonly key: Buffer; readonly nonce: Buffer } {
  const prk = hmacSha256(salt, ikm);
  return { key: hmacSha256(prk, KEY_INFO).subarray(0, 16), nonce: hmacSha256(prk, NONCE_INFO).subarray(0, 12) };
}

export function contentHeader(salt: Uint8Array, recordSize: number, keyId: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(21 + keyId.length);
  header.set(salt, 0);
  header.writeUInt32BE(recordSize, 16);
  header.writeUInt8(keyId.length, 20);
  header.set(keyId, 21);
  return header;
}

/** The nonce of record `seq`: the base nonce XOR the sequence number (96-bit big-endian; seq < 2^32). */
function recordNonce(base: Buffer, seq: number): Buffer {
  if (seq === 0) return base;
  const nonce = Buffer.from(base);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
  return nonce;
}

export function encryptContent(plaintext: Uint8Array, params: ContentEncryptionParams): Buffer {
  const { recordSize: rs, salt, keyId } = params;
  if (salt.length !== 16) throw new RangeError(`aes128gcm salt must be 16 bytes, got ${salt.length}`);
  if (!Number.isInteger(rs) || rs < RECORD_OVERHEAD + 1 || rs > 0xffffffff) throw new RangeError(`aes128gcm record size must be an integer >= 18, got ${rs}`);
  if (keyId.length > 255) throw new RangeError(`aes128gcm key id must be at most 255 bytes, got ${keyId.length}`);
  const { key, nonce } = deriveContentKeys(params.ikm, salt);
  const parts: Buffer[] = [contentHeader(salt, rs, keyId)];
  let pad = params.padding ?? 0;
  let start = 0;
  for (let seq = 0; ; seq++) {
    let recordPad = Math.min(rs - RECORD_OVERHEAD - 1, pad);
    if (pad > 0 && recordPad === 0) recordPad = 1;
    pad -= recordPad;
    const end = start + rs - RECORD_OVERHEAD - recordPad;
    const last = end >= plaintext.length && pad <= 0;
    const cipher = createCipheriv('aes-128-gcm', key, recordNonce(nonce, seq));
    parts.push(cipher.update(plaintext.subarray(start, Math.min(end, plaintext.length))), cipher.update(last ? LAST : NOT_LAST));
    if (recordPad > 0) parts.push(cipher.update(Buffer.alloc(recordPad)));
    parts.push(cipher.final(), cipher.getAuthTag());
    if (last) break;
    start = end;
  }
  return Buffer.concat(parts);
}
