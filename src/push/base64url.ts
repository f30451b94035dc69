/**
 * base64url as Web Push uses it: emitted without padding; read leniently (padding, and the
 * standard alphabet browsers sometimes send, are accepted) but strictly about everything else,
 * because Node's own decoder silently skips characters outside the alphabet.
 */
const ALPHABET = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** The decoded bytes, or `undefined` when `text` is not base64/base64url. */
export function fromBase64Url(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}
