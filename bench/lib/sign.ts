/** SigV4 for the benches: the headers of a POST to a server on loopback, signed as the AWS SDK signs it. */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.ts';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** `headers` (with `host` added) and the signature headers for POST `path` on 127.0.0.1:`port`, region us-east-1. */
export async function signedPost(service: 'appsync' | 'events', key: AccessKey, port: number, path: string, headers: Record<string, string>, body: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service, region: 'us-east-1', sha256: NodeSha256, credentials: key });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers }, body });
  return signed.headers;
}
