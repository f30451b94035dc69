/**
 * FUNCTION: a TypeScript handler from the app's `functions/` folder, AppSync's Lambda data source.
 * `{operation: 'Invoke', payload}` calls `handler(payload, context)` and awaits its result;
 * `BatchInvoke` calls it with the list of payloads; `invocationType: 'Event'` does not wait.
 * The result is what Lambda returns: the handler's value as JSON (`core/lambda-result.ts`).
 */
import { lambdaResult } from '../../core/index.ts';
import { DataSourceError, type DataSource } from '../types.ts';

export type FunctionHandler = (event: unknown, context: { readonly functionName: string; readonly awsRequestId: string }) => unknown;

export function createFunctionDataSource(name: string, load: () => Promise<FunctionHandler>, onAsyncError: (error: unknown) => void): DataSource {
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
        return lambdaResult(await run());
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const type = error instanceof Error && error.name !== 'Error' ? error.name : 'Lambda:Unhandled';
        throw new DataSourceError(type, message);
      }
    },
  };
}
