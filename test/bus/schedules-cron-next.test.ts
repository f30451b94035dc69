/** When a cron schedule fires next: UTC, whole minutes, strictly after the given time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFireTime, parseScheduleExpression } from '../../src/bus/schedules/index.ts';

/** The next fire time of `cron(fields)` strictly after `after` (an ISO time, UTC), as ISO text. */
const next = (fields: string, after: string): string | undefined => {
  const ms = nextFireTime(parseScheduleExpression(`cron(${fields})`), Date.parse(after), 0);
  return ms === undefined ? undefined : new Date(ms).toISOString().replace(':00.000Z', 'Z');
};
/** The first `n` fire times after `after`. */
const series = (fields: string, after: string, n: number): string[] => {
  const out: string[] = [];
  let t = after;
  for (let i = 0; i < n; i++) {
    const fired = next(fields, t);
    if (fired === undefined) break;
    out.push(fired);
    t = fired;
  }
  return out;
};

test('fires on the next matching minute, strictly after the given time', () => {
  assert.equal(next('0/15 * * * ? *', '2024-05-01T10:07:00Z'), '2024-05-01T10:15Z');
  assert.equal(next('0/15 * * * ? *', '2024-05-01T10:15:00Z'), '2024-05-01T10:30Z');
  assert.equal(next('0/15 * * * ? *', '2024-05-01T10:14:59.999Z'), '2024-05-01T10:15Z');
  assert.equal(next('0/15 * * * ? *', '2024-05-01T10:15:00.001Z'), '2024-05-01T10:30Z');
  assert.equal(next('* * * * ? *', '2024-05-01T10:15:30Z'), '2024-05-01T10:16Z');
});

test('rolls over hours, days, months and years', () => {
  assert.equal(next('0 10 * * ? *', '2024-12-31T10:00:00Z'), '2025-01-01T10:00Z');
  assert.equal(next('45 * * * ? *', '2024-12-31T23:50:00Z'), '2025-01-01T00:45Z');
  assert.equal(next('0 0 1 * ? *', '2024-01-31T12:00:00Z'), '2024-02-01T00:00Z');
  assert.equal(next('30 8 15 JUN ? *', '2024-06-15T08:30:00Z'), '2025-06-15T08:30Z');
});

test('the day matches before the hour and minute: a later day starts from the first hour and minute', () => {
  assert.equal(next('10,20 5,6 2 * ? *', '2024-03-01T23:59:00Z'), '2024-03-02T05:10Z');
  assert.equal(next('10,20 5,6 2 * ? *', '2024-03-02T05:15:00Z'), '2024-03-02T05:20Z');
  assert.equal(next('10,20 5,6 2 * ? *', '2024-03-02T05:20:00Z'), '2024-03-02T06:10Z');
  assert.equal(next('10,20 5,6 2 * ? *', '2024-03-02T06:20:00Z'), '2024-04-02T05:10Z');
});

test('MON-FRI skips the weekend (2024-05-03 is a Friday)', () => {
  assert.deepEqual(series('0 18 ? * MON-FRI *', '2024-05-03T12:00:00Z', 3), ['2024-05-03T18:00Z', '2024-05-06T18:00Z', '2024-05-07T18:00Z']);
});

test('day-of-week numbers are 1 = SUN ... 7 = SAT, the same as the names', () => {
  const names = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  names.forEach((name, i) => {
    const byNumber = next(`0 0 ? * ${i + 1} *`, '2024-05-01T00:00:00Z');
    assert.equal(byNumber, next(`0 0 ? * ${name} *`, '2024-05-01T00:00:00Z'));
    assert.equal(new Date(`${byNumber!.slice(0, 10)}T00:00:00Z`).getUTCDay(), i, name);
  });
});

test('L in day-of-month is the last day: 31, 30, 28, and 29 in a leap year', () => {
  assert.deepEqual(series('0 12 L * ? *', '2023-01-01T00:00:00Z', 4), ['2023-01-31T12:00Z', '2023-02-28T12:00Z', '2023-03-31T12:00Z', '2023-04-30T12:00Z']);
  assert.equal(next('0 12 L FEB ? *', '2024-01-01T00:00:00Z'), '2024-02-29T12:00Z');
  assert.equal(next('0 12 L FEB ? *', '2100-01-01T00:00:00Z'), '2100-02-28T12:00Z');
});

test('February 29 fires only in leap years (2100 is not one, 2000 is)', () => {
  assert.equal(next('0 0 29 2 ? *', '2024-03-01T00:00:00Z'), '2028-02-29T00:00Z');
  assert.equal(next('0 0 29 2 ? *', '2096-03-01T00:00:00Z'), '2104-02-29T00:00Z');
  assert.equal(next('0 0 29 2 ? *', '1999-01-01T00:00:00Z'), '2000-02-29T00:00Z');
});

test('day 31 skips the months that have no 31st', () => {
  assert.deepEqual(series('0 0 31 * ? *', '2024-01-31T00:00:00Z', 3), ['2024-03-31T00:00Z', '2024-05-31T00:00Z', '2024-07-31T00:00Z']);
});

test('nW is the weekday nearest day n, never leaving the month', () => {
  // 2024-06-15 is a Saturday: the Friday before.
  assert.equal(next('0 9 15W JUN ? 2024', '2024-06-01T00:00:00Z'), '2024-06-14T09:00Z');
  // 2024-09-15 is a Sunday: the Monday after.
  assert.equal(next('0 9 15W SEP ? 2024', '2024-09-01T00:00:00Z'), '2024-09-16T09:00Z');
  // 2024-06-01 is a Saturday: not May 31, but Monday the 3rd.
  assert.equal(next('0 9 1W JUN ? 2024', '2024-05-01T00:00:00Z'), '2024-06-03T09:00Z');
  // 2024-09-01 is a Sunday: Monday the 2nd.
  assert.equal(next('0 9 1W SEP ? 2024', '2024-08-01T00:00:00Z'), '2024-09-02T09:00Z');
  // 2024-03-31 is a Sunday: not April 1, but Friday the 29th.
  assert.equal(next('0 9 31W MAR ? 2024', '2024-03-01T00:00:00Z'), '2024-03-29T09:00Z');
  // A weekday is its own nearest weekday (2024-05-15 is a Wednesday).
  assert.equal(next('0 9 15W * ? *', '2024-05-01T00:00:00Z'), '2024-05-15T09:00Z');
});

test('nW fires nothing in a month without day n', () => {
  assert.deepEqual(series('0 9 31W * ? 2024', '2024-01-31T10:00:00Z', 2), ['2024-03-29T09:00Z', '2024-05-31T09:00Z']);
  assert.equal(next('0 9 30W FEB ? *', '2024-01-01T00:00:00Z'), undefined);
});

test('a W day can fall before the given time in the same month, then the next month counts', () => {
  // 2024-06-15 is a Saturday, so 15W is June 14; at noon on June 14 the next one is July 15 (a Monday).
  assert.equal(next('0 9 15W * ? *', '2024-06-14T12:00:00Z'), '2024-07-15T09:00Z');
});

test('LW is the last weekday of the month', () => {
  assert.deepEqual(series('0 17 LW * ? 2024', '2024-01-01T00:00:00Z', 4), [
    '2024-01-31T17:00Z', // Wednesday
    '2024-02-29T17:00Z', // Thursday, leap day
    '2024-03-29T17:00Z', // the 31st is a Sunday
    '2024-04-30T17:00Z', // Tuesday
  ]);
  assert.equal(next('0 17 LW * ? 2024', '2024-08-01T00:00:00Z'), '2024-08-30T17:00Z'); // the 31st is a Saturday
  assert.equal(next('0 17 LW * ? 2024', '2024-11-01T00:00:00Z'), '2024-11-29T17:00Z'); // the 30th is a Saturday
});

test('nL in day-of-week is the last such day of the month', () => {
  assert.equal(next('0 0 ? * 5L *', '2024-11-01T00:00:00Z'), '2024-11-28T00:00Z');
  assert.equal(next('0 0 ? * THUL *', '2024-02-01T00:00:00Z'), '2024-02-29T00:00Z');
  assert.equal(next('0 0 ? * 5L *', '2024-11-28T00:00:00Z'), '2024-12-26T00:00Z');
});

test('L alone in day-of-week is every Saturday', () => {
  assert.deepEqual(series('0 0 ? * L *', '2024-05-01T00:00:00Z', 2), ['2024-05-04T00:00Z', '2024-05-11T00:00Z']);
});

test('n#k is the kth such day of the month; months without a fifth are skipped', () => {
  assert.equal(next('0 9 ? * 3#2 *', '2024-05-01T00:00:00Z'), '2024-05-14T09:00Z'); // second Tuesday
  assert.equal(next('0 9 ? * 2#1 *', '2024-01-01T09:00:00Z'), '2024-02-05T09:00Z'); // first Monday after Jan 1
  assert.deepEqual(series('0 9 ? * MON#5 *', '2024-01-01T00:00:00Z', 3), ['2024-01-29T09:00Z', '2024-04-29T09:00Z', '2024-07-29T09:00Z']);
  assert.equal(next('0 9 ? * 5#5 *', '2024-01-01T00:00:00Z'), '2024-02-29T09:00Z'); // fifth Thursday: Feb 2024
});

test('a year range stops firing after its last year', () => {
  assert.deepEqual(series('0 0 1 1 ? 2025-2026', '2024-06-01T00:00:00Z', 5), ['2025-01-01T00:00Z', '2026-01-01T00:00Z']);
  assert.equal(next('0 0 1 1 ? 2025-2026', '2026-01-01T00:00:00Z'), undefined);
  assert.equal(next('* * * * ? 2020', '2024-01-01T00:00:00Z'), undefined);
});

test('a year list with gaps jumps over the missing years', () => {
  assert.deepEqual(series('0 0 1 1 ? 2025,2030,2040/50', '2024-01-01T00:00:00Z', 5), ['2025-01-01T00:00Z', '2030-01-01T00:00Z', '2040-01-01T00:00Z', '2090-01-01T00:00Z', '2140-01-01T00:00Z']);
});

test('the last possible minute is 2199-12-31T23:59; nothing fires after it', () => {
  assert.equal(next('* * * * ? *', '2199-12-31T23:58:00Z'), '2199-12-31T23:59Z');
  assert.equal(next('* * * * ? *', '2199-12-31T23:59:00Z'), undefined);
  assert.equal(next('* * * * ? *', '2500-01-01T00:00:00Z'), undefined);
});

test('a time before 1970 starts at the first minute of 1970', () => {
  assert.equal(next('* * * * ? *', '1960-06-01T00:00:00Z'), '1970-01-01T00:00Z');
});

test('a day that never occurs (30 FEB) never fires', () => {
  assert.equal(next('0 0 30 2 ? *', '1970-01-01T00:00:00Z'), undefined);
  assert.equal(next('0 0 ? FEB 2#5 2027', '2024-01-01T00:00:00Z'), undefined);
});

test('increments count from their start: 0/20 hours, */3 months, 1/10 minutes', () => {
  assert.deepEqual(series('0 0/20 * * ? *', '2024-05-01T00:00:00Z', 3), ['2024-05-01T20:00Z', '2024-05-02T00:00Z', '2024-05-02T20:00Z']);
  assert.deepEqual(series('0 0 1 */3 ? *', '2024-02-01T00:00:00Z', 3), ['2024-04-01T00:00Z', '2024-07-01T00:00Z', '2024-10-01T00:00Z']);
  assert.deepEqual(series('1/10 9 * * ? *', '2024-05-01T09:30:00Z', 3), ['2024-05-01T09:31Z', '2024-05-01T09:41Z', '2024-05-01T09:51Z']);
});

test('a wrapped range fires across midnight and the new year', () => {
  assert.deepEqual(series('0 23-1 * * ? *', '2024-12-31T22:00:00Z', 3), ['2024-12-31T23:00Z', '2025-01-01T00:00Z', '2025-01-01T01:00Z']);
  assert.deepEqual(series('0 0 1 NOV-JAN ? *', '2024-10-15T00:00:00Z', 4), ['2024-11-01T00:00Z', '2024-12-01T00:00Z', '2025-01-01T00:00Z', '2025-11-01T00:00Z']);
});

test('a far fire time is found by stepping fields, not minutes', () => {
  const schedule = parseScheduleExpression('cron(59 23 31 12 ? 2199)');
  const started = performance.now();
  for (let i = 0; i < 1000; i++) assert.equal(nextFireTime(schedule, 0, 0), Date.parse('2199-12-31T23:59:00Z'));
  assert.ok(performance.now() - started < 2000, 'a thousand far searches take well under a second or two');
});

test('the anchor does not move a cron schedule', () => {
  const schedule = parseScheduleExpression('cron(0 12 * * ? *)');
  const after = Date.parse('2024-05-01T00:00:00Z');
  assert.equal(nextFireTime(schedule, after, after), nextFireTime(schedule, after, 12_345));
});
