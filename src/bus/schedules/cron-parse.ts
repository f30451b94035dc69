import { DAYS_OF_MONTH, DAYS_OF_WEEK, HOURS, MINUTES, MONTHS, YEARS, fieldValue, parseCronField } from './cron-field.ts';
import type { CronSchedule, DayOfMonthSpec, DayOfWeekSpec } from './schedule.ts';
import { ScheduleExpressionError } from './schedule-error.ts';

const CRON = /^cron\((.*)\)$/s;

/**
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`: six fields separated by spaces, UTC.
 * Names and the special characters are case-insensitive (as in Quartz, whose syntax AWS's follows).
 */
export function parseCron(expression: string): CronSchedule {
  const match = CRON.exec(expression);
  if (match === null) throw new ScheduleExpressionError('expected cron(<fields>)');
  const fields = (match[1] as string).toUpperCase().split(/ +/);
  if (fields.length !== 6 || fields.includes('')) {
    throw new ScheduleExpressionError('expected six fields: minutes hours day-of-month month day-of-week year');
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = fields as [string, string, string, string, string, string];
  const dom = parseDayOfMonth(daysOfMonth);
  const dow = parseDayOfWeek(daysOfWeek);
  if ((dom.kind === 'any') === (dow.kind === 'any')) {
    throw new ScheduleExpressionError('day-of-month and day-of-week: exactly one of them must be ?');
  }
  return {
    kind: 'cron',
    expression,
    minutes: parseCronField(minutes, MINUTES),
    hours: parseCronField(hours, HOURS),
    daysOfMonth: dom,
    months: parseCronField(months, MONTHS),
    daysOfWeek: dow,
    years: parseCronField(years, YEARS),
  };
}

/** `?`, `L`, `LW`, `<day>W`, or a list of days. `L` and `W` stand alone, never in a list. */
function parseDayOfMonth(text: string): DayOfMonthSpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'last-weekday' };
  const nearest = /^([0-9]+)W$/.exec(text);
  if (nearest !== null) return { kind: 'nearest-weekday', day: fieldValue(nearest[1] as string, DAYS_OF_MONTH) };
  return { kind: 'days', days: parseCronField(text, DAYS_OF_MONTH) };
}

/**
 * `?`, `L` (Saturday, the last day of the week), `<day>L`, `<day>#<1-5>`, or a list of days.
 * `L` and `#` stand alone: AWS refuses `3#1,6#3` as "two expressions".
 */
function parseDayOfWeek(text: string): DayOfWeekSpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'days', days: [DAYS_OF_WEEK.max] };
  const last = /^([0-9]+|[A-Z]+)L$/.exec(text);
  if (last !== null) return { kind: 'last', day: fieldValue(last[1] as string, DAYS_OF_WEEK) };
  const nth = /^([0-9]+|[A-Z]+)#([0-9]+)$/.exec(text);
  if (nth !== null) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) throw new ScheduleExpressionError('day-of-week: the # instance must be from 1 to 5');
    return { kind: 'nth', day: fieldValue(nth[1] as string, DAYS_OF_WEEK), nth: k };
  }
  return { kind: 'days', days: parseCronField(text, DAYS_OF_WEEK) };
}
