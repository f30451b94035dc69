import type { JsonObject } from './json-value.ts';
import { putEventsEntrySize } from './entry-size.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotent-event-id.ts';
import {
  PUT_EVENTS_ENTRY_ERROR,
  type PutEventsEntry,
  type PutEventsEntryErrorCode,
} from './put-events-entry.ts';

/** An entry that passed validation, with its `Detail` already parsed (parse once, use twice). */
export interface ValidatedPutEventsEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: JsonObject;
  readonly resources: readonly string[];
  /** Epoch milliseconds from `Time`, or undefined when the call time should be used. */
  readonly timeMs: number | undefined;
  readonly eventBusName: string | undefined;
  readonly traceHeader: string | undefined;
  /** The entry's `IdempotencyKey`, when it has one (its event id is then derived from it). */
  readonly idempotencyKey: string | undefined;
  /** What this entry counts against the request size limit (`putEventsEntrySize`). */
  readonly size: number;
}

export type PutEventsEntryCheck =
  | { readonly ok: true; readonly entry: ValidatedPutEventsEntry }
  | { readonly ok: false; readonly errorCode: PutEventsEntryErrorCode; readonly errorMessage: string };

/** Custom events may not claim an AWS service as their source. */
const RESERVED_SOURCE_PREFIX = 'aws.';

// Years 0000..9999: outside them toISOString switches to 6-digit years, which is not RFC 3339.
const MIN_TIME_MS = -62_167_219_200_000;
const MAX_TIME_MS = 253_402_300_799_999;

/**
 * Validates one PutEvents entry the way AWS does per entry: a failing entry gets an
 * `ErrorCode`/`ErrorMessage` in the response while the other entries still go through.
 * Size is not checked here: AWS rejects the whole request when the summed entry sizes exceed
 * the limit, so `validatePutEventsRequest` does it with the `size` this returns (a caller that
 * already computed it for that check passes it in).
 */
export function validatePutEventsEntry(entry: PutEventsEntry, size: number = putEventsEntrySize(entry)): PutEventsEntryCheck {
  // AWS treats an empty string like a missing member for these three (recorded for DetailType "").
  if (!isNonEmptyString(entry.Source)) return invalidArgument('Source');
  if (!isNonEmptyString(entry.DetailType)) return invalidArgument('DetailType');
  if (!isNonEmptyString(entry.Detail)) return invalidArgument('Detail');

  const detail = parseDetail(entry.Detail);
  if (detail === undefined) return fail(PUT_EVENTS_ENTRY_ERROR.MalformedDetail, 'Detail is malformed.');

  if (entry.Source.startsWith(RESERVED_SOURCE_PREFIX)) {
    // The code is AWS's; the message text was not recorded, this one is ours.
    return fail(PUT_EVENTS_ENTRY_ERROR.NotAuthorizedForSourceException, 'Not authorized for the source.');
  }

  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
    return fail(PUT_EVENTS_ENTRY_ERROR.InvalidArgument, 'Parameter Resources is not valid.');
  }

  const timeMs = toTimeMs(entry.Time);
  if (timeMs === null) return fail(PUT_EVENTS_ENTRY_ERROR.InvalidArgument, 'Parameter Time is not valid.');

  // JSON `null` counts as absent, as for every other optional member of the AWS JSON protocol.
  const key: unknown = entry.IdempotencyKey ?? undefined;
  if (key !== undefined && !isIdempotencyKey(key)) {
    return fail(
      PUT_EVENTS_ENTRY_ERROR.InvalidArgument,
      `Parameter IdempotencyKey is not valid. Reason: IdempotencyKey must be a string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
    );
  }

  return {
    ok: true,
    entry: {
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
      resources,
      timeMs,
      eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined,
      traceHeader: typeof entry.TraceHeader === 'string' ? entry.TraceHeader : undefined,
      idempotencyKey: typeof key === 'string' ? key : undefined,
      size,
    },
  };
}

function invalidArgument(member: 'Source' | 'DetailType' | 'Detail'): PutEventsEntryCheck {
  return fail(
    PUT_EVENTS_ENTRY_ERROR.InvalidArgument,
    `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
  );
}

function fail(errorCode: PutEventsEntryErrorCode, errorMessage: string): PutEventsEntryCheck {
  return { ok: false, errorCode, errorMessage };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isIdempotencyKey(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  // UTF-16 length bounds the code points from both sides: count them only when it is ambiguous.
  if (value.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return true;
  if (value.length > 2 * MAX_IDEMPOTENCY_KEY_LENGTH) return false;
  let codePoints = 0;
  for (const _ of value) codePoints++;
  return codePoints <= MAX_IDEMPOTENCY_KEY_LENGTH;
}

/** `Detail` must be a JSON object: arrays, strings, `null` and broken text are all malformed. */
function parseDetail(text: string): JsonObject | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return parsed as JsonObject;
}

/** undefined = not given (use the call time); null = given but unusable. */
function toTimeMs(time: PutEventsEntry['Time']): number | undefined | null {
  if (time === undefined) return undefined;
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time * 1000 : Number.NaN;
  return Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? ms : null;
}
