import { createHash } from 'node:crypto';

/** Longest `IdempotencyKey`, in characters (code points). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

/**
 * The event id of an entry that carries an `IdempotencyKey` (a Switchboard extension): derived
 * from the bus name and the key alone, so the same key on the same bus always yields the same id
 * and the event log's per-id dedupe appends the event once, across calls and restarts. The id is
 * UUID-shaped (version 8, "custom": 122 bits of a SHA-256), so clients that expect a UUID in
 * `EventId` keep working. The bus name is length-prefixed, so two different `(bus, key)` pairs
 * never hash the same text.
 */
export function idempotentEventId(bus: string, key: string): string {
  const hex = createHash('sha256').update(`switchboard/idempotency/v1\n${bus.length}:${bus}\n${key}`, 'utf8').digest('hex');
  // Version nibble 8, variant bits 10xx (RFC 9562 §5.8).
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
