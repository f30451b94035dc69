/**
 * Serving a folder of files over HTTP (an app's `site`, the push page, the console build): the
 * content type by extension, `index.html` for a folder, and no way out of the folder: the decoded
 * path is normalized and must stay under the root, so `..`, `%2e%2e` and absolute paths are 404.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { HttpResponse } from './http-server.ts';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const NOT_FOUND: HttpResponse = { status: 404, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ message: 'Not Found' }) };

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The absolute file under `root` that `relative` (URL-encoded, no leading slash) names, if it exists. */
export function resolveInFolder(root: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = normalize(root).replace(/[\\/]+$/, '');
  let file = normalize(join(base, decoded));
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

export interface ServeOptions {
  /** Served for a missing path without an extension (client-side routing), e.g. `index.html`. */
  readonly fallback?: string;
  /** `cache-control` for every file; default `no-cache` (revalidate: pages change in `dev`). */
  readonly cacheControl?: string;
}

/** Answers `GET <prefix><relative>` from `root`. */
export function serveFromFolder(root: string, relative: string, options: ServeOptions = {}): HttpResponse {
  let file = resolveInFolder(root, relative);
  if (file === undefined && options.fallback !== undefined && extname(relative) === '' && !relative.includes('..')) file = resolveInFolder(root, options.fallback);
  if (file === undefined) return NOT_FOUND;
  return { status: 200, headers: { 'content-type': contentTypeOf(file), 'cache-control': options.cacheControl ?? 'no-cache' }, body: readFileSync(file) };
}
