import { MAX_TIME_MS } from './calendar.ts';
import { RATE_UNIT_MS, type RateSchedule, type RateUnit } from './schedule.ts';
import { ScheduleExpressionError } from './schedule-error.ts';

const RATE = /^rate\(([0-9]+) +([a-z]+)\)$/;
/** AWS parses the value as a Java int; anything larger is refused. */
const MAX_VALUE = 2_147_483_647;

/**
 * `rate(value unit)`: a positive integer and `minute|hour|day`, singular when the value is 1 and
 * plural otherwise, as AWS requires (`rate(1 minutes)` and `rate(3 minute)` are refused).
 */
export function parseRate(expression: string): RateSchedule {
  const match = RATE.exec(expression);
  if (match === null) throw new ScheduleExpressionError('expected rate(<value> <unit>)');
  const value = Number(match[1]);
  const word = match[2] as string;
  if (value < 1 || value > MAX_VALUE) throw new ScheduleExpressionError(`the rate value must be from 1 to ${MAX_VALUE}`);
  const plural = word.endsWith('s');
  const unit = plural ? word.slice(0, -1) : word;
  if (!Object.hasOwn(RATE_UNIT_MS, unit)) throw new ScheduleExpressionError('the rate unit must be minute(s), hour(s) or day(s)');
  if (plural !== value > 1) {
    throw new ScheduleExpressionError('the rate unit must be singular when the value is 1 and plural otherwise');
  }
  const rateUnit = unit as RateUnit;
  return { kind: 'rate', expression, value, unit: rateUnit, periodMs: value * RATE_UNIT_MS[rateUnit] };
}

/**
 * The first `anchorMs + k * periodMs` (k >= 1) strictly after `afterMs`. The anchor is the rule's
 * creation time: a rate rule first fires one period after it is created, not at creation.
 */
export function nextRateTime(schedule: RateSchedule, afterMs: number, anchorMs: number): number | undefined {
  const { periodMs } = schedule;
  const k = afterMs < anchorMs ? 1 : Math.floor((afterMs - anchorMs) / periodMs) + 1;
  const next = anchorMs + k * periodMs;
  return next <= MAX_TIME_MS ? next : undefined;
}
