/**
 * RFC 8291 (Web Push message encryption) and RFC 8188 (aes128gcm) reproduced byte for byte from
 * the RFCs' own examples, every intermediate value of RFC 8291 Appendix A included; then round
 * trips through `http_ece` (the reference implementation by the RFCs' author) as an independent
 * decryptor, and the limits RFC 8291 §4 and §7 set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, diffieHellman, randomBytes } from 'node:crypto';
import ece from 'http_ece';
import { isSwitchboardError } from '../../src/core/index.ts';
import {
  encryptContent,
  encryptPushMessage,
  ephemeralKeyFromPrivate,
  generateEphemeralKey,
  deriveContentKeys,
  hmacSha256,
  MAX_PUSH_PLAINTEXT,
  parseUserAgentKeys,
  webPushIkm,
  type UserAgentKeys,
} from '../../src/push/index.ts';

const b = (text: string): Buffer => Buffer.from(text, 'base64url');

// RFC 8291 §5 and Appendix A.
const A = {
  plaintext: 'V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24',
  asPublic: 'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
  asPrivate: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
  uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  ecdhSecret: 'kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs',
  prkKey: 'Snr3JMxaHVDXHWJn5wdC52WjpCtd2EIEGBykDcZW32k',
  keyInfo: 'V2ViUHVzaDogaW5mbwAEJXGyvs3942BVGq8e0PTNNmwRzr5VX4m8t7GGpTM5FzFo7OLr4BhZe9MEebhuPI-OztV3ylkYfpJGmQ22ggCLDgT-M_SrDepxkU21WCP3O1SUj0EwbZIHMtu5pZpTKGSCIA5Zent7wmC6HCJ5mFgJkuk5cwAvMBKiiujwa7t45ewP',
  ikm: 'S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg',
  prk: '09_eUZGrsvxChDCGRCdkLiDXrReGOEVeSCdCcPBSJSc',
  cek: 'oIhVW04MRdy2XN9CiKLxTg',
  nonce: '4h_95klXJ5E_qnoN',
  header: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
  ciphertext: '8pfeW0KbunFT06SuDKoJH9Ql87S1QUrdirN6GcG7sFz1y1sqLgVi1VhjVkHsUoEsbI_0LpXMuGvnzQ',
  body: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

function uaKeys(): UserAgentKeys {
  const parsed = parseUserAgentKeys(A.uaPublic, A.authSecret);
  assert.ok(parsed.ok);
  return parsed.keys;
}

test('RFC 8291 Appendix A: every intermediate value of the key schedule', () => {
  const as = ephemeralKeyFromPrivate(b(A.asPrivate));
  assert.equal(as.publicKey.toString('base64url'), A.asPublic);
  const ua = uaKeys();
  const ecdh = diffieHellman({ privateKey: as.privateKey, publicKey: ua.publicKey });
  assert.equal(ecdh.toString('base64url'), A.ecdhSecret);
  const prkKey = hmacSha256(ua.auth, ecdh);
  assert.equal(prkKey.toString('base64url'), A.prkKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.p256dh, as.publicKey]);
  assert.equal(keyInfo.toString('base64url'), A.keyInfo);
  assert.equal(webPushIkm(ua, as).toString('base64url'), A.ikm);
  assert.equal(hmacSha256(b(A.salt), b(A.ikm)).toString('base64url'), A.prk);
  const { key, nonce } = deriveContentKeys(b(A.ikm), b(A.salt));
  assert.equal(key.toString('base64url'), A.cek);
  assert.equal(nonce.toString('base64url'), A.nonce);
});

test('RFC 8291 Appendix A: the 144-byte message body, byte for byte (86-byte header, one record, delimiter 0x02)', () => {
  const body = encryptPushMessage(b(A.plaintext), uaKeys(), { ephemeral: ephemeralKeyFromPrivate(b(A.asPrivate)), salt: b(A.salt) });
  assert.equal(body.length, 144);
  assert.equal(body.subarray(0, 86).toString('base64url'), A.header);
  assert.equal(body.subarray(86).toString('base64url'), A.ciphertext);
  assert.equal(body.toString('base64url'), A.body);
  // And the user agent of the example decrypts it with its private key.
  const ua = createECDH('prime256v1');
  ua.setPrivateKey(b(A.uaPrivate));
  assert.equal(ece.decrypt(body, { version: 'aes128gcm', privateKey: ua, authSecret: A.authSecret }).toString(), 'When I grow up, I want to be a watermelon');
});

test('RFC 8188 §3.1: "I am the walrus" with a shared key, rs 4096, no key id (53 bytes)', () => {
  const body = encryptContent(Buffer.from('I am the walrus'), { ikm: b('yqdlZ-tYemfogSmv7Ws5PQ'), salt: b('I1BsxtFttlv3u_Oo94xnmw'), recordSize: 4096, keyId: Buffer.alloc(0) });
  assert.equal(body.toString('base64url'), 'I1BsxtFttlv3u_Oo94xnmwAAEAAA-NAVub2qFgBEuQKRapoZu-IxkIva3MEB1PD-ly8Thjg');
  assert.equal(body.length, 53);
});

test('RFC 8188 §3.2: two records of rs 25, key id "a1", one byte of padding in the first (73 bytes)', () => {
  const body = encryptContent(Buffer.from('I am the walrus'), { ikm: b('BO3ZVPxUlnLORbVGMpbT1Q'), salt: b('uNCkWiNYzKTnBN9ji3-qWA'), recordSize: 25, keyId: Buffer.from('a1'), padding: 1 });
  assert.equal(body.toString('base64url'), 'uNCkWiNYzKTnBN9ji3-qWAAAABkCYTHOG8chz_gnvgOqdGYovxyjuqRyJFjEDyoF1Fvkj6hQPdPHI51OEUKEpgz3SsLWIqS_uA');
  assert.equal(body.length, 73);
  assert.equal(ece.decrypt(body, { version: 'aes128gcm', key: 'BO3ZVPxUlnLORbVGMpbT1Q' }).toString(), 'I am the walrus');
});

test('aes128gcm over many records and padding decrypts with http_ece', () => {
  const key = randomBytes(16);
  const plaintext = randomBytes(1000);
  for (const [rs, padding] of [[18, 0], [100, 0], [100, 250], [4096, 17]] as const) {
    const body = encryptContent(plaintext, { ikm: key, salt: randomBytes(16), recordSize: rs, keyId: Buffer.from('k'), padding });
    assert.deepEqual(ece.decrypt(body, { version: 'aes128gcm', key }), plaintext, `rs ${rs} padding ${padding}`);
  }
});

function randomSubscription(): { ua: ReturnType<typeof createECDH>; auth: Buffer; keys: UserAgentKeys } {
  const ua = createECDH('prime256v1');
  ua.generateKeys();
  const auth = randomBytes(16);
  const parsed = parseUserAgentKeys(ua.getPublicKey().toString('base64url'), auth.toString('base64url'));
  assert.ok(parsed.ok);
  return { ua, auth, keys: parsed.keys };
}

test('a message to a random subscription decrypts with http_ece, with and without padding', () => {
  for (const padding of [0, 1, 100]) {
    const { ua, auth, keys } = randomSubscription();
    const plaintext = Buffer.from(JSON.stringify({ orderId: 'o-1', status: 'OUT_FOR_DELIVERY', padding }));
    const body = encryptPushMessage(plaintext, keys, { ephemeral: generateEphemeralKey(), salt: randomBytes(16), padding });
    assert.equal(body.length, 86 + plaintext.length + padding + 17);
    assert.equal(body.readUInt32BE(16), 4096);
    assert.equal(body[20], 65);
    assert.deepEqual(ece.decrypt(body, { version: 'aes128gcm', privateKey: ua, authSecret: auth }), plaintext);
  }
});

test('3993 bytes of plaintext fill a 4096-byte message; 3994 are refused with SB_PUSH_PAYLOAD_TOO_LARGE', () => {
  assert.equal(MAX_PUSH_PLAINTEXT, 3993);
  const { ua, auth, keys } = randomSubscription();
  const full = encryptPushMessage(Buffer.alloc(3993, 0x61), keys, { ephemeral: generateEphemeralKey(), salt: randomBytes(16) });
  assert.equal(full.length, 4096);
  assert.equal(ece.decrypt(full, { version: 'aes128gcm', privateKey: ua, authSecret: auth }).length, 3993);
  assert.throws(
    () => encryptPushMessage(Buffer.alloc(3994), keys, { ephemeral: generateEphemeralKey(), salt: randomBytes(16) }),
    (e: unknown) => isSwitchboardError(e, 'SB_PUSH_PAYLOAD_TOO_LARGE') && /3994 bytes.*at most 3993/.test(e.message),
  );
  assert.throws(() => encryptPushMessage(Buffer.alloc(3990), keys, { ephemeral: generateEphemeralKey(), salt: randomBytes(16), padding: 4 }), (e: unknown) => isSwitchboardError(e, 'SB_PUSH_PAYLOAD_TOO_LARGE'));
});

test('subscription keys: off-curve p256dh, wrong lengths and non-base64url text are refused (RFC 8291 §7)', () => {
  const good = randomSubscription();
  const p256dh = good.keys.p256dh.toString('base64url');
  const offCurve = Buffer.alloc(65, 1);
  offCurve[0] = 4;
  const cases: [unknown, unknown, RegExp][] = [
    [offCurve.toString('base64url'), good.auth.toString('base64url'), /not a point on the P-256 curve/],
    [p256dh.slice(0, 40), good.auth.toString('base64url'), /65-byte/],
    [p256dh, randomBytes(15).toString('base64url'), /16 bytes/],
    [p256dh, '!!!!!!!!!!!!!!!!!!!!!!', /16 bytes/],
    [`${p256dh.slice(0, 10)}!${p256dh.slice(11)}`, good.auth.toString('base64url'), /65-byte/],
    [42, good.auth.toString('base64url'), /65-byte/],
  ];
  for (const [key, auth, reason] of cases) {
    const parsed = parseUserAgentKeys(key, auth);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.reason, reason);
  }
  // Standard base64 with padding, as some clients send it, is accepted.
  assert.ok(parseUserAgentKeys(good.keys.p256dh.toString('base64'), good.auth.toString('base64')).ok);
});
