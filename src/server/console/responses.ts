/**
 * The console API's answers: JSON with `{message}` on errors, never cached (every answer is a
 * live view of the server).
 */
import type { HttpResponse } from '../http-server.ts';

const HEADERS = { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' } as const;

export function json(status: number, value: unknown): HttpResponse {
  return { status, headers: HEADERS, body: JSON.stringify(value) };
}

export function failure(status: number, message: string): HttpResponse {
  return json(status, { message });
}
