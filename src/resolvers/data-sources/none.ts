/** NONE: `ctx.result` is the request's `payload` (the "local resolver" of AppSync). */
import type { DataSource } from '../types.ts';

export function createNoneDataSource(): DataSource {
  return {
    type: 'NONE',
    async invoke(request) {
      if (request === null || typeof request !== 'object') return null;
      return (request as { payload?: unknown }).payload ?? null;
    },
  };
}
