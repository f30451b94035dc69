/**
 * One `PutEventsRequestEntry` as decoded from the AWS JSON 1.1 body (member names are the
 * PascalCase shape names). The wire layer only guarantees it got an object; every member is
 * checked here because the request body is untrusted.
 */
export interface PutEventsEntry {
  /** Epoch seconds (may be fractional); a `Date` is accepted for in-process callers. */
  readonly Time?: number | Date;
  readonly Source?: string;
  readonly Resources?: readonly string[];
  readonly DetailType?: string;
  /** A JSON object, as text. */
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
  /**
   * Switchboard extension (not in AWS's API): 1-128 characters. Entries with the same key on the
   * same bus get the same `EventId` and are appended and delivered once (`idempotentEventId`).
   */
  readonly IdempotencyKey?: string;
}

export interface PutEventsLimits {
  /**
   * Upper bound for the summed size of the entries of one request, in bytes, computed by
   * `putEventsEntrySize`. AWS documents 256 KB; a 2026 third-party note suggests 1 MiB, so it
   * is configurable (research §1.3).
   */
  readonly maxRequestSizeBytes: number;
}

export const DEFAULT_PUT_EVENTS_LIMITS: PutEventsLimits = Object.freeze({ maxRequestSizeBytes: 262_144 });

/** Per-entry error codes of `PutEventsResultEntry.ErrorCode` that validation can produce. */
export const PUT_EVENTS_ENTRY_ERROR = {
  InvalidArgument: 'InvalidArgument',
  MalformedDetail: 'MalformedDetail',
  NotAuthorizedForSourceException: 'NotAuthorizedForSourceException',
} as const;

export type PutEventsEntryErrorCode = (typeof PUT_EVENTS_ENTRY_ERROR)[keyof typeof PUT_EVENTS_ENTRY_ERROR];
