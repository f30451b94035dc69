import { parseAt } from './at.ts';
import { parseCron } from './cron-parse.ts';
import { parseRate } from './rate.ts';
import type { Schedule } from './schedule.ts';
import { ScheduleExpressionError } from './schedule-error.ts';

/**
 * A `ScheduleExpression`: `rate(...)`, `cron(...)` (both PutRule) or `at(...)` (EventBridge
 * Scheduler only; PutRule callers refuse `kind === 'at'`). Throws `ScheduleExpressionError`.
 */
export function parseScheduleExpression(text: string): Schedule {
  if (text.startsWith('rate(')) return parseRate(text);
  if (text.startsWith('cron(')) return parseCron(text);
  if (text.startsWith('at(')) return parseAt(text);
  throw new ScheduleExpressionError('expected rate(...), cron(...) or at(...)');
}
