import { daysInMonth, utcMs } from './calendar.ts';
import type { AtSchedule } from './schedule.ts';
import { ScheduleExpressionError } from './schedule-error.ts';

const AT = /^at\(([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\)$/;

/**
 * `at(yyyy-mm-ddThh:mm:ss)`, EventBridge Scheduler's one-off schedule: a date and time that exist,
 * read as UTC (no offset, no fraction).
 */
export function parseAt(expression: string): AtSchedule {
  const match = AT.exec(expression);
  if (match === null) throw new ScheduleExpressionError('expected at(yyyy-mm-ddThh:mm:ss)');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new ScheduleExpressionError(`${year}-${match[2]}-${match[3]} is not a date`);
  }
  if (hour > 23 || minute > 59 || second > 59) throw new ScheduleExpressionError(`${match[4]}:${match[5]}:${match[6]} is not a time`);
  return { kind: 'at', expression, timeMs: utcMs(year, month, day, hour, minute, second) };
}

/** The schedule's one time, if it is strictly after `afterMs`. */
export function nextAtTime(schedule: AtSchedule, afterMs: number): number | undefined {
  return schedule.timeMs > afterMs ? schedule.timeMs : undefined;
}
