/**
 * VAPID key pairs (RFC 8292): P-256 keys written as base64url, the public key as the 65-byte
 * uncompressed point (87 characters, what browsers take as `applicationServerKey`), the private
 * key as the 32-byte scalar (43 characters) — the format `web-push generate-vapid-keys` prints,
 * so keys move between the two unchanged.
 */
import { createECDH, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SwitchboardError } from '../core/index.ts';
import { fromBase64Url, toBase64Url } from './base64url.ts';

export interface VapidKeyText {
  readonly publicKey: string;
  readonly privateKey: string;
}

export interface VapidKeyPair {
  /** base64url of the 65-byte point, as configured (the `k=` of the Authorization header). */
  readonly publicKey: string;
  readonly publicKeyBytes: Buffer;
  readonly privateKey: KeyObject;
}

export function generateVapidKeys(): VapidKeyText {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  return { publicKey: toBase64Url(point), privateKey: toBase64Url(Buffer.from(jwk.d ?? '', 'base64url')) };
}

/** Which key is wrong and what it should be (config messages name the key, never print a private key). */
export interface VapidKeyProblem {
  readonly key: 'publicKey' | 'privateKey';
  readonly expected: string;
}

type Checked = { readonly ok: true; readonly pair: VapidKeyPair } | ({ readonly ok: false } & VapidKeyProblem);

function check(keys: VapidKeyText): Checked {
  const d = fromBase64Url(keys.privateKey);
  // Some generators drop a leading zero byte of the scalar (web-push issue #295): pad it back.
  if (d === undefined || d.length === 0 || d.length > 32) return { ok: false, key: 'privateKey', expected: 'the base64url of a 32-byte P-256 private key (43 characters)' };
  const scalar = d.length === 32 ? d : Buffer.concat([Buffer.alloc(32 - d.length), d]);
  const point = fromBase64Url(keys.publicKey);
  if (point === undefined || point.length !== 65 || point[0] !== 0x04) return { ok: false, key: 'publicKey', expected: 'the base64url of a 65-byte uncompressed P-256 point (87 characters, starting with B)' };
  let derived: Buffer;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(scalar);
    derived = ecdh.getPublicKey();
  } catch {
    return { ok: false, key: 'privateKey', expected: 'a valid P-256 private key (a scalar between 1 and the group order)' };
  }
  if (!derived.equals(point)) return { ok: false, key: 'publicKey', expected: 'the public key of privateKey (copy both from the same `switchboard vapid` output)' };
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url'), d: scalar.toString('base64url') },
  });
  return { ok: true, pair: { publicKey: toBase64Url(point), publicKeyBytes: point, privateKey } };
}

/** What is wrong with a key pair, or `undefined` when it is usable (config validation). */
export function checkVapidKeys(keys: VapidKeyText): VapidKeyProblem | undefined {
  const c = check(keys);
  return c.ok ? undefined : { key: c.key, expected: c.expected };
}

export function importVapidKeys(keys: VapidKeyText): VapidKeyPair {
  const c = check(keys);
  if (!c.ok) throw new SwitchboardError('SB_PUSH_KEY_INVALID', `VAPID key pair: ${c.key} expects ${c.expected}`);
  return c.pair;
}
