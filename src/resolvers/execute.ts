/**
 * Unit and pipeline execution, as AppSync orders it:
 * - unit: request → data source → response;
 * - pipeline: before (resolver request) → for each function: request → data source → response
 *   → after (resolver response); `ctx.prev.result` carries each step's output to the next.
 * `util.error` stops everything; `runtime.earlyReturn` skips as documented (in the resolver's
 * request handler or with `skipTo: 'END'`: straight to the resolver's response handler; in a
 * function's request handler: that function's data source and response); a data-source failure
 * only sets `ctx.error` (handlers decide whether it is an error).
 */
import { DataSourceError, ResolverFieldError, type DataSource, type FieldInvocation } from './types.ts';
import { UtilError } from './util/index.ts';
import { runHandler, type Invocation } from './invocation.ts';
import { isEarlyReturn } from './signals.ts';
import { viewOf, type MutableContext } from './context.ts';
import type { LoadedModule } from './sandbox.ts';
import type { Logger } from '../core/index.ts';

export interface Step {
  readonly module: LoadedModule;
  readonly dataSource: DataSource;
  readonly dataSourceName: string;
}

type HandlerOutcome = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'early'; readonly value: unknown; readonly skipTo: 'END' | 'NEXT' };

function callHandler(invocation: Invocation, handler: ((ctx: unknown) => unknown) | undefined, ctx: MutableContext, fallback: unknown): HandlerOutcome {
  if (handler === undefined) return { kind: 'value', value: fallback };
  try {
    return { kind: 'value', value: runHandler(invocation, () => handler(viewOf(ctx))) };
  } catch (error) {
    if (isEarlyReturn(error)) return { kind: 'early', value: error.value, skipTo: error.skipTo };
    throw toFieldError(error);
  }
}

export function toFieldError(error: unknown): ResolverFieldError {
  if (error instanceof ResolverFieldError) return error;
  if (error instanceof UtilError) return new ResolverFieldError(error.info);
  return new ResolverFieldError({ message: messageOf(error), errorType: 'Code', data: null, errorInfo: null });
}

/** Errors thrown inside the vm context are not `instanceof Error` here; read them structurally. */
export function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : String(error);
}

async function invokeDataSource(step: Step, request: unknown, ctx: MutableContext, field: FieldInvocation, logger: Logger): Promise<void> {
  try {
    ctx.result = await step.dataSource.invoke(request, { auth: field.scope.auth, typeName: field.typeName, fieldName: field.fieldName });
    ctx.error = undefined;
  } catch (error) {
    if (error instanceof DataSourceError) {
      ctx.error = { message: error.message, type: error.type };
      ctx.result = error.result ?? null;
      return;
    }
    logger.log('error', 'data source failed', { dataSource: step.dataSourceName, error });
    ctx.error = { message: 'An internal failure occurred while calling the data source.', type: 'InternalFailure' };
    ctx.result = null;
  }
}

/** Runs request → data source → response for one step; `undefined` outcome means skipped to END. */
async function runStep(step: Step, ctx: MutableContext, invocation: Invocation, logger: Logger): Promise<HandlerOutcome> {
  const req = callHandler(invocation, step.module.request, ctx, {});
  if (req.kind === 'early') return req;
  await invokeDataSource(step, req.value, ctx, invocation.field, logger);
  return callHandler(invocation, step.module.response, ctx, ctx.result);
}

export async function executeUnit(step: Step, ctx: MutableContext, field: FieldInvocation, logger: Logger): Promise<unknown> {
  const outcome = await runStep(step, ctx, { field }, logger);
  return outcome.value;
}

export async function executePipeline(code: LoadedModule | undefined, steps: readonly Step[], ctx: MutableContext, field: FieldInvocation, logger: Logger): Promise<unknown> {
  const invocation: Invocation = { field };
  const before = callHandler(invocation, code?.request, ctx, {});
  let prev = before.value;
  // earlyReturn in the resolver's request handler skips every function, but AppSync still calls
  // the resolver's response handler with the returned value as `ctx.prev.result`.
  const functions = before.kind === 'early' ? [] : steps;
  for (const step of functions) {
    ctx.prev = { result: prev };
    ctx.result = undefined;
    ctx.error = undefined;
    const outcome = await runStep(step, ctx, invocation, logger);
    prev = outcome.value;
    if (outcome.kind === 'early' && outcome.skipTo === 'END') break;
  }
  ctx.prev = { result: prev };
  ctx.result = prev;
  const after = callHandler(invocation, code?.response, ctx, prev);
  return after.value;
}
