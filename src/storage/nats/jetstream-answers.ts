/**
 * What JetStream answers, read for the event log (`event-log.ts`): a publish's PubAck or refusal
 * (a repeated id is the offset it already has), the API error codes the log tells apart, and
 * error texts for its messages.
 */
import { ErrorCode, NatsError } from 'nats';
import type { Reply } from './pipelined-requests.ts';

/** JetStream API error codes the event log tells apart. */
export const JS_STREAM_NOT_FOUND = 10059;
export const JS_STREAM_NAME_IN_USE = 10058;
/** A stream's subjects overlap another's: also what a creation racing an identical one may get. */
export const JS_STREAM_SUBJECT_OVERLAP = 10065;
export const JS_WRONG_LAST_SEQUENCE = 10071;

/** What one publish came to: its offset (new, or the one its id already had), or why not. */
export type Outcome = { readonly kind: 'offset'; readonly offset: number } | { readonly kind: 'failed'; readonly error: unknown } | { readonly kind: 'no-stream' };

/** JetStream's answer to a publish: a PubAck or an API error. */
interface PubAckJson {
  readonly stream?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: { readonly code?: number; readonly err_code?: number; readonly description?: string };
}

const ackDecoder = new TextDecoder();

/**
 * Reads one publish's reply. A repeated id is answered either by the duplicate window (a PubAck
 * with the first sequence and `duplicate: true`) or by the expected-subject-sequence refusal,
 * `wrong last sequence: <first sequence>`: both are the offset the id already has. A refusal
 * without its sequence is `repeat`, for the caller to look up.
 */
export function readAck(reply: Reply): Outcome | { readonly kind: 'repeat'; readonly error: Error } {
  if (reply instanceof Error) return { kind: 'failed', error: reply };
  const status = reply.headers?.code ?? 0;
  if (status === 503) return { kind: 'no-stream' };
  if (status >= 300) return { kind: 'failed', error: new Error(`NATS status ${status} ${reply.headers?.description ?? ''}`.trim()) };
  let ack: PubAckJson;
  try {
    ack = JSON.parse(ackDecoder.decode(reply.data)) as PubAckJson;
  } catch {
    return { kind: 'failed', error: new Error('JetStream answered a publish with something other than JSON') };
  }
  if (ack.error !== undefined) {
    const error = new Error(`${ack.error.description ?? 'JetStream error'} (JetStream error ${ack.error.err_code ?? ack.error.code ?? '?'})`);
    if (ack.error.err_code !== JS_WRONG_LAST_SEQUENCE) return { kind: 'failed', error };
    const seq = /(\d+)\s*$/.exec(ack.error.description ?? '')?.[1];
    return seq !== undefined && Number(seq) > 0 ? { kind: 'offset', offset: Number(seq) } : { kind: 'repeat', error };
  }
  if (typeof ack.seq !== 'number' || ack.seq <= 0 || !ack.stream) return { kind: 'failed', error: new Error(`JetStream answered a publish without a sequence: ${ackDecoder.decode(reply.data).slice(0, 200)}`) };
  return { kind: 'offset', offset: ack.seq };
}

export function apiCode(error: unknown): number | undefined {
  return error instanceof NatsError ? error.api_error?.err_code : undefined;
}

export function isNoResponders(error: unknown): boolean {
  return error instanceof NatsError && error.code === ErrorCode.NoResponders;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
