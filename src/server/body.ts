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
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        req.resume();
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size).toString('utf8') }));
    // 'error' covers a client that goes away mid-body ('aborted' is deprecated and redundant).
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
  });
}
