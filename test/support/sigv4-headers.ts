/**
 * The SigV4 header object an AppSync client puts in a real-time message: the headers of a request
 * it signs and never sends (research/appsync.md §2.3). For the connection: `POST <endpoint>/connect`
 * with body `{}`; for a start: `POST <endpoint>` with the start's `data` text as the body. Signed
 * by the AWS SDK's own signer, as aws-appsync-auth-link and Amplify sign.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export async function signedHeaderObject(url: string, credentials: SigningCredentials, body: string): Promise<Record<string, string>> {
  const u = new URL(url);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    headers: { accept: 'application/json, text/javascript', 'content-encoding': 'amz-1.0', 'content-type': 'application/json; charset=UTF-8', host: u.host },
    body,
  });
  return signed.headers as Record<string, string>;
}
