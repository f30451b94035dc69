/**
 * The app's AWS_LAMBDA authorizer (`api.auth.lambda.handler`) as the authenticator's port: the
 * handler module is imported on first use (a failed import is tried again on the next call, so a
 * fixed file is picked up), called as Lambda calls it, and its value handed over as Lambda returns
 * it (its JSON, `core/lambda-result.ts`). A throw is logged here, since the caller only sees
 * AppSync's refusal.
 */
import { basename, extname } from 'node:path';
import { lambdaResult, type Logger } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import type { LambdaAuthorizerFunction } from '../auth/index.ts';
import { importHandler, invokeHandler, type FunctionHandler } from './app-functions.ts';

export function lambdaAuthorizerOf(app: AppDefinition, logger: Logger): LambdaAuthorizerFunction | undefined {
  const path = app.auth.lambda?.handler.path;
  if (path === undefined) return undefined;
  const functionName = basename(path, extname(path));
  let handler: Promise<FunctionHandler> | undefined;
  return async (event) => {
    try {
      handler ??= importHandler(path, path).catch((error: unknown) => {
        handler = undefined;
        throw error;
      });
      return lambdaResult(await invokeHandler(await handler, functionName, event));
    } catch (error) {
      logger.log('error', 'the Lambda authorizer failed; the request is refused', { handler: path, error });
      throw error;
    }
  };
}
