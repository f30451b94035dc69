/** Types for `http_ece` (the RFC 8188 author's reference implementation), used only as an independent checker. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  export interface EceParams {
    version?: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    key?: Buffer | string;
    keyid?: Buffer | string;
    salt?: Buffer | string;
    rs?: number;
    pad?: number;
    privateKey?: ECDH;
    dh?: Buffer | string;
    authSecret?: Buffer | string;
  }
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  const ece: { encrypt: typeof encrypt; decrypt: typeof decrypt };
  export default ece;
}
