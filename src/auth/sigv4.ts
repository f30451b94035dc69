/**
 * AWS Signature Version 4 over HTTP headers: verifying incoming requests (AWS_IAM mode) and signing
 * outgoing ones (HTTP data sources). Failure messages are the texts AWS services answer with, so
 * clients that match on them behave the same.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AuthRequest } from './types.ts';
import {
  SIGV4_ALGORITHM,
  canonicalRequest,
  formatAmzDate,
  isSignableHeader,
  parseAmzDate,
  sha256Hex,
  signature,
  signingKey,
  stringToSign,
} from './sigv4-canonical.ts';

/** How far `x-amz-date` may be from the server's clock, either way (AWS: 5 minutes). */
export const SIGV4_MAX_SKEW_MS = 5 * 60 * 1000;

export type SigV4FailureReason =
  | 'malformed'
  | 'unknown-key'
  | 'wrong-scope'
  | 'expired'
  | 'missing-host'
  | 'bad-signature';

export type SigV4Result<P> =
  | {
      readonly ok: true;
      readonly accessKeyId: string;
      readonly region: string;
      readonly service: string;
      /** What `lookupSecret` returned for the key (lets callers carry identity along). */
      readonly principal: P;
    }
  | { readonly ok: false; readonly reason: SigV4FailureReason; readonly message: string };

export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The secret for a key id; `undefined` refuses the key. May return a richer principal. */
export type SecretLookup<P extends { readonly secretAccessKey: string }> = (
  accessKeyId: string,
  req: AuthRequest,
) => P | undefined;

export interface VerifySigV4Options {
  /** Refuse credentials scoped to another service (AppSync: `appsync`). */
  readonly service?: string;
}

const MESSAGES = {
  unknownKey: 'The security token included in the request is invalid.',
  badSignature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  missingHost: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  missingDate: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
} as const;

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseSigV4Authorization(value: string): SigV4Credential | { readonly error: string } {
  if (!value.startsWith(`${SIGV4_ALGORITHM} `)) return { error: `Unsupported authorization type` };
  // `name=value` parts separated by commas; a repeated name keeps its last value. Scanned in
  // place: this runs on every IAM request.
  let credentialText = '';
  let signedHeadersText = '';
  let signatureText = '';
  for (let at = SIGV4_ALGORITHM.length + 1; at <= value.length; ) {
    let end = value.indexOf(',', at);
    if (end === -1) end = value.length;
    const eq = value.indexOf('=', at);
    if (eq !== -1 && eq < end) {
      const name = value.slice(at, eq).trim();
      if (name === 'Credential') credentialText = value.slice(eq + 1, end).trim();
      else if (name === 'SignedHeaders') signedHeadersText = value.slice(eq + 1, end).trim();
      else if (name === 'Signature') signatureText = value.slice(eq + 1, end).trim();
    }
    at = end + 1;
  }
  if (credentialText === '' || signatureText === '' || signedHeadersText === '') {
    const missing = [
      ...(credentialText === '' ? ['Credential'] : []),
      ...(signatureText === '' ? ['Signature'] : []),
      ...(signedHeadersText === '' ? ['SignedHeaders'] : []),
    ];
    return { error: missing.map((p) => `Authorization header requires '${p}' parameter.`).join(' ') };
  }
  const credential = credentialText.split('/');
  const [accessKeyId, date, region, service, terminator] = credential;
  if (credential.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return {
      error: `Credential should be scoped to a valid region, not ''. Credential should be scoped with a valid terminator: 'aws4_request'.`,
    };
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeadersText.toLowerCase().split(';'),
    signature: signatureText,
  };
}

/**
 * Verifies a request signed with SigV4 in the `Authorization` header. `now` is ms since epoch.
 * Checks, in AWS's order: header shape, date present and within 5 minutes, scope date, `host`
 * signed, key known, signature (constant-time).
 */
export function verifySigV4<P extends { readonly secretAccessKey: string }>(
  req: AuthRequest,
  lookupSecret: SecretLookup<P>,
  now: number,
  options: VerifySigV4Options = {},
): SigV4Result<P> {
  const parsed = parseSigV4Authorization(req.headers['authorization'] ?? '');
  if ('error' in parsed) return fail('malformed', parsed.error);

  const amzDate = req.headers['x-amz-date'];
  if (amzDate === undefined) return fail('malformed', MESSAGES.missingDate);
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) return fail('malformed', MESSAGES.missingDate);
  if (now - signedAt > SIGV4_MAX_SKEW_MS) {
    return fail(
      'expired',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - SIGV4_MAX_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`,
    );
  }
  if (signedAt - now > SIGV4_MAX_SKEW_MS) {
    return fail(
      'expired',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + SIGV4_MAX_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`,
    );
  }
  if (parsed.date !== amzDate.slice(0, 8)) {
    return fail(
      'wrong-scope',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (options.service !== undefined && parsed.service !== options.service) {
    return fail('wrong-scope', `Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (!parsed.signedHeaders.includes('host')) return fail('missing-host', MESSAGES.missingHost);

  const principal = lookupSecret(parsed.accessKeyId, req);
  if (principal === undefined) return fail('unknown-key', MESSAGES.unknownKey);

  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const key = signingKey(principal.secretAccessKey, parsed.date, parsed.region, parsed.service);
  const claimed = req.headers['x-amz-content-sha256'];
  const bodyHash = sha256Hex(req.body);
  const first = signatureMatches(req, parsed, key, scope, amzDate, claimed ?? bodyHash);
  if (first === undefined) return fail('bad-signature', MESSAGES.badSignature);
  if (!first) {
    const alternatives = claimed === undefined ? (req.signedBodyAlternatives?.() ?? []) : [];
    if (!alternatives.some((body) => signatureMatches(req, parsed, key, scope, amzDate, sha256Hex(body)) === true)) return fail('bad-signature', MESSAGES.badSignature);
  }
  // The header is only a claim about the body: a signed claim over a different body (or an
  // UNSIGNED-PAYLOAD claim, which would leave the body unprotected) is refused.
  if (claimed !== undefined && claimed !== bodyHash) {
    return fail('bad-signature', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return { ok: true, accessKeyId: parsed.accessKeyId, region: parsed.region, service: parsed.service, principal };
}

/** `undefined` when the canonical request cannot be built (malformed query string). */
function signatureMatches(req: AuthRequest, parsed: SigV4Credential, key: Buffer, scope: string, amzDate: string, payloadHash: string): boolean | undefined {
  const canonical = canonicalRequest({ method: req.method, path: req.path, signedHeaders: parsed.signedHeaders, headers: req.headers, payloadHash });
  if (canonical === undefined) return undefined;
  const expected = signature(key, stringToSign(amzDate, scope, canonical));
  // Hex digests are ASCII: compare them as bytes, in constant time.
  return parsed.signature.length === expected.length && timingSafeEqual(Buffer.from(parsed.signature, 'latin1'), Buffer.from(expected, 'latin1'));
}

function fail(reason: SigV4FailureReason, message: string): { ok: false; reason: SigV4FailureReason; message: string } {
  return { ok: false, reason, message };
}

export interface SignSigV4Input {
  readonly method: string;
  /** Absolute URL of the request; its host becomes the signed `host` header unless one is given. */
  readonly url: string | URL;
  /** Headers to send; all of them are signed except hop-by-hop ones (`user-agent`, `connection`, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  readonly region: string;
  readonly service: string;
  /** ms since epoch. */
  readonly now: number;
  /** Also send (and sign) `x-amz-content-sha256`, as the AWS SDKs do by default. Default false. */
  readonly contentSha256Header?: boolean;
}

/**
 * Signs an outgoing request. Returns the complete header set to send (lower-case names): the given
 * headers plus `host`, `x-amz-date`, `x-amz-security-token` (with a session token) and `authorization`.
 */
export function signSigV4(input: SignSigV4Input): Record<string, string> {
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    // Stale signing headers from a previous attempt would be signed over; drop them as the SDKs do.
    if (lower === 'authorization' || lower === 'x-amz-date' || lower === 'x-amz-security-token') continue;
    headers[lower] = value;
  }
  if (headers['host'] === undefined) headers['host'] = url.host;
  const amzDate = formatAmzDate(input.now);
  const date = amzDate.slice(0, 8);
  headers['x-amz-date'] = amzDate;
  if (input.credentials.sessionToken !== undefined) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const payloadHash = headers['x-amz-content-sha256'] ?? sha256Hex(input.body ?? '');
  if (input.contentSha256Header === true) headers['x-amz-content-sha256'] = payloadHash;

  const signedHeaders = Object.keys(headers).filter(isSignableHeader).sort();
  const canonical = canonicalRequest({
    method: input.method,
    path: `${url.pathname}${url.search}`,
    signedHeaders,
    headers,
    payloadHash,
  });
  if (canonical === undefined) throw new TypeError(`signSigV4: malformed query string in ${url.href}`);
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const key = signingKey(input.credentials.secretAccessKey, date, input.region, input.service);
  const sig = signature(key, stringToSign(amzDate, scope, canonical));
  headers['authorization'] =
    `${SIGV4_ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${sig}`;
  return headers;
}
