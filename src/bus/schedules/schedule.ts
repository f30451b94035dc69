/**
 * A parsed schedule expression: what `parseScheduleExpression` returns and `nextFireTime` reads.
 * Plain data; every time is UTC and every instant is milliseconds since the epoch.
 */
export type Schedule = RateSchedule | CronSchedule | AtSchedule;

/** Milliseconds per `rate(...)` unit; the plural spellings map to the same units. */
export const RATE_UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type RateUnit = keyof typeof RATE_UNIT_MS;

/** `rate(value unit)`: fires every `periodMs`, counted from an anchor (the rule's creation time). */
export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
  readonly periodMs: number;
}

/** `at(yyyy-mm-ddThh:mm:ss)`: fires once, at `timeMs`. */
export interface AtSchedule {
  readonly kind: 'at';
  readonly expression: string;
  readonly timeMs: number;
}

/**
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`. Numeric fields are the sorted,
 * distinct values they select. Exactly one of the two day fields is `{ kind: 'any' }` (`?`).
 */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  /** 0-59 */
  readonly minutes: readonly number[];
  /** 0-23 */
  readonly hours: readonly number[];
  readonly daysOfMonth: DayOfMonthSpec;
  /** 1-12 */
  readonly months: readonly number[];
  readonly daysOfWeek: DayOfWeekSpec;
  /** 1970-2199 */
  readonly years: readonly number[];
}

/** The Day-of-month field: `?`, a set of days (1-31), `L`, `LW`, or `<day>W`. */
export type DayOfMonthSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last' }
  | { readonly kind: 'last-weekday' }
  | { readonly kind: 'nearest-weekday'; readonly day: number };

/**
 * The Day-of-week field, days numbered as AWS does (1 = SUN ... 7 = SAT): `?`, a set of days,
 * `<day>L` (the last such day of the month) or `<day>#<nth>` (the nth such day of the month).
 */
export type DayOfWeekSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last'; readonly day: number }
  | { readonly kind: 'nth'; readonly day: number; readonly nth: number };
