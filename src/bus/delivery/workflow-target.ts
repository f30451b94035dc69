/**
 * A state machine target (`arn:aws:states:R:A:stateMachine:<name>`): starts an execution with the
 * target's input. The execution name is derived from the delivery (event id, rule, target), so a
 * delivery retried after a crash or a timeout starts the same execution again, which the engine
 * answers as already started: one execution per (event, target), as the event id promises.
 */
import { createHash } from 'node:crypto';
import type { TargetInvoker } from './target-invoker.ts';
import { targetRef } from './target-arn.ts';

/** Starts `machine` with `input` (JSON text) under `name`: `missing` when there is no such machine. */
export type WorkflowStarter = (machine: string, input: string, name: string) => Promise<'ok' | 'missing'>;

export function executionNameFor(eventId: string, rule: string, targetId: string): string {
  const suffix = createHash('sha256').update(`${rule}\n${targetId}`).digest('hex').slice(0, 12);
  return `${eventId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}-${suffix}`;
}

export function createWorkflowTarget(start: WorkflowStarter): TargetInvoker {
  return async (target, input, job) => {
    const ref = targetRef(target);
    if (ref.kind !== 'workflow') return { ok: false, code: 'NO_RESOURCE', message: `${target.arn} is not a state machine`, retryable: false };
    try {
      const outcome = await start(ref.name, input, executionNameFor(job.eventId, job.rule, job.targetId));
      if (outcome === 'missing') return { ok: false, code: 'NO_RESOURCE', message: `State Machine Does Not Exist: '${target.arn}'`, retryable: false };
      return { ok: true };
    } catch (error) {
      return { ok: false, code: 'SDK_CLIENT_ERROR', message: error instanceof Error ? error.message : String(error), retryable: true };
    }
  };
}
