/**
 * Retrying Switchboard's own services from a workflow task. A task that calls the event bus
 * calls Switchboard itself: an internal failure there (the event log or the database briefly
 * unreachable during a restart or failover) is our outage, not the workflow's, and must not fail
 * an execution that has no Retry of its own. So the call is repeated with backoff (250 ms,
 * doubling, at most 5 s apart) for up to `windowMs` (default 60 s); after that, or for any answer
 * that is not an internal failure, the caller gets the last answer (the workflows wiring also
 * stops repeating once the engine is stopping, so a shutdown never waits out the window). Side
 * effects stay at least once, as for every task: a call that failed after part of its work may
 * have done that part.
 */
import type { Clock } from '../core/index.ts';

export const INTERNAL_RETRY_WINDOW_MS = 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** `attempt` answers `{ retry: true }` for an internal failure worth repeating. */
export async function retryInternalFailures<T>(clock: Clock, attempt: () => Promise<{ readonly retry: boolean; readonly value: T }>, windowMs = INTERNAL_RETRY_WINDOW_MS): Promise<T> {
  const deadline = clock.now() + windowMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(MAX_DELAY_MS, delay * 2)) {
    const outcome = await attempt();
    if (!outcome.retry || clock.now() + delay > deadline) return outcome.value;
    await new Promise<void>((resolve) => clock.setTimer(delay, resolve));
  }
}
