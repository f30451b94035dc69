/**
 * Serving the built console (console/dist): content types by extension, `index.html` for any
 * unknown path without an extension (the page routes on the client), `no-cache` for index.html
 * and a year for the hashed files under assets/. A path that tries to leave the folder (`..` or
 * `.` segments, encoded or not, backslashes, NUL) is a 400 before the file system is touched.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import type { HttpResponse } from '../http-server.ts';
import { contentTypeOf } from '../static-files.ts';
import { failure } from './responses.ts';

const NO_CACHE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The file path inside `dist` that `relative` (URL-encoded, after `/console/`) names, or why not. */
export function consolePath(relative: string): { ok: true; name: string } | { ok: false; status: 400; message: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return { ok: false, status: 400, message: 'Malformed path.' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((s) => s === '..' || s === '.')) {
    return { ok: false, status: 400, message: 'Invalid path.' };
  }
  return { ok: true, name: decoded.replace(/^\/+/, '') || 'index.html' };
}

function fileResponse(file: string, cacheControl: string): HttpResponse {
  return { status: 200, headers: { 'content-type': contentTypeOf(file), 'cache-control': cacheControl }, body: readFileSync(file) };
}

const isFile = (file: string): boolean => existsSync(file) && statSync(file).isFile();

/** Answers `GET /console/<relative>` from `dist`. */
export function serveConsoleFile(dist: string, relative: string): HttpResponse {
  const path = consolePath(relative);
  if (!path.ok) return failure(path.status, path.message);
  const file = join(dist, path.name);
  // Belt and braces: the checks above already keep `file` inside `dist`.
  if (!file.startsWith(dist.endsWith(sep) ? dist : dist + sep)) return failure(400, 'Invalid path.');
  if (isFile(file)) return fileResponse(file, path.name.startsWith('assets/') ? IMMUTABLE : NO_CACHE);
  if (extname(path.name) !== '') return failure(404, 'Not Found');
  const index = join(dist, 'index.html');
  if (!isFile(index)) return failure(503, 'The console is not built (npm install builds it; or node scripts/build-console.mjs).');
  return fileResponse(index, NO_CACHE);
}
