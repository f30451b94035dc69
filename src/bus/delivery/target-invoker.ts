/**
 * Calling one target with one input. An invoker never throws for a target's failure: it answers
 * with a stable error code (the DLQ's `ERROR_CODE`) and whether retrying may help.
 */
import type { DeliveryJob } from '../../storage/index.ts';
import type { TargetConfig } from './target-config.ts';

export type InvokeOutcome =
  /** `note` says what was done instead of a call, e.g. a forward skipped by the hop limit (shown by trace). */
  | { readonly ok: true; readonly note?: string }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
      /** Not attempted (e.g. over a rate limit): try again at this time without counting an attempt. */
      readonly deferUntil?: number;
    };

export type TargetInvoker = (target: TargetConfig, input: string, job: DeliveryJob) => Promise<InvokeOutcome>;
