/** `cron(Minutes Hours Day-of-month Month Day-of-week Year)`: which fields and wildcards AWS accepts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleExpressionError, parseScheduleExpression, type CronSchedule } from '../../src/bus/schedules/index.ts';

const cron = (fields: string): CronSchedule => {
  const schedule = parseScheduleExpression(`cron(${fields})`);
  assert.equal(schedule.kind, 'cron');
  return schedule as CronSchedule;
};
const reason = (fields: string): string => {
  try {
    parseScheduleExpression(`cron(${fields})`);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) return error.reason;
    throw error;
  }
  return 'valid';
};
const invalid = (fields: string): void => {
  assert.notEqual(reason(fields), 'valid', `cron(${fields}) should be refused`);
};
const range = (from: number, to: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};

test('accepts the examples of the AWS documentation', () => {
  for (const fields of [
    '0 10 * * ? *', '15 12 * * ? *', '0 18 ? * MON-FRI *', '0 8 1 * ? *', '0/15 * * * ? *',
    '0/10 * ? * MON-FRI *', '0/5 8-17 ? * MON-FRI *', '0 9 ? * 2#1 *', '0/30 * * * ? *',
  ]) assert.equal(reason(fields), 'valid', fields);
});

test('accepts one-value ranges and increments as long as the field (AWS accepts them)', () => {
  assert.deepEqual(cron('0-15/1 8-8 ? * 2,3,4,5,6,7 *').minutes, range(0, 15));
  assert.deepEqual(cron('30-30 13-13 ? * 2,4,6 *').hours, [13]);
  assert.deepEqual(cron('1-31/30 1-1 ? * 1,7 *').minutes, [1, 31]);
  assert.deepEqual(cron('0/59 0/23 1/31 1/12 ? *').minutes, [0, 59]);
});

test('a numeric field is the sorted set of values it selects', () => {
  const c = cron('1/10 */6 * JAN,MAR-MAY ? 2020-2022,2030');
  assert.deepEqual(c.minutes, [1, 11, 21, 31, 41, 51]);
  assert.deepEqual(c.hours, [0, 6, 12, 18]);
  assert.deepEqual(c.daysOfMonth, { kind: 'days', days: range(1, 31) });
  assert.deepEqual(c.months, [1, 3, 4, 5]);
  assert.deepEqual(c.daysOfWeek, { kind: 'any' });
  assert.deepEqual(c.years, [2020, 2021, 2022, 2030]);
  assert.deepEqual(cron('10-20/5,3,3,59 * * * ? *').minutes, [3, 10, 15, 20, 59]);
  assert.deepEqual(cron('* * * * ? *').years, range(1970, 2199));
  assert.deepEqual(cron('* * * * ? */50').years, [1970, 2020, 2070, 2120, 2170]);
  assert.deepEqual(cron('* * * */5 ? *').months, [1, 6, 11]);
  assert.deepEqual(cron('* * 5/10 * ? *').daysOfMonth, { kind: 'days', days: [5, 15, 25] });
  assert.deepEqual(cron('05 007 * * ? *').minutes, [5]);
});

test('a range whose end is before its start wraps around the field (as Quartz does)', () => {
  assert.deepEqual(cron('50-5 22-1 * * ? *').minutes, [0, 1, 2, 3, 4, 5, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
  assert.deepEqual(cron('50-5 22-1 * * ? *').hours, [0, 1, 22, 23]);
  assert.deepEqual(cron('0 0 ? NOV-FEB FRI-MON *').months, [1, 2, 11, 12]);
  assert.deepEqual(cron('0 0 ? NOV-FEB FRI-MON *').daysOfWeek, { kind: 'days', days: [1, 2, 6, 7] });
  assert.deepEqual(cron('50-10/5 * * * ? *').minutes, [0, 5, 10, 50, 55]);
  invalid('0 0 * * ? 2030-2020');
});

test('month names JAN-DEC and day names SUN-SAT, in any case; day-of-week 1 is SUN and 7 is SAT', () => {
  assert.deepEqual(cron('0 0 ? JAN-DEC SUN-SAT *').daysOfWeek, { kind: 'days', days: range(1, 7) });
  assert.deepEqual(cron('0 0 ? jan,Feb,DEC mon-fri *').months, [1, 2, 12]);
  assert.deepEqual(cron('0 0 ? * mon-fri *').daysOfWeek, { kind: 'days', days: [2, 3, 4, 5, 6] });
  assert.deepEqual(cron('0 0 ? * 1,SAT *').daysOfWeek, { kind: 'days', days: [1, 7] });
  assert.deepEqual(cron('0 0 ? * * *').daysOfWeek, { kind: 'days', days: range(1, 7) });
});

test('rejects misspelt names, and names in the wrong field', () => {
  for (const fields of [
    '0 0 * JANUARY ? *', '0 0 * JA ? *', '0 0 ? * MOM *', '0 0 ? * MONDAY *', '0 0 ? * JAN *', '0 0 * MON ? *',
    'JAN 0 * * ? *', '0 MON * * ? *', '0 0 * * ? JAN', '0 0 * FOO ? *',
  ]) invalid(fields);
});

test('requires ? in exactly one of day-of-month and day-of-week', () => {
  assert.match(reason('0 12 * * * *'), /day-of-month and day-of-week/);
  assert.match(reason('0 12 1 * MON *'), /day-of-month and day-of-week/);
  assert.match(reason('0 12 ? * ? *'), /day-of-month and day-of-week/);
  assert.equal(reason('0 12 ? * * *'), 'valid');
  assert.equal(reason('0 12 * * ? *'), 'valid');
});

test('requires exactly six fields', () => {
  assert.match(reason('0 12 * * ?'), /six fields/);
  assert.match(reason('0 0 12 * * ? *'), /six fields/);
  assert.match(reason('0 0 12 * * ? * *'), /six fields/);
  invalid('');
  invalid('*');
});

test('fields are separated by runs of spaces, with none before the first or after the last', () => {
  assert.deepEqual(cron('0   12 * *  ? *').hours, [12]);
  for (const text of ['cron( 0 12 * * ? *)', 'cron(0 12 * * ? * )', 'cron(0 12 * * ? *) ', 'CRON(0 12 * * ? *)', 'cron 0 12 * * ? *', 'cron(0 12 * * ? *']) {
    assert.throws(() => parseScheduleExpression(text), ScheduleExpressionError, text);
  }
});

test('rejects values out of each field\'s range', () => {
  for (const fields of [
    '60 * * * ? *', '* 24 * * ? *', '* * 0 * ? *', '* * 32 * ? *', '* * * 0 ? *', '* * * 13 ? *', '* * ? * 0 *',
    '* * ? * 8 *', '* * * * ? 1969', '* * * * ? 2200', '5-60 * * * ? *', '* * * * ? 2000-2200', '-1 * * * ? *',
    '* * 0/5 * ? *', '* * * * ? 1960/5',
  ]) invalid(fields);
});

test('rejects an increment of zero or larger than the field (*/60 minutes is refused by AWS)', () => {
  for (const fields of ['*/60 * * * ? *', '0/0 * * * ? *', '* */24 * * ? *', '* * */32 * ? *', '* * * */13 ? *', '* * * * ? */0']) invalid(fields);
  assert.equal(reason('* * * * ? */229'), 'valid');
});

test('rejects malformed lists, ranges and increments', () => {
  for (const fields of [
    '/5 * * * ? *', '5/ * * * ? *', '*/ * * * ? *', '1- * * * ? *', '1--5 * * * ? *', ',5 * * * ? *', '5, * * * ? *',
    '1,,2 * * * ? *', '1/2/3 * * * ? *', '*-5 * * * ? *', '1-*/2 * * * ? *', '** * * * ? *', '1.5 * * * ? *', '+1 * * * ? *',
  ]) invalid(fields);
});

test('? is accepted only in the day fields', () => {
  for (const fields of ['? * * * ? *', '* ? * * ? *', '* * * ? ? *', '* * * * ? ?']) invalid(fields);
});

test('day-of-month: L is the last day, LW the last weekday, nW the weekday nearest day n', () => {
  assert.deepEqual(cron('0 0 L * ? *').daysOfMonth, { kind: 'last' });
  assert.deepEqual(cron('0 0 LW * ? *').daysOfMonth, { kind: 'last-weekday' });
  assert.deepEqual(cron('0 0 15W * ? *').daysOfMonth, { kind: 'nearest-weekday', day: 15 });
  assert.deepEqual(cron('0 0 1w * ? *').daysOfMonth, { kind: 'nearest-weekday', day: 1 });
  for (const fields of ['0 0 0W * ? *', '0 0 32W * ? *', '0 0 W * ? *', '0 0 1W,15W * ? *', '0 0 1-5W * ? *', '0 0 L,15 * ? *', '0 0 L-3 * ? *', '0 0 5L * ? *', '0 0 WL * ? *', '0 0 */2W * ? *']) invalid(fields);
});

test('day-of-week: L alone is Saturday, nL the last such day of the month, n#k the kth such day', () => {
  assert.deepEqual(cron('0 0 ? * L *').daysOfWeek, { kind: 'days', days: [7] });
  assert.deepEqual(cron('0 0 ? * 5L *').daysOfWeek, { kind: 'last', day: 5 });
  assert.deepEqual(cron('0 0 ? * FRIL *').daysOfWeek, { kind: 'last', day: 6 });
  assert.deepEqual(cron('0 0 ? * 3#2 *').daysOfWeek, { kind: 'nth', day: 3, nth: 2 });
  assert.deepEqual(cron('0 0 ? * FRI#5 *').daysOfWeek, { kind: 'nth', day: 6, nth: 5 });
  for (const fields of ['0 0 ? * 3#0 *', '0 0 ? * 3#6 *', '0 0 ? * 8#1 *', '0 0 ? * 0L *', '0 0 ? * #2 *', '0 0 ? * 3# *', '0 0 ? * 3#1#2 *', '0 0 ? * 1-5L *', '0 0 ? * LL *', '0 0 ? * L-2 *']) invalid(fields);
});

test('# and L stand alone in day-of-week: "3#1,6#3" is two expressions and refused (AWS doc)', () => {
  invalid('0 0 ? * 3#1,6#3 *');
  invalid('0 0 ? * 2,3#1 *');
  invalid('0 0 ? * 5L,MON *');
  invalid('0 0 ? * L,MON *');
});

test('each special character only in the fields that allow it', () => {
  for (const fields of [
    'L * * * ? *', '* L * * ? *', '* * * L ? *', '* * * * ? L', '* * ? * 5W *', '* * W * ? *', '* * 1#2 * ? *',
    '1#2 * * * ? *', '* * ? * LW *', '* * * 5W ? *', '* * ? * */2 *', '* * ? * 1/2 *',
  ]) invalid(fields);
});

test('other characters are refused', () => {
  for (const fields of ['0 12 * * ? * ;', '0 12 * * ? *\n', '0 12 * * ? x', 'a 12 * * ? *', '0 12 * * ! *']) invalid(fields);
});
