import { MINUTE_MS, utcMs } from './calendar.ts';
import { fireDays } from './cron-days.ts';
import type { CronSchedule } from './schedule.ts';

/** 2200-01-01T00:00Z: cron years end with 2199. */
const END_MS = utcMs(2200, 1, 1);

/**
 * The first whole minute strictly after `afterMs` that `cron` selects, or `undefined` when there
 * is none before its years run out. Steps field by field (year, month, day, hour, minute), so a
 * search costs at most a few thousand months, never a walk over minutes.
 */
export function nextCronTime(cron: CronSchedule, afterMs: number): number | undefined {
  // The next whole minute; nothing fires before 1970-01-01 (instant 0), where cron years begin.
  const start = Math.max(0, (Math.floor(afterMs / MINUTE_MS) + 1) * MINUTE_MS);
  if (!(start < END_MS)) return undefined;
  const s = new Date(start);
  const [y0, mo0, d0, h0, mi0] = [s.getUTCFullYear(), s.getUTCMonth() + 1, s.getUTCDate(), s.getUTCHours(), s.getUTCMinutes()];

  // `same*`: every field so far equals the start's, so the next field must not go below the
  // start's; once one field is past the start, the fields below may take their first value.
  for (const year of cron.years) {
    if (year < y0) continue;
    const sameYear = year === y0;
    for (const month of cron.months) {
      if (sameYear && month < mo0) continue;
      const sameMonth = sameYear && month === mo0;
      for (const day of fireDays(cron, year, month)) {
        if (sameMonth && day < d0) continue;
        const sameDay = sameMonth && day === d0;
        for (const hour of cron.hours) {
          if (sameDay && hour < h0) continue;
          const minute = sameDay && hour === h0 ? cron.minutes.find((m) => m >= mi0) : cron.minutes[0];
          if (minute !== undefined) return utcMs(year, month, day, hour, minute);
        }
      }
    }
  }
  return undefined;
}
