/**
 * Switchboard's own target kind (`arn:switchboard:realtime:::subscription/<field>`): the target
 * input is published straight to the subscribers of a Subscription field, as the admin publish API
 * does, with no mutation in the public schema. The input is the field's value (JSON).
 */
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';
import { targetRef } from './target-arn.ts';

/** Publishes; `missing` when the schema has no such Subscription field. */
export type SubscriptionPublisher = (field: string, payload: unknown) => Promise<'ok' | 'missing'>;

export function createPublishTarget(publish: SubscriptionPublisher): TargetInvoker {
  return async (target, input): Promise<InvokeOutcome> => {
    const ref = targetRef(target);
    if (ref.kind !== 'publish') return { ok: false, code: 'NO_RESOURCE', message: `not a subscription ARN: ${target.arn}`, retryable: false };
    let payload: unknown;
    try {
      payload = JSON.parse(input);
    } catch {
      payload = input;
    }
    const outcome = await publish(ref.field, payload);
    if (outcome === 'missing') return { ok: false, code: 'NO_RESOURCE', message: `Subscription.${ref.field} is not in the schema`, retryable: false };
    return { ok: true };
  };
}
