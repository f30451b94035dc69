/**
 * Retention: how long bus streams and the attempt log keep what delivery, archives, replays and
 * trace no longer need.
 */
export { createBusRetention, DEFAULT_EVENT_RETENTION_MS, type BusRetention, type BusRetentionDeps, type RetentionRun } from './bus-retention.ts';
export { offsetAtTime } from './offset-at-time.ts';
