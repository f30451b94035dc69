/**
 * Safe NATS names for Switchboard's free-form names. NATS gives meaning to `.` (token separator),
 * `*` and `>` (wildcards) and forbids whitespace in subjects; stream names also become directory
 * names on the server's disk. So:
 *
 * - a subject *token* (an event-log record id, a fan-out topic segment) is kept as it is when it
 *   is made of `[A-Za-z0-9-]` only (UUIDs, the common case, stay readable in `nats stream view`),
 *   and is otherwise `_` followed by the base64url of its UTF-8 bytes. The two forms cannot
 *   collide (a raw token never contains `_`), and the empty string encodes as `_`;
 * - a record id longer than a few hundred bytes is hashed instead (`encodeIdToken`);
 * - a *stream name* part is the lowercase hex of the UTF-8 name (safe on case-insensitive disks),
 *   or `h` + a SHA-256 prefix when that would be longer than `MAX_HEX` characters.
 */
import { createHash } from 'node:crypto';

const RAW_TOKEN = /^[A-Za-z0-9-]+$/;

export function encodeToken(text: string): string {
  return RAW_TOKEN.test(text) ? text : `_${Buffer.from(text, 'utf8').toString('base64url')}`;
}

export function decodeToken(token: string): string {
  return token.startsWith('_') ? Buffer.from(token.slice(1), 'base64url').toString('utf8') : token;
}

/** Longest id token kept reversible; a longer one is hashed (a NATS control line is 4 KB). */
const MAX_ID_TOKEN = 256;

/**
 * An event-log record id as the last token of its subject: `encodeToken(id)`, or, when that is
 * longer than `MAX_ID_TOKEN`, `~` + the base64url SHA-256 of the id (then the id itself travels in
 * a header; `~` appears in no other form). Deterministic, so `find` computes the same subject.
 */
export function encodeIdToken(id: string): string {
  const token = encodeToken(id);
  return token.length <= MAX_ID_TOKEN ? token : `~${createHash('sha256').update(id, 'utf8').digest('base64url')}`;
}

export const isHashedIdToken = (token: string): boolean => token.startsWith('~');

const MAX_HEX = 160;

/** A stream-name-safe, case-insensitive-disk-safe, collision-free (up to SHA-256) form of `name`. */
export function encodeStreamPart(name: string): string {
  const hex = Buffer.from(name, 'utf8').toString('hex');
  return hex.length <= MAX_HEX ? hex : `h${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 40)}`;
}

/** A prefix shared by every name an adapter creates: letters, digits, `_` and `-`. */
const PREFIX = /^[A-Za-z0-9_-]{1,32}$/;

export function checkPrefix(prefix: string): string {
  if (!PREFIX.test(prefix)) throw new TypeError(`NATS name prefix must match ${String(PREFIX)}, got ${JSON.stringify(prefix)}`);
  return prefix;
}
