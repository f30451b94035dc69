/**
 * `util.time` on a VirtualClock. Expected values are the examples of the AWS AppSync `util.time`
 * reference (2018-02-06T19:01:35.758Z) plus Java DateTimeFormatter facts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { createUtil } from '../../src/resolvers/util/index.ts';

const NOW = 1517943695758; // 2018-02-06T19:01:35.758Z

function timeAt(ms: number): { clock: VirtualClock; time: Record<string, (...args: unknown[]) => unknown> } {
  const clock = new VirtualClock(ms);
  const util = createUtil({
    clock,
    authType: () => 'API Key Authorization',
    appendError: () => undefined,
    currentField: () => ({ typeName: 'Query', fieldName: 'x' }),
  });
  return { clock, time: util['time'] as Record<string, (...args: unknown[]) => unknown> };
}

test('nowISO8601 is UTC with milliseconds', () => {
  assert.equal(timeAt(NOW).time['nowISO8601']!(), '2018-02-06T19:01:35.758Z');
  assert.equal(timeAt(Date.parse('2026-01-01T00:00:00Z')).time['nowISO8601']!(), '2026-01-01T00:00:00.000Z');
});

test('nowEpochSeconds and nowEpochMilliSeconds read the clock and follow it', async () => {
  const { clock, time } = timeAt(NOW);
  assert.equal(time['nowEpochSeconds']!(), 1517943695);
  assert.equal(time['nowEpochMilliSeconds']!(), NOW);
  await clock.advance(1242);
  assert.equal(time['nowEpochMilliSeconds']!(), NOW + 1242);
  assert.equal(time['nowEpochSeconds']!(), 1517943697);
});

test('nowFormatted prints Java patterns in UTC by default', () => {
  const { time } = timeAt(NOW);
  assert.equal(time['nowFormatted']!('yyyy-MM-dd HH:mm:ssZ'), '2018-02-06 19:01:35+0000');
  assert.equal(time['nowFormatted']!('yyyy-MM-dd HH:mm:ss.SSSXXX'), '2018-02-06 19:01:35.758Z');
  assert.equal(time['nowFormatted']!("EEE, dd MMM yyyy 'at' h:mm a"), 'Tue, 06 Feb 2018 at 7:01 PM');
  assert.equal(time['nowFormatted']!("EEEE d MMMM yy 'o''clock' D DDD"), "Tuesday 6 February 18 o'clock 37 037");
});

test('nowFormatted takes a fixed offset or a region as the time zone', () => {
  const { time } = timeAt(NOW);
  assert.equal(time['nowFormatted']!('yyyy-MM-dd HH:mm:ssZ', '-08:00'), '2018-02-06 11:01:35-0800');
  assert.equal(time['nowFormatted']!('yyyy-MM-dd HH:mm:ssZ', 'America/Los_Angeles'), '2018-02-06 11:01:35-0800');
  assert.equal(time['nowFormatted']!('yyyy-MM-dd HH:mm:ssXXX VV', 'Asia/Kolkata'), '2018-02-07 00:31:35+05:30 Asia/Kolkata');
  assert.equal(time['nowFormatted']!('HH:mm z', 'America/Los_Angeles'), '11:01 PST');
});

test('a region zone follows daylight saving time', () => {
  const summer = Date.parse('2018-07-01T12:00:00Z');
  assert.equal(timeAt(summer).time['nowFormatted']!('yyyy-MM-dd HH:mm XXX', 'America/Los_Angeles'), '2018-07-01 05:00 -07:00');
});

test('an unknown time zone is an error', () => {
  assert.throws(() => timeAt(NOW).time['nowFormatted']!('yyyy', 'Mars/Olympus'), RangeError);
});

test('epochMilliSecondsTo* conversions', () => {
  const { time } = timeAt(0);
  assert.equal(time['epochMilliSecondsToSeconds']!(1517943695750), 1517943695);
  assert.equal(time['epochMilliSecondsToISO8601']!(1517943695758), '2018-02-06T19:01:35.758Z');
  assert.equal(time['epochMilliSecondsToFormatted']!(1517943695750, 'yyyy-MM-dd HH:mm:ssZ'), '2018-02-06 19:01:35+0000');
  assert.equal(time['epochMilliSecondsToFormatted']!(1517943695750, 'yyyy-MM-dd HH:mm:ssZ', '-08:00'), '2018-02-06 11:01:35-0800');
});

test('parseFormattedToEpochMilliSeconds reads the zone from the text, else the argument', () => {
  const { time } = timeAt(0);
  assert.equal(time['parseFormattedToEpochMilliSeconds']!('2018-02-01 17:21:05.180+0000', 'yyyy-MM-dd HH:mm:ss.SSSZ'), 1517505665180);
  assert.equal(time['parseFormattedToEpochMilliSeconds']!('2018-02-01 09:21:05', 'yyyy-MM-dd HH:mm:ss', '-08:00'), 1517505665000);
  assert.equal(time['parseFormattedToEpochMilliSeconds']!('2018-02-01 09:21:05', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles'), 1517505665000);
  assert.equal(time['parseFormattedToEpochMilliSeconds']!('01 Feb 2018 05:21 PM', 'dd MMM yyyy hh:mm a'), 1517505660000);
  assert.throws(() => time['parseFormattedToEpochMilliSeconds']!('2018/02/01', 'yyyy-MM-dd'), /could not be parsed/);
});

test('parseISO8601ToEpochMilliSeconds honours the offset', () => {
  const { time } = timeAt(0);
  assert.equal(time['parseISO8601ToEpochMilliSeconds']!('2018-02-01T17:21:05.180+08:00'), 1517476865180);
  assert.equal(time['parseISO8601ToEpochMilliSeconds']!('2018-02-06T19:01:35.758Z'), NOW);
  assert.throws(() => time['parseISO8601ToEpochMilliSeconds']!('yesterday'), RangeError);
});

test('format and parse round-trip on the same pattern and zone', () => {
  const { time } = timeAt(0);
  const pattern = 'yyyy-MM-dd HH:mm:ss.SSS';
  const text = time['epochMilliSecondsToFormatted']!(NOW, pattern, 'Europe/Paris');
  assert.equal(text, '2018-02-06 20:01:35.758');
  assert.equal(time['parseFormattedToEpochMilliSeconds']!(text, pattern, 'Europe/Paris'), NOW);
});
