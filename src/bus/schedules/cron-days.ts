import { daysInMonth, weekday } from './calendar.ts';
import type { CronSchedule, DayOfWeekSpec } from './schedule.ts';

const SATURDAY = 7;
const SUNDAY = 1;

/** The days (ascending) on which `cron` fires in the given month, from its two day fields. */
export function fireDays(cron: CronSchedule, year: number, month: number): readonly number[] {
  const last = daysInMonth(year, month);
  const dom = cron.daysOfMonth;
  switch (dom.kind) {
    case 'days':
      return (dom.days.at(-1) ?? 0) <= last ? dom.days : dom.days.filter((d) => d <= last);
    case 'last':
      return [last];
    case 'last-weekday':
      return [nearestWeekday(year, month, last, last)];
    case 'nearest-weekday':
      // A day the month does not have selects nothing, as a plain day 31 does in April.
      return dom.day <= last ? [nearestWeekday(year, month, dom.day, last)] : [];
    case 'any':
      return weekdays(cron.daysOfWeek, year, month, last);
  }
}

/**
 * The weekday nearest `day`, without leaving the month (Quartz's `W`): a Saturday moves to the
 * Friday before unless it is the 1st (then Monday the 3rd), a Sunday to the Monday after unless it
 * is the last day (then the Friday before).
 */
function nearestWeekday(year: number, month: number, day: number, last: number): number {
  const wd = weekday(year, month, day);
  if (wd === SATURDAY) return day === 1 ? 3 : day - 1;
  if (wd === SUNDAY) return day === last ? day - 2 : day + 1;
  return day;
}

function weekdays(spec: DayOfWeekSpec, year: number, month: number, last: number): readonly number[] {
  const first = weekday(year, month, 1);
  /** The first day of the month that falls on weekday `wd`. */
  const firstOn = (wd: number): number => 1 + ((wd - first + 7) % 7);
  switch (spec.kind) {
    case 'last':
      return [firstOn(spec.day) + 7 * Math.floor((last - firstOn(spec.day)) / 7)];
    case 'nth': {
      const day = firstOn(spec.day) + 7 * (spec.nth - 1);
      return day <= last ? [day] : [];
    }
    case 'days': {
      const out: number[] = [];
      for (const wd of spec.days) for (let day = firstOn(wd); day <= last; day += 7) out.push(day);
      return out.sort((a, b) => a - b);
    }
    case 'any': {
      // Not produced by the parser (one day field is always a real constraint): every day.
      return Array.from({ length: last }, (_, i) => i + 1);
    }
  }
}
