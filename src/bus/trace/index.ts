/**
 * Trace: what happened to one event (rules matched or not and why, target inputs, attempts).
 */
export { traceEvent, type EventTrace, type RuleTrace, type TargetTrace } from './event-trace.ts';
export { explainMismatch } from './explain-mismatch.ts';
