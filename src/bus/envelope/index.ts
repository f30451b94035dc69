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
export { formatEventTime, toEnvelope, type EnvelopeContext } from './to-envelope.ts';
