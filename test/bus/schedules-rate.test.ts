/** `rate(value unit)`: AWS's grammar (singular unit for 1, plural otherwise) and anchored firing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleExpressionError, nextFireTime, parseScheduleExpression } from '../../src/bus/schedules/index.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const invalid = (text: string): void => {
  assert.throws(() => parseScheduleExpression(text), ScheduleExpressionError, text);
};

test('accepts a singular unit when the value is 1', () => {
  assert.deepEqual(parseScheduleExpression('rate(1 minute)'), { kind: 'rate', expression: 'rate(1 minute)', value: 1, unit: 'minute', periodMs: 60_000 });
  assert.equal((parseScheduleExpression('rate(1 hour)') as { periodMs: number }).periodMs, 3_600_000);
  assert.equal((parseScheduleExpression('rate(1 day)') as { periodMs: number }).periodMs, 86_400_000);
});

test('accepts a plural unit when the value is greater than 1', () => {
  assert.deepEqual(parseScheduleExpression('rate(5 minutes)'), { kind: 'rate', expression: 'rate(5 minutes)', value: 5, unit: 'minute', periodMs: 300_000 });
  assert.equal((parseScheduleExpression('rate(12 hours)') as { periodMs: number }).periodMs, 12 * 3_600_000);
  assert.equal((parseScheduleExpression('rate(365 days)') as { periodMs: number }).periodMs, 365 * 86_400_000);
});

test('rejects a plural unit when the value is 1', () => {
  invalid('rate(1 minutes)');
  invalid('rate(1 hours)');
  invalid('rate(1 days)');
});

test('rejects a singular unit when the value is greater than 1', () => {
  invalid('rate(3 minute)');
  invalid('rate(2 hour)');
  invalid('rate(10 day)');
});

test('rejects a value that is not a positive integer', () => {
  for (const value of ['0', '-1', '1.5', '1e3', 'five', '', ' ']) invalid(`rate(${value} minutes)`);
});

test('rejects a value that does not fit a 32-bit signed integer', () => {
  assert.equal(parseScheduleExpression('rate(2147483647 minutes)').kind, 'rate');
  invalid('rate(2147483648 minutes)');
});

test('rejects units other than minute, hour and day, and other spellings of the keyword', () => {
  for (const text of [
    'rate(5 seconds)', 'rate(5 weeks)', 'rate(5 Minutes)', 'rate(5 MINUTES)', 'RATE(5 minutes)', 'Rate(5 minutes)',
    'rate(5minutes)', 'rate(5)', 'rate(minutes)', 'rate()', 'rate(5 minutes', 'rate 5 minutes', 'rate(5 minutes) ',
    ' rate(5 minutes)', 'rate( 5 minutes)', 'rate(5 minutes )', 'rate(5 minutes 1)', 'rate(5\tminutes)',
  ]) invalid(text);
});

test('an invalid expression carries AWS\'s message, ValidationException and a stable code', () => {
  assert.throws(() => parseScheduleExpression('rate(1 minutes)'), (e: unknown) => {
    assert.ok(e instanceof ScheduleExpressionError);
    assert.equal(e.message, 'Parameter ScheduleExpression is not valid.');
    assert.equal(e.awsType, 'ValidationException');
    assert.equal(e.code, 'SB_BUS_SCHEDULE_INVALID');
    assert.match(e.reason, /singular/);
    return true;
  });
});

test('fires at anchor + k * period, strictly after the given time', () => {
  const schedule = parseScheduleExpression('rate(5 minutes)');
  const anchor = at('2024-05-01T10:00:07.250Z');
  assert.equal(iso(nextFireTime(schedule, anchor, anchor)), '2024-05-01T10:05:07.250Z');
  assert.equal(iso(nextFireTime(schedule, at('2024-05-01T10:05:07.249Z'), anchor)), '2024-05-01T10:05:07.250Z');
  assert.equal(iso(nextFireTime(schedule, at('2024-05-01T10:05:07.250Z'), anchor)), '2024-05-01T10:10:07.250Z');
  assert.equal(iso(nextFireTime(schedule, at('2024-05-03T00:00:00Z'), anchor)), '2024-05-03T00:00:07.250Z');
});

test('does not fire at the anchor itself: before it, the first fire is one period after it', () => {
  const schedule = parseScheduleExpression('rate(1 hour)');
  const anchor = at('2024-05-01T10:30:00Z');
  assert.equal(iso(nextFireTime(schedule, at('2020-01-01T00:00:00Z'), anchor)), '2024-05-01T11:30:00.000Z');
  assert.equal(iso(nextFireTime(schedule, anchor - 1, anchor)), '2024-05-01T11:30:00.000Z');
});

test('rate(1 day) keeps the anchor\'s time of day across months and leap days (UTC has no DST)', () => {
  const schedule = parseScheduleExpression('rate(1 day)');
  const anchor = at('2024-02-27T08:15:00Z');
  assert.equal(iso(nextFireTime(schedule, at('2024-02-28T09:00:00Z'), anchor)), '2024-02-29T08:15:00.000Z');
  assert.equal(iso(nextFireTime(schedule, at('2024-02-29T09:00:00Z'), anchor)), '2024-03-01T08:15:00.000Z');
});

test('never fires beyond the largest representable date', () => {
  const schedule = parseScheduleExpression('rate(2147483647 days)');
  assert.equal(nextFireTime(schedule, 0, 0), undefined);
});
