/**
 * When to try a failed delivery again (research/eventbridge.md §4.2): exponential backoff with
 * full jitter, until `MaximumRetryAttempts` retries were made or the event is older than
 * `MaximumEventAgeInSeconds`, whichever comes first. Pure: time and randomness are arguments.
 */
import type { ExhaustedRetryCondition } from '../../storage/index.ts';
import type { TargetConfig } from './target-config.ts';

export interface RetryPolicy {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
}

/** AWS's defaults: 185 retries, 24 hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 };

/** First retry waits up to 1 s; the ceiling doubles each retry up to 5 minutes. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

export function retryPolicyOf(target: TargetConfig): RetryPolicy {
  return {
    maximumRetryAttempts: target.retryPolicy?.maximumRetryAttempts ?? DEFAULT_RETRY_POLICY.maximumRetryAttempts,
    maximumEventAgeInSeconds: target.retryPolicy?.maximumEventAgeInSeconds ?? DEFAULT_RETRY_POLICY.maximumEventAgeInSeconds,
  };
}

/** Delay before retry number `retry` (1-based): full jitter over an exponentially growing ceiling. */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(30, retry - 1));
  // Never zero: a retry always yields to other work first.
  return Math.max(1, Math.floor(random() * ceiling));
}

export type RetryDecision =
  | { readonly kind: 'retry'; readonly at: number }
  | { readonly kind: 'give-up'; readonly condition: ExhaustedRetryCondition; readonly retries: number };

/** After `attempts` failed invocations (the first one included), retry or give up. */
export function nextRetry(policy: RetryPolicy, state: { readonly attempts: number; readonly eventTime: number; readonly now: number }, random: () => number): RetryDecision {
  const retries = state.attempts - 1;
  if (retries >= policy.maximumRetryAttempts) return { kind: 'give-up', condition: 'MaximumRetryAttempts', retries };
  const at = state.now + backoffDelay(retries + 1, random);
  if (at - state.eventTime > policy.maximumEventAgeInSeconds * 1000) return { kind: 'give-up', condition: 'MaximumEventAgeInSeconds', retries };
  return { kind: 'retry', at };
}
