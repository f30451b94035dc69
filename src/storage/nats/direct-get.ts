/**
 * JetStream's direct get (`$JS.API.DIRECT.GET.<stream>`, streams with `allow_direct`): one stored
 * message by sequence or the last one on a subject, answered by any replica, with the message's
 * own headers plus `Nats-Subject` and `Nats-Sequence`. The client library has it only on its
 * untyped manager implementation, so this is the request itself (a few lines, typed).
 */
import { Empty, NatsError, type Msg, type NatsConnection } from 'nats';
import type { StoredParts } from './log-records.ts';

export type DirectQuery = { readonly seq: number } | { readonly lastBySubject: string };

const API = '$JS.API.DIRECT.GET';

/** The message, or undefined when the stream has no such message (404). */
export async function directGet(nc: NatsConnection, stream: string, query: DirectQuery, timeout: number): Promise<StoredParts | undefined> {
  const m = 'seq' in query
    ? await nc.request(directGetSubject(stream), directGetBySeq(query.seq), { timeout })
    : await nc.request(`${API}.${stream}.${query.lastBySubject}`, Empty, { timeout });
  return directGetAnswer(m);
}

/** Where a direct get by sequence is sent (`directGetBySeq` is its body). */
export const directGetSubject = (stream: string): string => `${API}.${stream}`;

const encoder = new TextEncoder();
export const directGetBySeq = (seq: number): Uint8Array => encoder.encode(`{"seq":${seq}}`);

/** A direct get's answer: the message, or undefined when the stream has no such message (404). */
export function directGetAnswer(m: Msg): StoredParts | undefined {
  const code = m.headers?.code ?? 0;
  if (code === 404) return undefined;
  if (code >= 300) throw new NatsError(m.headers?.description || `direct get failed with status ${code}`, String(code));
  const subject = m.headers?.get('Nats-Subject') ?? '';
  const seq = Number(m.headers?.get('Nats-Sequence') ?? NaN);
  if (subject === '' || !Number.isSafeInteger(seq)) throw new NatsError('direct get answer without Nats-Subject/Nats-Sequence', 'BAD_RESPONSE');
  return { subject, seq, headers: m.headers, data: m.data };
}
