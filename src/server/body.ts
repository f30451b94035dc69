/**
 * Reading a request body with a hard size limit. Over the limit we stop buffering at once (the
 * bytes already read are dropped), so an oversized or endless body costs bounded memory.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult = { readonly ok: true; readonly body: string } | { readonly ok: false; readonly reason: 'too-large' | 'aborted' };

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve) => {
    const reading: Reading = { chunks: [], size: 0, done: false, resolve };
    // Arrow functions passed straight to `on` (not bound to a name first) cost no more than the
    // listener itself; this runs on every POST.
    req.on('data', (chunk: Buffer) => {
      if (reading.done) return;
      reading.size += chunk.length;
      if (reading.size > limitBytes) {
        reading.chunks.length = 0;
        req.resume();
        finish(reading, TOO_LARGE);
        return;
      }
      reading.chunks.push(chunk);
    });
    req.on('end', () => finish(reading, { ok: true, body: text(reading) }));
    // 'error' covers a client that goes away mid-body ('aborted' is deprecated and redundant).
    req.on('error', () => finish(reading, ABORTED));
  });
}

interface Reading {
  readonly chunks: Buffer[];
  size: number;
  done: boolean;
  readonly resolve: (result: BodyResult) => void;
}

const TOO_LARGE: BodyResult = Object.freeze({ ok: false, reason: 'too-large' });
const ABORTED: BodyResult = Object.freeze({ ok: false, reason: 'aborted' });

function finish(reading: Reading, result: BodyResult): void {
  if (reading.done) return;
  reading.done = true;
  reading.resolve(result);
}

/** A small body arrives in one chunk: decoded in place, without concatenating a copy first. */
function text(reading: Reading): string {
  const [only] = reading.chunks;
  if (reading.chunks.length === 1 && only !== undefined) return only.toString('utf8');
  return Buffer.concat(reading.chunks, reading.size).toString('utf8');
}
