/**
 * Helpers for the console tests: the console API with a credential, raw GETs (a path sent exactly
 * as written, `..` included, which `fetch` would normalize away), polling, and building the page.
 */
import { request } from 'node:http';
import { ensureConsoleBuilt } from '../../src/server/index.ts';

export type Credential = { readonly 'x-api-key': string } | { readonly authorization: string } | Record<string, never>;

export async function consoleApi(url: string, credential: Credential, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/console/api${path}`, {
    method: init.method ?? 'GET',
    headers: { ...credential, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

export function consoleCall(url: string, credential: Credential, service: 'events' | 'states', target: string, input: object = {}): Promise<{ status: number; json: any }> {
  return consoleApi(url, credential, '/call', { method: 'POST', body: { service, target, input } });
}

/** GET with the path sent byte for byte. */
export function rawGet(url: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** console/dist, built now when missing or older than console/src (the server's own check). */
export const buildConsoleIfNeeded = (): Promise<void> => ensureConsoleBuilt();
