/** `at(yyyy-mm-ddThh:mm:ss)`: EventBridge Scheduler's one-off schedule, in UTC. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleExpressionError, nextFireTime, parseScheduleExpression } from '../../src/bus/schedules/index.ts';

const at = (iso: string): number => Date.parse(iso);
const invalid = (text: string): void => {
  assert.throws(() => parseScheduleExpression(text), ScheduleExpressionError, text);
};

test('parses a UTC date and time to its instant', () => {
  assert.deepEqual(parseScheduleExpression('at(2030-01-02T03:04:05)'), {
    kind: 'at',
    expression: 'at(2030-01-02T03:04:05)',
    timeMs: at('2030-01-02T03:04:05Z'),
  });
});

test('fires once when the time is in the future', () => {
  const schedule = parseScheduleExpression('at(2030-01-02T03:04:05)');
  assert.equal(nextFireTime(schedule, at('2024-01-01T00:00:00Z'), 0), at('2030-01-02T03:04:05Z'));
  assert.equal(nextFireTime(schedule, at('2030-01-02T03:04:04.999Z'), 0), at('2030-01-02T03:04:05Z'));
});

test('never fires when the time is now or in the past', () => {
  const schedule = parseScheduleExpression('at(2030-01-02T03:04:05)');
  assert.equal(nextFireTime(schedule, at('2030-01-02T03:04:05Z'), 0), undefined);
  assert.equal(nextFireTime(schedule, at('2031-01-01T00:00:00Z'), 0), undefined);
});

test('accepts February 29 only in a leap year', () => {
  assert.equal(parseScheduleExpression('at(2024-02-29T12:00:00)').kind, 'at');
  invalid('at(2023-02-29T12:00:00)');
  invalid('at(2100-02-29T12:00:00)');
  assert.equal(parseScheduleExpression('at(2000-02-29T12:00:00)').kind, 'at');
});

test('rejects dates and times that do not exist', () => {
  for (const text of [
    'at(2024-13-01T00:00:00)', 'at(2024-00-01T00:00:00)', 'at(2024-04-31T00:00:00)', 'at(2024-01-00T00:00:00)',
    'at(2024-01-01T24:00:00)', 'at(2024-01-01T00:60:00)', 'at(2024-01-01T00:00:60)',
  ]) invalid(text);
});

test('rejects other date-time spellings', () => {
  for (const text of [
    'at(2024-01-01 00:00:00)', 'at(2024-01-01T00:00)', 'at(2024-01-01T00:00:00Z)', 'at(2024-01-01T00:00:00.000)',
    'at(2024-01-01T00:00:00+01:00)', 'at(24-01-01T00:00:00)', 'at(2024-1-1T0:0:0)', 'at(2024-01-01t00:00:00)',
    'at(2024-01-01)', 'at()', 'AT(2024-01-01T00:00:00)', 'at(2024-01-01T00:00:00', 'at( 2024-01-01T00:00:00)',
  ]) invalid(text);
});
