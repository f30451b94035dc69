/**
 * Calling one target with one input. An invoker never throws for a target's failure: it answers
 * with a stable error code (the DLQ's `ERROR_CODE`) and whether retrying may help.
 */
import type { DeliveryJob } from '../../storage/index.ts';
import type { TargetConfig } from './target-config.ts';

export type InvokeOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly retryable: boolean };

export type TargetInvoker = (target: TargetConfig, input: string, job: DeliveryJob) => Promise<InvokeOutcome>;
