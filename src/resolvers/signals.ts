/**
 * Control flow thrown through resolver code: `runtime.earlyReturn` unwinds the handler that called
 * it. It is a plain object, not an Error, so user code cannot mistake it for a failure.
 */
export interface EarlyReturn {
  readonly __earlyReturn: true;
  readonly value: unknown;
  readonly skipTo: 'END' | 'NEXT';
}

export function isEarlyReturn(value: unknown): value is EarlyReturn {
  return typeof value === 'object' && value !== null && (value as { __earlyReturn?: unknown }).__earlyReturn === true;
}
