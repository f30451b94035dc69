export type { EventEnvelope } from './event-envelope.ts';
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json-value.ts';
export {
  DEFAULT_PUT_EVENTS_LIMITS,
  PUT_EVENTS_ENTRY_ERROR,
  type PutEventsEntry,
  type PutEventsEntryErrorCode,
  type PutEventsLimits,
} from './put-events-entry.ts';
export { putEventsEntrySize } from './entry-size.ts';
export {
  validatePutEventsEntry,
  type PutEventsEntryCheck,
  type ValidatedPutEventsEntry,
} from './validate-put-events-entry.ts';
export {
  MAX_PUT_EVENTS_ENTRIES,
  validatePutEventsRequest,
  type PutEventsRequestError,
} from './validate-put-events-request.ts';
export { idempotentEventId, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotent-event-id.ts';
export { scheduledRuleOf, scheduledMeta } from './scheduled-meta.ts';
export { formatEventTime, toEnvelope, toEnvelopeText, type EnvelopeContext } from './to-envelope.ts';
