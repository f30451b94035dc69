/**
 * Retention: how long bus streams and the attempt log keep what delivery, archives, replays and
 * trace no longer need (scheduled by `server/retention.ts`).
 */
export { trimBusStreams, DEFAULT_EVENT_RETENTION_MS, type BusTrimResult } from './trim-bus-streams.ts';
export { offsetAtTime } from './offset-at-time.ts';
