/**
 * An independent VAPID checker (RFC 8292), written from the RFC with `node:crypto` only and sharing
 * no code with `src/push/`: what a push service verifies before accepting a message.
 */
import { createPublicKey, verify } from 'node:crypto';

export interface VapidClaims {
  readonly aud: string;
  readonly exp: number;
  readonly sub: string;
}

export type VapidCheck =
  | { readonly ok: true; readonly claims: VapidClaims; readonly k: string; readonly token: string }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

export function verifyVapid(header: string | undefined, audience: string, nowMs: number): VapidCheck {
  if (header === undefined) return { ok: false, status: 401, reason: 'no Authorization header' };
  const m = /^vapid (.+)$/i.exec(header);
  if (m === null) return { ok: false, status: 401, reason: `not a vapid scheme: ${header.slice(0, 20)}` };
  const params = new Map<string, string>();
  for (const part of (m[1] ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const token = params.get('t');
  const k = params.get('k');
  if (token === undefined || k === undefined) return { ok: false, status: 401, reason: 'vapid needs t and k' };
  const [h, c, s] = token.split('.');
  if (h === undefined || c === undefined || s === undefined) return { ok: false, status: 403, reason: 't is not a JWS' };
  let head: { alg?: unknown; typ?: unknown };
  let claims: Partial<VapidClaims>;
  try {
    head = JSON.parse(Buffer.from(h, 'base64url').toString()) as typeof head;
    claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as typeof claims;
  } catch {
    return { ok: false, status: 403, reason: 'JWT header or claims are not JSON' };
  }
  if (head.alg !== 'ES256') return { ok: false, status: 403, reason: `alg ${String(head.alg)}` };
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return { ok: false, status: 403, reason: 'k is not a 65-byte P-256 point' };
  let signatureOk = false;
  try {
    const key = createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') } });
    signatureOk = verify('sha256', Buffer.from(`${h}.${c}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return { ok: false, status: 403, reason: 'bad signature' };
  if (claims.aud !== audience) return { ok: false, status: 403, reason: `aud ${String(claims.aud)} is not ${audience}` };
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, status: 403, reason: 'expired' };
  if (claims.exp > now + 24 * 3600) return { ok: false, status: 403, reason: 'exp more than 24 h ahead' };
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return { ok: false, status: 403, reason: `sub ${String(claims.sub)}` };
  return { ok: true, claims: claims as VapidClaims, k, token };
}
