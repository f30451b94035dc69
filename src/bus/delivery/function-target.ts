/**
 * The Lambda target (`arn:aws:lambda:R:A:function:<name>`): the app's `functions/<name>.ts`
 * handler, called asynchronously with the target input (the whole event by default), as
 * EventBridge invokes Lambda (`InvocationType: Event`). A handler that throws is retried with the
 * target's retry policy; a function that does not exist is `NO_RESOURCE`, not retried.
 */
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';
import { targetRef } from './target-arn.ts';

/** Calls the named function; `missing` when the app has no such function. Throws what the handler throws. */
export type FunctionRunner = (name: string, event: unknown) => Promise<'ok' | 'missing'>;

export function createFunctionTarget(run: FunctionRunner): TargetInvoker {
  return async (target, input): Promise<InvokeOutcome> => {
    const ref = targetRef(target);
    if (ref.kind !== 'function') return { ok: false, code: 'NO_RESOURCE', message: `not a function ARN: ${target.arn}`, retryable: false };
    let event: unknown;
    try {
      event = JSON.parse(input);
    } catch {
      // A plain-text input (a string template) reaches Lambda as a JSON string.
      event = input;
    }
    try {
      const outcome = await run(ref.name, event);
      if (outcome === 'missing') return { ok: false, code: 'NO_RESOURCE', message: `Function not found: ${target.arn}`, retryable: false };
      return { ok: true };
    } catch (error) {
      return { ok: false, code: 'FUNCTION_ERROR', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error), retryable: true };
    }
  };
}
