/**
 * The application server's per-message ECDH key pair (RFC 8291 §3.1: a new one for every message).
 *
 * `createEphemeralKeySource` generates each pair on the send path with one reused `ECDH` object:
 * `generateKeys()` draws a fresh random private key every call (a fixed-base multiplication,
 * about 13 µs here) and hands back the public point directly, and `computeSecret` takes the
 * subscription's point as bytes. Measured on Node 20 / OpenSSL 3.0, that is cheaper on the event
 * loop than taking a pair pregenerated on libuv's thread pool (`crypto.generateKeyPair`): queueing
 * the job alone costs about 16 µs of the event loop, its completion wraps two `KeyObject`s and
 * the public point must then be exported again (JWK, 10 µs), and `diffieHellman` over
 * `KeyObject`s costs what `computeSecret` does. Loading a pregenerated private scalar into an
 * `ECDH` (`setPrivateKey`) recomputes the public point, so it costs as much as generating anew:
 * there is nothing left to do ahead of time.
 *
 * Concurrency contract: synchronous. A key taken from a source is single-use and valid until the
 * source's next `take` (they share the `ECDH` object): `sharedSecret` throws for a stale key rather
 * than answer with another message's key. `encryptPushMessage` uses it at once, so it never is.
 */
import { createECDH, createPrivateKey, type ECDH, type KeyObject } from 'node:crypto';
import type { UserAgentKeys } from './user-agent-keys.ts';

export interface EphemeralKey {
  /** 65 bytes, 0x04 || X || Y: the `keyid` of the aes128gcm header. */
  readonly publicKey: Buffer;
  /** The 32-byte `ecdh_secret` of RFC 8291 §3.1 between this key and the user agent's. */
  sharedSecret(ua: UserAgentKeys): Buffer;
}

/** A key pair whose private half is known (test vectors), also as a `KeyObject`. */
export interface FixedEphemeralKey extends EphemeralKey {
  readonly privateKey: KeyObject;
}

/** One new key pair with an `ECDH` of its own. */
export function generateEphemeralKey(): EphemeralKey {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  return { publicKey, sharedSecret: (ua) => ecdh.computeSecret(ua.p256dh) };
}

/** A fixed key pair from its 32-byte private scalar: for test vectors only. */
export function ephemeralKeyFromPrivate(d: Buffer): FixedEphemeralKey {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const publicKey = ecdh.getPublicKey();
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', x: publicKey.subarray(1, 33).toString('base64url'), y: publicKey.subarray(33).toString('base64url'), d: d.toString('base64url') },
  });
  return { publicKey, privateKey, sharedSecret: (ua) => ecdh.computeSecret(ua.p256dh) };
}

export interface EphemeralKeySource {
  /** A new key pair, never handed out before; usable until the next `take`. */
  take(): EphemeralKey;
  /** Pairs generated so far. */
  readonly generated: number;
  close(): void;
}

export function createEphemeralKeySource(): EphemeralKeySource {
  let ecdh: ECDH | undefined;
  let generated = 0;
  return {
    take() {
      ecdh ??= createECDH('prime256v1');
      const own = ecdh;
      const publicKey = own.generateKeys();
      const serial = ++generated;
      return {
        publicKey,
        sharedSecret(ua) {
          if (serial !== generated || own !== ecdh) throw new Error('an ephemeral key is single-use and valid only until the next take()');
          return own.computeSecret(ua.p256dh);
        },
      };
    },
    get generated() {
      return generated;
    },
    close() {
      ecdh = undefined;
    },
  };
}
