/**
 * The delivery tables' rows (`bus_deliveries`, `bus_dead_letters`, `bus_attempts`) as both the
 * SQLite and the PostgreSQL adapter read them, and their mapping to the `DeliveryStateStore`
 * types and back. The two schemas name and type these columns alike; the PostgreSQL pool parses
 * BIGINT as a JS number (`postgres/database.ts`), so a row's numbers are numbers on both drivers.
 * What differs by database (job claims, how ids come back from an insert) stays in the adapters.
 */
import type { AttemptRecord, DeadLetter, DeliveryJob, ExhaustedRetryCondition, NewDeliveryJob, StoredDeadLetter } from '../bus-store.ts';

export interface DeliveryRow {
  id: number;
  bus: string;
  rule: string;
  target_id: string;
  target: string;
  event_id: string;
  event: string;
  event_time: number;
  attempts: number;
  next_at: number;
}

export interface DeadLetterRow {
  id: number;
  bus: string;
  rule: string;
  target_id: string;
  target_arn: string;
  event_id: string;
  event: string;
  error_code: string;
  error_message: string;
  exhausted: string | null;
  retry_attempts: number;
  at: number;
  target: string | null;
  event_time: number | null;
}

export interface AttemptRow {
  event_id: string;
  bus: string;
  rule: string;
  target_id: string;
  attempt: number;
  at: number;
  outcome: AttemptRecord['outcome'];
  code: string | null;
  message: string | null;
}

/**
 * A job just stored, with its id and no attempt yet. Written out, not `{ ...job, id, attempts }`
 * (`core/objects.ts` says why): every delivered event makes these.
 */
export const storedJob = (j: NewDeliveryJob, id: number): DeliveryJob => ({
  bus: j.bus,
  rule: j.rule,
  targetId: j.targetId,
  target: j.target,
  eventId: j.eventId,
  event: j.event,
  eventTime: j.eventTime,
  nextAt: j.nextAt,
  id,
  attempts: 0,
});

export const toDeliveryJob = (row: DeliveryRow): DeliveryJob => ({
  id: row.id,
  bus: row.bus,
  rule: row.rule,
  targetId: row.target_id,
  target: row.target,
  eventId: row.event_id,
  event: row.event,
  eventTime: row.event_time,
  attempts: row.attempts,
  nextAt: row.next_at,
});

export const toDeadLetter = (row: DeadLetterRow): StoredDeadLetter => ({
  id: row.id,
  bus: row.bus,
  rule: row.rule,
  targetId: row.target_id,
  targetArn: row.target_arn,
  eventId: row.event_id,
  event: row.event,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  ...(row.exhausted !== null ? { exhaustedRetryCondition: row.exhausted as ExhaustedRetryCondition } : {}),
  retryAttempts: row.retry_attempts,
  at: row.at,
  ...(row.target !== null ? { target: row.target } : {}),
  ...(row.event_time !== null ? { eventTime: row.event_time } : {}),
});

export const toAttempt = (row: AttemptRow): AttemptRecord => ({
  eventId: row.event_id,
  bus: row.bus,
  rule: row.rule,
  targetId: row.target_id,
  attempt: row.attempt,
  at: row.at,
  outcome: row.outcome,
  ...(row.code !== null ? { code: row.code } : {}),
  ...(row.message !== null ? { message: row.message } : {}),
});

/**
 * A dead letter's values in the column order of both adapters' insert:
 * (bus, rule, target_id, target_arn, event_id, event, error_code, error_message, exhausted, retry_attempts, at, target, event_time).
 */
export const deadLetterValues = (l: DeadLetter): (string | number | null)[] => [
  l.bus, l.rule, l.targetId, l.targetArn, l.eventId, l.event, l.errorCode, l.errorMessage, l.exhaustedRetryCondition ?? null, l.retryAttempts, l.at, l.target ?? null, l.eventTime ?? null,
];

/**
 * An attempt's values in the column order of both adapters' insert:
 * (event_id, bus, rule, target_id, attempt, at, outcome, code, message).
 */
export const attemptValues = (a: AttemptRecord): (string | number | null)[] => [
  a.eventId, a.bus, a.rule, a.targetId, a.attempt, a.at, a.outcome, a.code ?? null, a.message ?? null,
];
