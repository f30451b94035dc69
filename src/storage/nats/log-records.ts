/**
 * How one event-log record is laid out as a JetStream message (format version 1):
 *
 *   subject  <prefix>.log.<stream part>.<id token>   (`names.ts`; the id is read back from it)
 *   body     the payload's UTF-8 bytes, untouched
 *   headers  Sb-V: 1                        format version: a later release must still read v1
 *            Sb-Time: <ms since epoch>
 *            Sb-Meta: <base64 of the meta>  only when the record has meta (header values cannot
 *                                           carry CR/LF and lose surrounding blanks: base64 keeps
 *                                           the JSON text byte for byte)
 *            Nats-Msg-Id: <id>              only when the id is printable ASCII (JetStream's
 *                                           duplicate window answers a repeat with the first seq)
 *            Nats-Expected-Last-Subject-Sequence: 0
 *                                           "store only if this subject is empty": the dedupe at
 *                                           any age (`event-log.ts`); read by JetStream only
 *            Sb-Id: <base64 of the id>      only when the id is too long for a subject token and
 *                                           the token is its hash (`encodeIdToken`)
 */
import { headers, type MsgHdrs } from 'nats';
import type { LogRecord, NewLogRecord } from '../event-log.ts';
import { decodeToken, encodeIdToken, isHashedIdToken } from './names.ts';

export const FORMAT_VERSION = '1';
const VERSION_HEADER = 'Sb-V';
const TIME_HEADER = 'Sb-Time';
const META_HEADER = 'Sb-Meta';
const ID_HEADER = 'Sb-Id';
const MSG_ID_HEADER = 'Nats-Msg-Id';
const EXPECTED_SUBJECT_SEQ_HEADER = 'Nats-Expected-Last-Subject-Sequence';
/** Header-safe ids only: a value with CR/LF would break the protocol line. */
const MSG_ID_SAFE = /^[\x21-\x7e]{1,256}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface EncodedRecord {
  readonly id: string;
  /** The last token of the record's subject. */
  readonly token: string;
  readonly body: Uint8Array;
  readonly headers: MsgHdrs;
  /** Bytes on the wire, headers included (for the server's max_payload check). */
  readonly size: number;
}

export function encodeRecord(record: NewLogRecord): EncodedRecord {
  // `append`, not `set`: the headers are new, so there is nothing to replace (`set` searches first).
  const h = headers();
  h.append(VERSION_HEADER, FORMAT_VERSION);
  h.append(TIME_HEADER, String(record.time));
  let headerBytes = 80 + String(record.time).length;
  if (record.meta !== undefined) {
    const meta = Buffer.from(record.meta, 'utf8').toString('base64');
    h.append(META_HEADER, meta);
    headerBytes += meta.length + 12;
  }
  const token = encodeIdToken(record.id);
  if (isHashedIdToken(token)) {
    const id = Buffer.from(record.id, 'utf8').toString('base64');
    h.append(ID_HEADER, id);
    headerBytes += id.length + 10;
  }
  // Only ids JetStream's duplicate window can take (see `MSG_ID_SAFE`).
  if (MSG_ID_SAFE.test(record.id)) {
    h.append(MSG_ID_HEADER, record.id);
    headerBytes += record.id.length + 16;
  }
  h.append(EXPECTED_SUBJECT_SEQ_HEADER, '0');
  const body = encoder.encode(record.payload);
  return { id: record.id, token, body, headers: h, size: body.byteLength + headerBytes };
}

/** The parts of a stored message a record is read from (a direct-get answer or a consumer message). */
export interface StoredParts {
  readonly subject: string;
  readonly seq: number;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

export function decodeRecord(stream: string, m: StoredParts): LogRecord {
  const token = m.subject.slice(m.subject.lastIndexOf('.') + 1);
  const id = isHashedIdToken(token) ? Buffer.from(m.headers?.get(ID_HEADER) ?? '', 'base64').toString('utf8') : decodeToken(token);
  const time = Number(m.headers?.get(TIME_HEADER) ?? 0);
  const payload = decoder.decode(m.data);
  return m.headers?.has(META_HEADER) === true
    ? { stream, offset: m.seq, id, time, payload, meta: Buffer.from(m.headers.get(META_HEADER), 'base64').toString('utf8') }
    : { stream, offset: m.seq, id, time, payload };
}
