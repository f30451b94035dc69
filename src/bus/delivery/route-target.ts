/**
 * Picks the invoker by target kind. Kinds not built yet fail at once as `NO_RESOURCE` (not
 * retried), so they land in the dead letters instead of retrying for a day.
 */
import { isAppSyncTarget } from './appsync-target.ts';
import type { TargetInvoker } from './target-invoker.ts';

export interface TargetKinds {
  readonly appsync: TargetInvoker;
}

export function routeTarget(kinds: TargetKinds): TargetInvoker {
  return async (target, input, job) => {
    if (isAppSyncTarget(target)) return kinds.appsync(target, input, job);
    return { ok: false, code: 'NO_RESOURCE', message: 'target type not supported yet', retryable: false };
  };
}
