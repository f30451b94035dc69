/**
 * Proleptic Gregorian calendar arithmetic in UTC, on plain numbers (months 1-12, days 1-31,
 * weekdays numbered as AWS's cron does: 1 = SUN ... 7 = SAT). No `Date`, so no two-digit-year quirks.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** The largest instant a JavaScript `Date` can hold. */
export const MAX_TIME_MS = 8.64e15;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** Days from 1970-01-01 to the given date (negative before it); counts in 400-year eras from March. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** 1 = SUN ... 7 = SAT. 1970-01-01 was a Thursday (5). */
export function weekday(year: number, month: number, day: number): number {
  return ((((daysFromCivil(year, month, day) + 4) % 7) + 7) % 7) + 1;
}
