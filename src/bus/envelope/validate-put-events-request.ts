import type { PutEventsLimits } from './put-events-entry.ts';

/** At most 10 entries per PutEvents call (a model constraint, checked before any entry). */
export const MAX_PUT_EVENTS_ENTRIES = 10;

/** A failure of the whole call: HTTP 400 with `{__type, message}`. */
export interface PutEventsRequestError {
  readonly type: 'ValidationException';
  readonly message: string;
}

/**
 * Request-level checks, made before any entry is accepted: the entry count and the summed
 * entry size (`sizes` are the `putEventsEntrySize` of every entry, valid or not).
 */
export function validatePutEventsRequest(
  entryCount: number,
  sizes: readonly number[],
  limits: PutEventsLimits,
): PutEventsRequestError | undefined {
  if (entryCount > MAX_PUT_EVENTS_ENTRIES) {
    // AWS echoes the entries in `Value '[...]'`; we omit the echo (it can be 256 KB long).
    return {
      type: 'ValidationException',
      message:
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10",
    };
  }
  let total = 0;
  for (const size of sizes) total += size;
  if (total > limits.maxRequestSizeBytes) {
    return { type: 'ValidationException', message: 'Total size of the entries in the request is over the limit.' };
  }
  return undefined;
}
