/**
 * The application server's per-message ECDH key pair (RFC 8291 §3.1: a new one for every message).
 * `createEphemeralKeyPool` generates them ahead of use on libuv's thread pool
 * (`crypto.generateKeyPair`), so the send path only takes one; each pair is handed out exactly
 * once. The pool fills from the first `take`; when it runs dry a pair is generated on the spot.
 *
 * Concurrency contract: `take` is synchronous and never returns the same pair twice; at most
 * `parallel` generations run at once; `close` stops refilling and drops the pairs held.
 */
import { createECDH, createPrivateKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface EphemeralKey {
  readonly privateKey: KeyObject;
  /** 65 bytes, 0x04 || X || Y: the `keyid` of the aes128gcm header. */
  readonly publicKey: Buffer;
}

/** The uncompressed point, from the public key's JWK (several times cheaper than the private key's, and than DER). */
function rawPublic(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.of(4), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
}

export function generateEphemeralKey(): EphemeralKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKey: rawPublic(publicKey) };
}

/** A fixed key pair from its 32-byte private scalar: for test vectors only. */
export function ephemeralKeyFromPrivate(d: Buffer): EphemeralKey {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const publicKey = ecdh.getPublicKey();
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', x: publicKey.subarray(1, 33).toString('base64url'), y: publicKey.subarray(33).toString('base64url'), d: d.toString('base64url') },
  });
  return { privateKey, publicKey };
}

export interface EphemeralKeyPool {
  take(): EphemeralKey;
  readonly size: number;
  /** Pairs `take` had to generate itself because the pool was empty. */
  readonly generatedOnTheSpot: number;
  close(): void;
}

export interface EphemeralKeyPoolOptions {
  /** Pairs kept ready; default 512. */
  readonly capacity?: number;
  /**
   * Generations queued on the thread pool at once; default 64. More than libuv's 4 threads on
   * purpose: completions are collected once per event-loop turn, and a busy turn sends dozens.
   */
  readonly parallel?: number;
}

export function createEphemeralKeyPool(options: EphemeralKeyPoolOptions = {}): EphemeralKeyPool {
  const capacity = options.capacity ?? 512;
  const parallel = Math.max(1, Math.min(options.parallel ?? 64, capacity));
  const ready: EphemeralKey[] = [];
  let inFlight = 0;
  let closed = false;
  let generatedOnTheSpot = 0;

  // Keeps up to `parallel` generations running until the pool is full (libuv runs them on its threads).
  const refill = (): void => {
    while (!closed && inFlight < parallel && ready.length + inFlight < capacity) {
      inFlight++;
      generateKeyPair('ec', { namedCurve: 'prime256v1' }, (error, publicKey, privateKey) => {
        inFlight--;
        if (!closed && error === null) ready.push({ privateKey, publicKey: rawPublic(publicKey) });
        refill();
      });
    }
  };

  // Filled from the first `take`, so a server that never sends generates nothing.
  return {
    take() {
      let key = ready.pop();
      if (key === undefined) {
        generatedOnTheSpot++;
        key = generateEphemeralKey();
      }
      refill();
      return key;
    },
    get size() {
      return ready.length;
    },
    get generatedOnTheSpot() {
      return generatedOnTheSpot;
    },
    close() {
      closed = true;
      ready.length = 0;
    },
  };
}
