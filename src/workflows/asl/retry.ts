/**
 * Retry and Catch matching. The first retrier (or catcher) whose `ErrorEquals` names the error
 * wins; `States.ALL` matches anything but the terminal errors, `States.TaskFailed` any error
 * except `States.Timeout`. Each retrier counts its own attempts.
 */
import type { Catcher, Retrier } from './definition.ts';
import { STATES_ERRORS, TERMINAL_ERRORS } from './errors.ts';

export function errorMatches(errorEquals: readonly string[], error: string | null): boolean {
  if (error !== null && TERMINAL_ERRORS.has(error)) return false;
  return errorEquals.some(
    (name) =>
      name === STATES_ERRORS.ALL ||
      name === error ||
      (name === STATES_ERRORS.TaskFailed && error !== STATES_ERRORS.Timeout),
  );
}

export function findRetrier(retriers: readonly Retrier[] | undefined, error: string | null): number {
  return retriers?.findIndex((r) => errorMatches(r.ErrorEquals, error)) ?? -1;
}

export function findCatcher(catchers: readonly Catcher[] | undefined, error: string | null): Catcher | undefined {
  return catchers?.find((c) => errorMatches(c.ErrorEquals, error));
}

/**
 * Delay before retry `attempt` (1-based): `IntervalSeconds × BackoffRate^(attempt-1)`, capped by
 * `MaxDelaySeconds`; with `JitterStrategy: FULL`, a uniform random share of it.
 */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * rate ** (attempt - 1);
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
