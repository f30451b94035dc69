/**
 * Switchboard's Web Push target kind (`arn:switchboard:push:::notification/<name>`): the target
 * input (after its InputTransformer) names an order and/or a user and the notification's title
 * and body; the push domain, injected by `server/`, sends it to every subscription following them.
 * A notification the app does not declare is `NO_RESOURCE` and an unusable input
 * `PUSH_INPUT_INVALID`, neither retried; a delivery where nothing was accepted but something may
 * succeed later is retried with the target's policy (`PUSH_FAILED`); one refused outright (VAPID
 * rejected, too large) is `PUSH_REJECTED`.
 */
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';
import { targetRef } from './target-arn.ts';

export type PushNotifyAnswer =
  | { readonly kind: 'done'; readonly note: string }
  | { readonly kind: 'retry'; readonly message: string }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'missing' };

export type PushTargetNotifier = (notification: string, input: unknown) => Promise<PushNotifyAnswer>;

export function createPushTarget(notify: PushTargetNotifier): TargetInvoker {
  return async (target, input): Promise<InvokeOutcome> => {
    const ref = targetRef(target);
    if (ref.kind !== 'push') return { ok: false, code: 'NO_RESOURCE', message: `not a push notification ARN: ${target.arn}`, retryable: false };
    let value: unknown;
    try {
      value = JSON.parse(input);
    } catch {
      value = input;
    }
    const answer = await notify(ref.name, value);
    switch (answer.kind) {
      case 'done':
        return { ok: true, note: answer.note };
      case 'missing':
        return { ok: false, code: 'NO_RESOURCE', message: `push notification ${ref.name} is not declared in push.notifications`, retryable: false };
      case 'invalid':
        return { ok: false, code: 'PUSH_INPUT_INVALID', message: answer.message, retryable: false };
      case 'refused':
        return { ok: false, code: 'PUSH_REJECTED', message: answer.message, retryable: false };
      case 'retry':
        return { ok: false, code: 'PUSH_FAILED', message: answer.message, retryable: true };
    }
  };
}
