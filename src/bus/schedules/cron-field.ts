import { ScheduleExpressionError } from './schedule-error.ts';

/** What one numeric cron field accepts. */
export interface CronField {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Names for min, min + 1, ... (JAN-DEC, SUN-SAT), matched case-insensitively. */
  readonly names?: readonly string[];
  /** The largest `/` increment, or 0 when the field takes none (AWS's table has no `/` for day-of-week). */
  readonly maxIncrement: number;
  /** Whether a range may run past `max` back to `min` (`FRI-MON`, `22-2`); not for years. */
  readonly wraps: boolean;
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

// Increment limits as Quartz, whose syntax AWS's follows, sets them (`*/60` minutes is refused).
export const MINUTES: CronField = { label: 'minutes', min: 0, max: 59, maxIncrement: 59, wraps: true };
export const HOURS: CronField = { label: 'hours', min: 0, max: 23, maxIncrement: 23, wraps: true };
export const DAYS_OF_MONTH: CronField = { label: 'day-of-month', min: 1, max: 31, maxIncrement: 31, wraps: true };
export const MONTHS: CronField = { label: 'month', min: 1, max: 12, names: MONTH_NAMES, maxIncrement: 12, wraps: true };
export const DAYS_OF_WEEK: CronField = { label: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, maxIncrement: 0, wraps: true };
export const YEARS: CronField = { label: 'year', min: 1970, max: 2199, maxIncrement: Number.MAX_SAFE_INTEGER, wraps: false };

/** `*`, `v`, `v-w`, each optionally `/n`; `v` and `w` are numbers or names. */
const ELEMENT = /^(?:(\*)|([0-9]+|[A-Z]+)(?:-([0-9]+|[A-Z]+))?)(?:\/([0-9]+))?$/;

const fail = (field: CronField, what: string): ScheduleExpressionError => new ScheduleExpressionError(`${field.label}: ${what}`);

/** One value of the field, by number or (upper-case) name, within its range. */
export function fieldValue(token: string, field: CronField): number {
  if (/^[0-9]+$/.test(token)) {
    const value = Number(token);
    if (value < field.min || value > field.max) throw fail(field, `${token} is not from ${field.min} to ${field.max}`);
    return value;
  }
  const index = field.names?.indexOf(token) ?? -1;
  if (index < 0) throw fail(field, `${token} is not a ${field.names === undefined ? 'number' : 'number or name'}`);
  return field.min + index;
}

/**
 * A comma-separated list of `*`, values, ranges and increments (`a/n` runs from `a` to the end of
 * the field), as the sorted set of values it selects. `text` is upper-case.
 */
export function parseCronField(text: string, field: CronField): number[] {
  const selected = new Set<number>();
  for (const element of text.split(',')) {
    const match = ELEMENT.exec(element);
    if (match === null) throw fail(field, `${JSON.stringify(element)} is not a value, range or increment`);
    const [, star, from, to, increment] = match;
    const start = star !== undefined ? field.min : fieldValue(from as string, field);
    const end = to !== undefined ? fieldValue(to, field) : star !== undefined || increment !== undefined ? field.max : start;
    const step = increment === undefined ? 1 : Number(increment);
    if (increment !== undefined && (step < 1 || step > field.maxIncrement)) {
      throw fail(field, field.maxIncrement === 0 ? 'takes no increment' : `the increment must be from 1 to ${field.maxIncrement}`);
    }
    if (end < start && !field.wraps) throw fail(field, `the range ${element} ends before it starts`);
    const span = field.max - field.min + 1;
    const length = end >= start ? end - start : end + span - start;
    for (let k = 0; k <= length; k += step) selected.add(field.min + ((start - field.min + k) % span));
  }
  return [...selected].sort((a, b) => a - b);
}
