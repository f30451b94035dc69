/**
 * A per-second invocation rate (API destinations' `InvocationRateLimitPerSecond`): `reserve()`
 * answers `0` when a call may go now, else the time (ms since the epoch) of the next free slot.
 * Calls beyond the rate are deferred, not failed, as EventBridge queues them.
 */
import type { Clock } from '../../core/index.ts';

export interface RateLimiter {
  reserve(): number;
}

export function createRateLimiter(perSecond: number, clock: Clock): RateLimiter {
  const interval = 1000 / perSecond;
  let nextFree = 0;
  return {
    reserve() {
      const now = clock.now();
      if (nextFree <= now) {
        nextFree = now + interval;
        return 0;
      }
      return nextFree;
    },
  };
}
