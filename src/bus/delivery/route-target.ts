/**
 * Picks the invoker by what the target ARN names (`target-arn.ts`). Kinds with no invoker
 * (a server built without one of them, unknown ARNs) fail at once as `NO_RESOURCE`, not
 * retried, so they land in the dead letters instead of retrying for a day.
 */
import { targetRef, type TargetRef } from './target-arn.ts';
import type { TargetInvoker } from './target-invoker.ts';

export type TargetKinds = Partial<Record<Exclude<TargetRef['kind'], 'unknown'>, TargetInvoker>>;

export function routeTarget(kinds: TargetKinds): TargetInvoker {
  return async (target, input, job) => {
    const ref = targetRef(target);
    const invoker = ref.kind === 'unknown' ? undefined : kinds[ref.kind];
    if (invoker !== undefined) return invoker(target, input, job);
    const what = ref.kind === 'unknown' ? `target ARN ${target.arn} names nothing Switchboard can invoke` : `${ref.kind} targets are not available in this server`;
    return { ok: false, code: 'NO_RESOURCE', message: what, retryable: false };
  };
}
