/**
 * A real Switchboard server inside the test process: real HTTP on loopback, a real SQLite file in
 * a temp folder, the app loaded from a folder exactly as `switchboard start` loads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';

export interface TestServer {
  readonly server: RunningSwitchboard;
  readonly url: string;
  readonly dataDir: string;
  readonly apiKey: string;
  readonly accessKey: { readonly accessKeyId: string; readonly secretAccessKey: string };
  graphql(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }>;
  close(): Promise<void>;
}

export async function startTestServer(appDir: string, options: { maxBodyBytes?: number } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
  const app = await loadApp(appDir);
  const server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) });
  const apiKey = server.credentials.apiKeys[0]?.key ?? '';
  const accessKey = server.credentials.accessKeys[0] as { accessKeyId: string; secretAccessKey: string };
  return {
    server,
    url: server.url,
    dataDir,
    apiKey,
    accessKey,
    async graphql(body, headers = { 'x-api-key': apiKey }) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, headers: res.headers, json };
    },
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
