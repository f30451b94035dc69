/**
 * The pieces of AWS Signature Version 4 that signing and verifying share: canonical request,
 * string to sign, signing key. Written from the AWS SigV4 specification ("Create a canonical request
 * for IAM"); `@smithy/signature-v4` is used only by the tests, as an independent reference.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** Headers a signer never signs (hop-by-hop or rewritten by proxies); the same list the AWS SDKs use. */
const UNSIGNABLE_HEADERS = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

export function isSignableHeader(lowerName: string): boolean {
  return !UNSIGNABLE_HEADERS.has(lowerName) && !lowerName.startsWith('proxy-') && !lowerName.startsWith('sec-');
}

// `crypto.hash` (Node >= 20.12) hashes in one call, about three times faster than a `Hash` object
// for the few hundred bytes of a body or canonical request; older 20.x fall back to `createHash`.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256Hex(data: string): string {
  return oneShotHash !== undefined ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data, 'utf8').digest('hex');
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, upper-case hex. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Canonical URI for every service but S3: `.`/`..` segments resolved, empty segments dropped, then
 * the wire path (already encoded once by the client) encoded again, keeping the slashes.
 */
export function canonicalUri(wirePath: string): string {
  // A client sends the same few paths over and over: each is canonicalized once.
  let canonical = canonicalUris.get(wirePath);
  if (canonical === undefined) {
    canonical = computeCanonicalUri(wirePath);
    if (canonicalUris.size >= MAX_CACHED_URIS) canonicalUris.clear();
    canonicalUris.set(wirePath, canonical);
  }
  return canonical;
}

const MAX_CACHED_URIS = 256;
const canonicalUris = new Map<string, string>();

function computeCanonicalUri(wirePath: string): string {
  const segments: string[] = [];
  for (const segment of wirePath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = wirePath.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && wirePath.endsWith('/') ? '/' : '';
  return uriEncode(`${lead}${segments.join('/')}${trail}`).replace(/%2F/g, '/');
}

/**
 * Canonical query string from the raw query (without `?`): each name and value decoded, re-encoded,
 * sorted by encoded name then value. Returns `undefined` when the query holds a malformed escape.
 */
export function canonicalQuery(rawQuery: string): string | undefined {
  if (rawQuery === '') return '';
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    try {
      pairs.push([uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))]);
    } catch {
      return undefined;
    }
  }
  pairs.sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A header value as it enters the canonical request: trimmed, runs of whitespace collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  // Most values hold no tab, line break or double space: trimming is all they need.
  return NEEDS_COLLAPSE.test(value) ? value.replace(/[\t\r\n ]+/g, ' ').trim() : value.trim();
}

const NEEDS_COLLAPSE = /[\t\r\n]| {2}/;

export interface CanonicalRequestParts {
  readonly method: string;
  /** Path plus optional `?query`, as on the wire. */
  readonly path: string;
  /** Lower-case names, in the order they are listed in `SignedHeaders` (sorted). */
  readonly signedHeaders: readonly string[];
  /** Header values by lower-case name. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly payloadHash: string;
}

/** Returns `undefined` when the query string cannot be decoded. */
export function canonicalRequest(parts: CanonicalRequestParts): string | undefined {
  const q = parts.path.indexOf('?');
  const wirePath = q === -1 ? parts.path : parts.path.slice(0, q);
  const query = canonicalQuery(q === -1 ? '' : parts.path.slice(q + 1));
  if (query === undefined) return undefined;
  let headers = '';
  for (const name of parts.signedHeaders) headers += `${name}:${canonicalHeaderValue(parts.headers[name] ?? '')}\n`;
  return `${parts.method.toUpperCase()}\n${canonicalUri(wirePath || '/')}\n${query}\n${headers}\n${parts.signedHeaders.join(';')}\n${parts.payloadHash}`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

const MAX_CACHED_KEYS = 256;
/**
 * Derived signing keys, keyed by (date, region, service, secret). The derivation costs four HMACs,
 * and a key is valid for a whole day, so a busy IAM client derives it once. Bounded: oldest out first.
 */
const signingKeys = new Map<string, Buffer>();

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  // One client signs request after request with the same key and scope: check the last one first.
  const last = lastSigningKey;
  if (last !== undefined && last.secretAccessKey === secretAccessKey && last.date === date && last.region === region && last.service === service) {
    return last.key;
  }
  const key = cachedSigningKey(secretAccessKey, date, region, service);
  lastSigningKey = { secretAccessKey, date, region, service, key };
  return key;
}

let lastSigningKey: { readonly secretAccessKey: string; readonly date: string; readonly region: string; readonly service: string; readonly key: Buffer } | undefined;

function cachedSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${date}\n${region}\n${service}\n${secretAccessKey}`;
  const cached = signingKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (signingKeys.size >= MAX_CACHED_KEYS) {
    const oldest = signingKeys.keys().next();
    if (oldest.done !== true) signingKeys.delete(oldest.value);
  }
  signingKeys.set(cacheKey, key);
  return key;
}

/** For tests: how many signing keys have been derived and kept. */
export function cachedSigningKeyCount(): number {
  return signingKeys.size;
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

/** `YYYYMMDDTHHMMSSZ` → ms since epoch, or `undefined` when malformed. */
export function parseAmzDate(value: string): number | undefined {
  // Requests signed in the same second carry the same text: remember the last one parsed.
  if (value === lastAmzDate.text) return lastAmzDate.ms;
  const ms = computeAmzDate(value);
  lastAmzDate = { text: value, ms };
  return ms;
}

let lastAmzDate: { readonly text: string; readonly ms: number | undefined } = { text: '', ms: undefined };

function computeAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** ms since epoch → `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
