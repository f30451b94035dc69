/**
 * `nextFireTime` for cron against a brute-force reference that walks minute by minute, on seeded
 * random expressions without L, W or #. The generator computes each field's set itself, so the
 * reference shares no code with the parser either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFireTime, parseScheduleExpression } from '../../src/bus/schedules/index.ts';

/** mulberry32: small, seedable, good enough to spread test cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Field {
  readonly text: string;
  readonly values: ReadonlySet<number>;
}
interface Generated {
  readonly expression: string;
  readonly matches: (ms: number) => boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function generator(rnd: () => number) {
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const name = (v: number, names: readonly string[] | undefined, min: number): string =>
    names !== undefined && rnd() < 0.5 ? (names[v - min] as string) : String(v);

  /** One list element of a field with values min..max, and the values it selects. */
  const element = (min: number, max: number, names?: readonly string[], steps = true): Field => {
    const span = max - min + 1;
    const all = (from: number, to: number, step: number): Set<number> => {
      const out = new Set<number>();
      // A range whose end is before its start wraps around the field.
      const length = to >= from ? to - from : to + span - from;
      for (let k = 0; k <= length; k += step) out.add(min + ((from - min + k) % span));
      return out;
    };
    switch (steps ? int(0, 5) : int(0, 2)) {
      case 0: {
        const v = int(min, max);
        return { text: name(v, names, min), values: new Set([v]) };
      }
      case 1: {
        const a = int(min, max);
        const b = int(min, max);
        return { text: `${name(a, names, min)}-${name(b, names, min)}`, values: all(a, b, 1) };
      }
      case 2:
        return { text: '*', values: all(min, max, 1) };
      case 3: {
        const step = int(1, Math.min(span - 1, 40));
        return { text: `*/${step}`, values: all(min, max, step) };
      }
      case 4: {
        const a = int(min, max);
        const step = int(1, Math.min(span - 1, 40));
        return { text: `${a}/${step}`, values: all(a, max, step) };
      }
      default: {
        const a = int(min, max);
        const b = int(min, max);
        const step = int(1, Math.min(span - 1, 20));
        return { text: `${a}-${b}/${step}`, values: all(a, b, step) };
      }
    }
  };
  const field = (min: number, max: number, names?: readonly string[], steps = true): Field => {
    const parts = Array.from({ length: rnd() < 0.7 ? 1 : int(2, 3) }, () => element(min, max, names, steps));
    return { text: parts.map((p) => p.text).join(','), values: new Set(parts.flatMap((p) => [...p.values])) };
  };
  const years = (): Field => {
    const r = rnd();
    if (r < 0.6) return { text: '*', values: new Set(Array.from({ length: 230 }, (_, i) => 1970 + i)) };
    if (r < 0.8) {
      const a = int(2018, 2030);
      const b = int(a, 2032);
      return { text: `${a}-${b}`, values: new Set(Array.from({ length: b - a + 1 }, (_, i) => a + i)) };
    }
    const a = int(2019, 2028);
    const b = int(2019, 2028);
    return { text: `${a},${b}`, values: new Set([a, b]) };
  };

  return (): Generated => {
    const minutes = field(0, 59);
    const hours = field(0, 23);
    const months = rnd() < 0.5 ? field(1, 12, MONTHS) : { text: '*', values: new Set(Array.from({ length: 12 }, (_, i) => i + 1)) };
    const byWeekday = rnd() < 0.4;
    // AWS's table allows no `/` in day-of-week.
    const days = byWeekday ? field(1, 7, DAYS, false) : field(1, 31);
    const yearField = years();
    const expression = `cron(${minutes.text} ${hours.text} ${byWeekday ? '?' : days.text} ${months.text} ${byWeekday ? days.text : '?'} ${yearField.text})`;
    const matches = (ms: number): boolean => {
      const d = new Date(ms);
      return (
        minutes.values.has(d.getUTCMinutes()) &&
        hours.values.has(d.getUTCHours()) &&
        months.values.has(d.getUTCMonth() + 1) &&
        yearField.values.has(d.getUTCFullYear()) &&
        (byWeekday ? days.values.has(d.getUTCDay() + 1) : days.values.has(d.getUTCDate()))
      );
    };
    return { expression, matches };
  };
}

const MINUTE = 60_000;
const WINDOW_MINUTES = 60 * 24 * 45;

/** The first `count` matching minutes strictly after `afterMs` and within the window, walking minute by minute. */
function reference(matches: (ms: number) => boolean, afterMs: number, count: number): number[] {
  const out: number[] = [];
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  for (let i = 0; i < WINDOW_MINUTES && out.length < count; i++, t += MINUTE) if (matches(t)) out.push(t);
  return out;
}

test('nextFireTime agrees with a minute-by-minute reference on random cron expressions', () => {
  const rnd = random(20240501);
  const generate = generator(rnd);
  const from = Date.parse('2018-06-01T00:00:00Z');
  const to = Date.parse('2031-01-01T00:00:00Z');
  let fired = 0;
  for (let i = 0; i < 250; i++) {
    const { expression, matches } = generate();
    const schedule = parseScheduleExpression(expression);
    // Half the start times on a whole minute, half inside one.
    const raw = from + Math.floor(rnd() * (to - from));
    const after = rnd() < 0.5 ? Math.floor(raw / MINUTE) * MINUTE : raw;
    const windowEnd = Math.floor(after / MINUTE) * MINUTE + WINDOW_MINUTES * MINUTE;
    const expected = reference(matches, after, 4);
    let t = after;
    for (const want of expected) {
      const got = nextFireTime(schedule, t, 0);
      assert.equal(got, want, `${expression} after ${new Date(t).toISOString()}`);
      t = want;
      fired++;
    }
    if (expected.length < 4) {
      // The reference saw no more fires in its window: ours must be later than the window, or never.
      const got = nextFireTime(schedule, t, 0);
      assert.ok(got === undefined || got > windowEnd, `${expression} after ${new Date(t).toISOString()}: got ${got === undefined ? 'never' : new Date(got).toISOString()}`);
    }
  }
  assert.ok(fired > 400, `the random cases exercise enough fires (${fired})`);
});

/** AWS weekday of a UTC date: 1 = SUN ... 7 = SAT. */
const weekdayOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const isWeekday = (year: number, month: number, day: number): boolean => weekdayOf(year, month, day) >= 2 && weekdayOf(year, month, day) <= 6;

/** Each special day form with a definition written from its description, day by day. */
const SPECIAL_DAYS: ReadonlyArray<readonly [string, string, (y: number, m: number, d: number) => boolean]> = [
  ['L', '?', (y, m, d) => d === lastDayOf(y, m)],
  ['LW', '?', (y, m, d) => {
    if (!isWeekday(y, m, d)) return false;
    for (let later = d + 1; later <= lastDayOf(y, m); later++) if (isWeekday(y, m, later)) return false;
    return true;
  }],
  ...[1, 2, 14, 15, 16, 28, 29, 30, 31].map((n) => [`${n}W`, '?', (y: number, m: number, d: number): boolean => {
    // The weekday of the same month closest to day n (there is never a tie), if the month has day n.
    if (n > lastDayOf(y, m) || !isWeekday(y, m, d)) return false;
    for (let other = 1; other <= lastDayOf(y, m); other++) {
      if (isWeekday(y, m, other) && Math.abs(other - n) < Math.abs(d - n)) return false;
    }
    return true;
  }] as const),
  ...[1, 4, 7].map((wd) => ['?', `${wd}L`, (y: number, m: number, d: number): boolean => weekdayOf(y, m, d) === wd && d + 7 > lastDayOf(y, m)] as const),
  ...[1, 3, 5].flatMap((k) => [2, 6].map((wd) => ['?', `${wd}#${k}`, (y: number, m: number, d: number): boolean => weekdayOf(y, m, d) === wd && Math.ceil(d / 7) === k] as const)),
];

test('L, LW, nW, nL and n#k agree with a day-by-day reference over five years', () => {
  const from = Date.UTC(2023, 0, 1);
  const to = Date.UTC(2028, 0, 1);
  for (const [dom, dow, matches] of SPECIAL_DAYS) {
    const schedule = parseScheduleExpression(`cron(30 6 ${dom} * ${dow} *)`);
    const expected: number[] = [];
    for (let day = from; day < to; day += 86_400_000) {
      const d = new Date(day);
      if (matches(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) expected.push(day + (6 * 60 + 30) * 60_000);
    }
    const got: number[] = [];
    for (let t = nextFireTime(schedule, from, 0); t !== undefined && t < to; t = nextFireTime(schedule, t, 0)) got.push(t);
    assert.deepEqual(got.map((t) => new Date(t).toISOString()), expected.map((t) => new Date(t).toISOString()), `${dom} ${dow}`);
    assert.ok(expected.length > 0, `${dom} ${dow} fires at least once`);
  }
});
