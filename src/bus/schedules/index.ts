/**
 * EventBridge schedule expressions: `rate(...)`, `cron(...)` and Scheduler's `at(...)`, parsed with
 * PutRule's error, and the next fire time after an instant. Pure: the caller owns the clock.
 */
export { parseScheduleExpression } from './parse-schedule-expression.ts';
export { nextFireTime } from './next-fire-time.ts';
export { ScheduleExpressionError, SCHEDULE_ERROR_CODE, SCHEDULE_EXPRESSION_INVALID } from './schedule-error.ts';
export { RATE_UNIT_MS } from './schedule.ts';
export type { Schedule, RateSchedule, RateUnit, CronSchedule, AtSchedule, DayOfMonthSpec, DayOfWeekSpec } from './schedule.ts';
