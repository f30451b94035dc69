/**
 * A real Switchboard server inside the test process: real HTTP on loopback, a real SQLite file in
 * a temp folder, the app loaded from a folder exactly as `switchboard start` loads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Clock } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { postGraphql } from './server-process.ts';

export interface TestServer {
  readonly server: RunningSwitchboard;
  readonly url: string;
  readonly dataDir: string;
  readonly apiKey: string;
  readonly accessKey: { readonly accessKeyId: string; readonly secretAccessKey: string };
  graphql(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }>;
  /** POSTs JSON to `path`, SigV4-signed (service appsync) with the server's access key. */
  signedPost(path: string, value: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export async function startTestServer(appDir: string, options: { maxBodyBytes?: number; clock?: Clock } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
  const app = await loadApp(appDir);
  const server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}), ...(options.clock ? { clock: options.clock } : {}) });
  const apiKey = server.credentials.apiKeys[0]?.key ?? '';
  const accessKey = server.credentials.accessKeys[0] as { accessKeyId: string; secretAccessKey: string };
  return {
    server,
    url: server.url,
    dataDir,
    apiKey,
    accessKey,
    graphql: (body, headers = { 'x-api-key': apiKey }) => postGraphql(server.url, body, headers),
    async signedPost(path, value) {
      // SigV4 with the server's access key, as an AWS SDK or aws-appsync-auth-link would sign it.
      const body = JSON.stringify(value);
      const url = new URL(`${server.url}${path}`);
      const signer = new SignatureV4({ credentials: accessKey, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
      const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host, 'content-type': 'application/json' }, body });
      const res = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
      return { status: res.status, json: await res.json() };
    },
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
