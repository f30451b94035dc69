/**
 * `util.autoId`, `util.autoUlid`, `util.autoKsuid`. The time component of ULIDs and KSUIDs comes
 * from the injected clock so tests on a virtual clock get predictable prefixes; the random part
 * always comes from the CSPRNG.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** KSUID timestamps count seconds from 2014-05-13T16:53:20Z (the format's own epoch). */
const KSUID_EPOCH_SECONDS = 1_400_000_000;

export function autoId(): string {
  return randomUUID();
}

/** 26 chars of Crockford base32: 48-bit millisecond time, then 80 random bits. */
export function autoUlid(nowMs: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let random = '';
  for (let i = 0; i < 16; i++) {
    random = CROCKFORD.charAt(Number(bits & 31n)) + random;
    bits >>= 5n;
  }
  return time + random;
}

/** 27 chars of base62 over 20 bytes: a 32-bit seconds timestamp, then 128 random bits. */
export function autoKsuid(nowMs: number): string {
  const seconds = Math.max(0, Math.floor(nowMs / 1000) - KSUID_EPOCH_SECONDS) >>> 0;
  let n = BigInt(seconds);
  for (const b of randomBytes(16)) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE62.charAt(Number(n % 62n)) + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}
