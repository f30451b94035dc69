/**
 * One retention pass over the workflow store: executions that ended more than the retention ago
 * are deleted with their history (AWS keeps a closed Standard execution for 90 days; redrive is
 * possible for 14). Running executions stay whatever their age. Deletes go in steps of `STEP`
 * executions, each a short write of its own; `active()` is checked between steps.
 */
import type { WorkflowStore } from '../../storage/index.ts';

export const DEFAULT_EXECUTION_RETENTION_MS = 90 * 86_400_000;
const STEP = 500;

/** Answers how many executions were deleted. */
export async function deleteClosedExecutions(store: WorkflowStore, now: number, retentionMs: number, active: () => boolean = () => true): Promise<number> {
  let deleted = 0;
  while (active()) {
    const n = await store.deleteClosedExecutions(now - retentionMs, STEP);
    deleted += n;
    if (n < STEP) break;
  }
  return deleted;
}
