/**
 * AMAZON_COGNITO_USER_POOLS and OPENID_CONNECT: verifying a JWT from the `Authorization` header
 * (signature from a JWKS URL or local keys, `iss`, `exp`, `aud`/`client_id`) and mapping its claims
 * to the identity shapes AppSync puts in `ctx.identity`.
 */
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import type { CognitoIdentity, OidcIdentity } from './types.ts';

export type JwtMode = 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT';

/** Where signing keys come from: a JWKS URL (Cognito: `<issuer>/.well-known/jwks.json`) or a key set in hand. */
export type JwtKeySource = { readonly jwksUrl: string } | { readonly jwks: JSONWebKeySet };

export interface JwtVerifierOptions {
  readonly mode: JwtMode;
  readonly keys: JwtKeySource;
  /** Expected `iss`; absent: any issuer whose key verifies. */
  readonly issuer?: string;
  /** Accepted `aud` (ID tokens) or `client_id` (Cognito access tokens); absent or empty: any. */
  readonly clientIds?: readonly string[];
}

/** AppSync's texts for JWT failures (UnauthorizedException). */
export const JWT_MESSAGES = {
  missing: 'Valid authorization header not provided.',
  unparseable: 'Unable to parse JWT token.',
  expired: 'Token has expired.',
  refused: 'You are not authorized to make this call.',
} as const;

export type JwtVerifyResult =
  | { readonly ok: true; readonly identity: CognitoIdentity | OidcIdentity }
  | { readonly ok: false; readonly message: string };

export interface JwtVerifier {
  readonly mode: JwtMode;
  readonly issuer: string | undefined;
  /** `token` may carry a `Bearer ` prefix. `now` is ms since epoch. */
  verify(token: string, now: number, sourceIp: string): Promise<JwtVerifyResult>;
}

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  // Built once: the remote set caches fetched keys and refetches on an unknown `kid`.
  const getKey: JWTVerifyGetKey =
    'jwksUrl' in options.keys ? createRemoteJWKSet(new URL(options.keys.jwksUrl)) : createLocalJWKSet(options.keys.jwks);
  const clientIds = options.clientIds !== undefined && options.clientIds.length > 0 ? new Set(options.clientIds) : undefined;

  return {
    mode: options.mode,
    issuer: options.issuer,
    async verify(token, now, sourceIp) {
      const jwt = stripBearer(token);
      if (jwt === '') return { ok: false, message: JWT_MESSAGES.missing };
      let claims: JWTPayload;
      try {
        const verified = await jwtVerify(jwt, getKey, {
          currentDate: new Date(now),
          ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
        });
        claims = verified.payload;
      } catch (error) {
        return { ok: false, message: messageFor(error) };
      }
      if (clientIds !== undefined && !audienceMatches(claims, clientIds)) return { ok: false, message: JWT_MESSAGES.refused };
      return { ok: true, identity: options.mode === 'AMAZON_COGNITO_USER_POOLS' ? cognitoIdentity(claims, sourceIp) : oidcIdentity(claims) };
    },
  };
}

/** The `iss` of a token without verifying it (to route it to a mode), or `undefined` when it does not parse. */
export function peekJwtIssuer(token: string): { readonly issuer: string | undefined } | undefined {
  try {
    const claims = decodeJwt(stripBearer(token));
    return { issuer: typeof claims.iss === 'string' ? claims.iss : undefined };
  } catch {
    return undefined;
  }
}

export function stripBearer(token: string): string {
  const t = token.trim();
  return /^bearer /i.test(t) ? t.slice(7).trim() : t;
}

function messageFor(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return JWT_MESSAGES.expired;
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return JWT_MESSAGES.unparseable;
    default:
      return JWT_MESSAGES.refused;
  }
}

function audienceMatches(claims: JWTPayload, clientIds: ReadonlySet<string>): boolean {
  const aud = claims.aud;
  if (typeof aud === 'string' && clientIds.has(aud)) return true;
  if (Array.isArray(aud) && aud.some((a) => clientIds.has(a))) return true;
  const clientId = claims['client_id'];
  return typeof clientId === 'string' && clientIds.has(clientId);
}

function cognitoIdentity(claims: JWTPayload, sourceIp: string): CognitoIdentity {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const username = firstString(claims['cognito:username'], claims['username']) ?? sub;
  const groups = claims['cognito:groups'];
  return {
    sub,
    issuer: typeof claims.iss === 'string' ? claims.iss : '',
    username,
    claims,
    sourceIp: [sourceIp],
    defaultAuthStrategy: 'ALLOW',
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : null,
  };
}

function oidcIdentity(claims: JWTPayload): OidcIdentity {
  return {
    sub: typeof claims.sub === 'string' ? claims.sub : '',
    issuer: typeof claims.iss === 'string' ? claims.iss : '',
    claims,
  };
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
