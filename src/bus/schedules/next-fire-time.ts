import { nextAtTime } from './at.ts';
import { nextCronTime } from './cron-next.ts';
import { nextRateTime } from './rate.ts';
import type { Schedule } from './schedule.ts';

/**
 * When `schedule` fires next, strictly after `afterMs` (ms since the epoch, UTC), or `undefined`
 * when it never fires again. `anchorMs` is the rule's creation time: a rate fires at
 * `anchorMs + k * period` (k >= 1); cron and at ignore it.
 */
export function nextFireTime(schedule: Schedule, afterMs: number, anchorMs: number): number | undefined {
  switch (schedule.kind) {
    case 'rate':
      return nextRateTime(schedule, afterMs, anchorMs);
    case 'cron':
      return nextCronTime(schedule, afterMs);
    case 'at':
      return nextAtTime(schedule, afterMs);
  }
}
