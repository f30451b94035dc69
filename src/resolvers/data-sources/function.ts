/**
 * FUNCTION: a TypeScript handler from the app's `functions/` folder, AppSync's Lambda data source.
 * `{operation: 'Invoke', payload}` calls `handler(payload, context)` and awaits its result;
 * `BatchInvoke` calls it with the list of payloads; `invocationType: 'Event'` does not wait.
 * The result is what Lambda returns: the handler's value as JSON (`core/lambda-result.ts`).
 *
 * A call that outlasts the function's timeout fails as Lambda fails it (`Task timed out after
 * 3.00 seconds`), and one that outlasts AppSync's 30 s data source limit as AppSync does. The
 * handler runs in this process, so it cannot be stopped: it runs on, and what it answers or
 * throws later is dropped.
 */
import { beforeDeadline, lambdaResult, TIMED_OUT, type Clock } from '../../core/index.ts';
import { DataSourceError, type DataSource } from '../types.ts';

export type FunctionHandler = (event: unknown, context: { readonly functionName: string; readonly awsRequestId: string }) => unknown;

/** Lambda's default function timeout. */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
/** AppSync waits at most this long for a data source, whatever the function's own timeout. */
const APPSYNC_DATA_SOURCE_LIMIT_SECONDS = 30;

export interface FunctionDataSourceOptions {
  readonly name: string;
  readonly load: () => Promise<FunctionHandler>;
  readonly onAsyncError: (error: unknown) => void;
  readonly clock: Clock;
  readonly timeoutSeconds?: number;
}

export function createFunctionDataSource(options: FunctionDataSourceOptions): DataSource {
  const { name, load, onAsyncError, clock } = options;
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
  const waitSeconds = Math.min(timeoutSeconds, APPSYNC_DATA_SOURCE_LIMIT_SECONDS);
  let handler: Promise<FunctionHandler> | undefined;
  return {
    type: 'FUNCTION',
    async invoke(request) {
      const req = (request ?? {}) as { operation?: unknown; payload?: unknown; invocationType?: unknown };
      if (req.operation !== 'Invoke' && req.operation !== 'BatchInvoke') {
        throw new DataSourceError('BadRequestException', `Unsupported operation '${String(req.operation)}'. Use Invoke or BatchInvoke.`);
      }
      // A failed import is not remembered: the next call tries again (the file may be fixed).
      handler ??= load().catch((error: unknown) => {
        handler = undefined;
        throw error;
      });
      const fn = await handler;
      const context = { functionName: name, awsRequestId: crypto.randomUUID() };
      const run = async () => fn(req.payload ?? null, context);
      if (req.invocationType === 'Event') {
        run().catch(onAsyncError);
        return null;
      }
      try {
        const result = await beforeDeadline(run(), clock, waitSeconds * 1000);
        if (result !== TIMED_OUT) return lambdaResult(result);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const type = error instanceof Error && error.name !== 'Error' ? error.name : 'Lambda:Unhandled';
        throw new DataSourceError(type, message);
      }
      throw waitSeconds < timeoutSeconds
        ? new DataSourceError('Lambda:ExecutionTimeoutException', 'Execution timed out.')
        : new DataSourceError('Lambda:Unhandled', `RequestId: ${context.awsRequestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    },
  };
}

