/**
 * A local stand-in for a Cognito user pool: mints ES256 JWTs shaped like Cognito ID tokens so that
 * `AMAZON_COGNITO_USER_POOLS` (and OIDC) can be used offline. The key pair is generated on first use
 * and kept in `keyFile` (mode 0600), so tokens stay valid across restarts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';
import { SwitchboardError, systemClock } from '../core/index.ts';
import type { Clock } from '../core/index.ts';

export const DEV_ISSUER_DEFAULT = 'https://switchboard.local/dev-user-pool';
/** `aud` of minted tokens unless the caller names an app client. */
export const DEV_CLIENT_ID = 'switchboard-dev-client';
const KEY_FILE_VERSION = 1;
const ALG = 'ES256';

export interface DevUser {
  readonly username: string;
  readonly groups: readonly string[];
  readonly email?: string;
  /** Default 3600. */
  readonly ttlSeconds?: number;
  /** `aud` claim; default `switchboard-dev-client`. */
  readonly clientId?: string;
}

export interface MintedToken {
  readonly token: string;
  /** ISO 8601. */
  readonly expiresAt: string;
  readonly claims: Record<string, unknown>;
}

export interface DevIssuer {
  readonly issuer: string;
  /** The public key set, for a `/.well-known/jwks.json` endpoint. */
  jwks(): Promise<{ keys: object[] }>;
  /** The same key set, synchronously, for a JWT verifier (`{ jwks: devIssuer.publicKeySet }`). */
  readonly publicKeySet: JSONWebKeySet;
  mint(user: DevUser): Promise<MintedToken>;
}

export interface DevIssuerOptions {
  readonly keyFile: string;
  readonly issuer?: string;
  readonly clock?: Clock;
}

interface KeyFile {
  readonly version: number;
  readonly privateJwk: JWK;
}

export async function createDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const issuer = options.issuer ?? DEV_ISSUER_DEFAULT;
  const clock = options.clock ?? systemClock;
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const kid = await calculateJwkThumbprint(privateJwk);
  const privateKey = await importJWK({ ...privateJwk, alg: ALG }, ALG);
  const { d: _secret, ...publicParts } = privateJwk;
  const publicJwk: JWK = { ...publicParts, kid, alg: ALG, use: 'sig' };
  const publicKeySet: JSONWebKeySet = { keys: [publicJwk] };

  return {
    issuer,
    publicKeySet,
    jwks: () => Promise.resolve({ keys: [{ ...publicJwk }] }),
    async mint(user) {
      const iat = Math.floor(clock.now() / 1000);
      const exp = iat + (user.ttlSeconds ?? 3600);
      const claims: Record<string, unknown> = {
        sub: subjectFor(user.username),
        ...(user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {}),
        ...(user.email !== undefined ? { email: user.email, email_verified: true } : {}),
        iss: issuer,
        'cognito:username': user.username,
        aud: user.clientId ?? DEV_CLIENT_ID,
        token_use: 'id',
        auth_time: iat,
        iat,
        exp,
        jti: randomUUID(),
      };
      const token = await new SignJWT(claims).setProtectedHeader({ alg: ALG, kid, typ: 'JWT' }).sign(privateKey);
      return { token, expiresAt: new Date(exp * 1000).toISOString(), claims };
    },
  };
}

/** A name-based (version 5 layout) UUID, so a username always gets the same `sub`. */
export function subjectFor(username: string): string {
  const h = createHash('sha1').update(`switchboard-dev-user:${username}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

async function loadOrCreateKey(keyFile: string): Promise<JWK> {
  let text: string | undefined;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) return parseKeyFile(keyFile, text);

  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const record: KeyFile = { version: KEY_FILE_VERSION, privateJwk };
  await mkdir(dirname(keyFile), { recursive: true });
  // Written aside then renamed, so a crash never leaves a half-written key that blocks the next start.
  const tmp = `${keyFile}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, keyFile);
  return privateJwk;
}

function parseKeyFile(keyFile: string, text: string): JWK {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (cause) {
    throw new SwitchboardError('SB_CONFIG_LOAD_FAILED', `${keyFile} is not valid JSON; delete it to generate a new dev key`, { cause });
  }
  const r = record as Partial<KeyFile> | null;
  if (r === null || typeof r !== 'object' || r.version !== KEY_FILE_VERSION || typeof r.privateJwk !== 'object' || r.privateJwk?.d === undefined) {
    throw new SwitchboardError('SB_CONFIG_LOAD_FAILED', `${keyFile} expects {"version":1,"privateJwk":{...}}; delete it to generate a new dev key`);
  }
  return r.privateJwk;
}
