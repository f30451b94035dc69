import type { AppSyncErrorInfo } from '../types.ts';

/**
 * Thrown by `util.error` and `util.unauthorized`. Resolver code cannot catch it (APPSYNC_JS has no
 * `try`), so it always unwinds to the runtime, which turns `info` into a GraphQL field error.
 */
export class UtilError extends Error {
  override readonly name = 'UtilError';
  readonly info: AppSyncErrorInfo;

  constructor(info: AppSyncErrorInfo) {
    super(info.message);
    this.info = info;
  }
}

/** Normalises the loosely typed arguments of `util.error` / `util.appendError`. */
export function errorInfoFrom(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): AppSyncErrorInfo {
  return {
    message: typeof message === 'string' ? message : String(message),
    errorType: errorType === undefined || errorType === null ? null : String(errorType),
    data: data ?? null,
    errorInfo: errorInfo ?? null,
  };
}
