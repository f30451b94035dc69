/**
 * The independent reference signer for the auth tests: `@smithy/signature-v4` (what the AWS SDK v3
 * and Amplify use), turned into the `AuthRequest` a transport would hand the authenticator.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { AuthRequest } from '../../src/auth/index.ts';

export interface ReferenceSignInput {
  readonly method?: string;
  readonly host?: string;
  /** Wire path (already percent-encoded), without query. */
  readonly path?: string;
  /** Decoded query parameters. */
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region?: string;
  readonly service?: string;
  readonly now: number;
  readonly applyChecksum?: boolean;
  readonly unsignableHeaders?: Set<string>;
}

export async function referenceSign(input: ReferenceSignInput): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      ...(input.sessionToken !== undefined ? { sessionToken: input.sessionToken } : {}),
    },
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'appsync',
    sha256: Sha256,
    applyChecksum: input.applyChecksum ?? false,
  });
  const host = input.host ?? 'api.example.com';
  const signed = await signer.sign(
    {
      method: input.method ?? 'POST',
      protocol: 'https:',
      hostname: host,
      path: input.path ?? '/graphql',
      query: input.query ?? {},
      headers: { host, ...(input.headers ?? {}) },
      body: input.body,
    },
    {
      signingDate: new Date(input.now),
      ...(input.unsignableHeaders !== undefined ? { unsignableHeaders: input.unsignableHeaders } : {}),
    },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) out[name.toLowerCase()] = String(value);
  return out;
}

/** What a transport would build from the request the reference signer produced. */
export function asAuthRequest(
  headers: Record<string, string>,
  opts: { method?: string; path?: string; query?: string; body?: string; sourceIp?: string } = {},
): AuthRequest {
  const path = opts.path ?? '/graphql';
  return {
    method: opts.method ?? 'POST',
    path: opts.query !== undefined && opts.query !== '' ? `${path}?${opts.query}` : path,
    headers,
    body: opts.body ?? '',
    sourceIp: opts.sourceIp ?? '203.0.113.7',
  };
}
