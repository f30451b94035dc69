/**
 * A subset of Java's `DateTimeFormatter` patterns, which `util.time.*Formatted` take:
 * `G y u Y M L d D E a H k h K m s S Z X x z V O` and `'quoted literals'` (`''` is a quote).
 * `Y` (week-based year) is treated as `y`, which differs only around New Year.
 */
import { offsetId, pad, resolveTimeZone, utcMillis, type TimeZone } from './time-zone.ts';

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LETTERS = new Set('GyuYMLdDEaHkhKmsSZXxzVO');

const compiled = new Map<string, readonly Token[]>();

export function tokenize(pattern: string): readonly Token[] {
  const hit = compiled.get(pattern);
  if (hit !== undefined) return hit;
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === "'") {
      const end = quotedEnd(pattern, i);
      const inner = pattern.slice(i + 1, end);
      tokens.push({ kind: 'literal', text: inner === '' ? "'" : inner.replaceAll("''", "'") });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.has(c)) throw new RangeError(`Unsupported date pattern letter '${c}' in "${pattern}"`);
      let j = i;
      while (pattern.charAt(j) === c) j++;
      tokens.push({ kind: 'field', letter: c, count: j - i });
      i = j;
    } else {
      tokens.push({ kind: 'literal', text: c });
      i++;
    }
  }
  if (compiled.size > 256) compiled.clear();
  compiled.set(pattern, tokens);
  return tokens;
}

function quotedEnd(pattern: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const q = pattern.indexOf("'", j);
    if (q === -1) throw new RangeError(`Unterminated quote in date pattern "${pattern}"`);
    if (q === start + 1 || pattern.charAt(q + 1) !== "'") return q;
    j = q + 2;
  }
}

/** Formats `epochMs` in `zone` (default UTC) with a Java pattern. */
export function formatEpochMillis(epochMs: number, pattern: string, zoneArg?: unknown): string {
  const zone = resolveTimeZone(zoneArg);
  const offset = zone.offsetMs(epochMs);
  const d = new Date(epochMs + offset);
  let out = '';
  for (const t of tokenize(pattern)) {
    out += t.kind === 'literal' ? t.text : formatField(t.letter, t.count, d, epochMs, offset, zone);
  }
  return out;
}

function formatField(letter: string, count: number, d: Date, epochMs: number, offset: number, zone: TimeZone): string {
  const year = d.getUTCFullYear();
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'u':
    case 'Y':
      return count === 2 ? pad(((year % 100) + 100) % 100, 2) : pad(letter === 'u' ? year : Math.abs(year <= 0 ? 1 - year : year), count);
    case 'M':
    case 'L':
      return text(d.getUTCMonth() + 1, count, MONTHS[d.getUTCMonth()] ?? '');
    case 'd':
      return pad(d.getUTCDate(), count);
    case 'D':
      return pad(Math.floor((d.getTime() - utcMillis(year, 1, 1, 0, 0, 0, 0)) / 86_400_000) + 1, count);
    case 'E': {
      const name = DAYS[d.getUTCDay()] ?? '';
      return count >= 4 ? name : name.slice(0, 3);
    }
    case 'a':
      return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(d.getUTCHours(), count);
    case 'k':
      return pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), count);
    case 'h':
      return pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, count);
    case 'K':
      return pad(d.getUTCHours() % 12, count);
    case 'm':
      return pad(d.getUTCMinutes(), count);
    case 's':
      return pad(d.getUTCSeconds(), count);
    case 'S':
      return pad(d.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count);
    case 'Z':
      if (count <= 3) return compactOffset(offset, false);
      if (count === 4) return offset === 0 ? 'GMT' : `GMT${offsetId(offset)}`;
      return offsetId(offset);
    case 'X':
    case 'x':
      if (offset === 0 && letter === 'X') return 'Z';
      if (count === 1) return compactOffset(offset, true);
      if (count === 2 || count === 4) return compactOffset(offset, false);
      return offset === 0 ? '+00:00' : offsetId(offset);
    case 'O':
      return offset === 0 ? 'GMT' : `GMT${offsetId(offset).replace(/^([+-])0(\d)/, '$1$2').replace(':00', '')}`;
    case 'z':
      return zone.name(epochMs, count >= 4 ? 'long' : 'short');
    case 'V':
      return zone.id;
    default:
      throw new RangeError(`Unsupported date pattern letter '${letter}'`);
  }
}

function text(value: number, count: number, name: string): string {
  if (count >= 4) return name;
  if (count === 3) return name.slice(0, 3);
  return pad(value, count);
}

/** `+HHMM` (or `+HH` when `short` and the minutes are zero). */
function compactOffset(offsetMs: number, short: boolean): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(Math.round(offsetMs / 60_000));
  const h = pad(Math.floor(total / 60), 2);
  const m = total % 60;
  return short && m === 0 ? `${sign}${h}` : `${sign}${h}${pad(m, 2)}`;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  dayOfYear: number | null;
  hour: number;
  pm: boolean | null;
  minute: number;
  second: number;
  ms: number;
  offsetMs: number | null;
  zone: TimeZone | null;
}

/**
 * Parses `input` with a Java pattern. A zone in the text wins; otherwise the wall time is read in
 * `zoneArg` (default UTC). Missing date fields default to 1970-01-01 (Java would reject them).
 */
export function parseToEpochMillis(input: string, pattern: string, zoneArg?: unknown): number {
  const tokens = tokenize(pattern);
  const handlers: ((value: string, f: Fields) => void)[] = [];
  let source = '^';
  for (const t of tokens) {
    if (t.kind === 'literal') {
      source += t.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const [re, apply] = fieldParser(t.letter, t.count);
    source += `(${re})`;
    handlers.push(apply);
  }
  const match = new RegExp(`${source}$`, 'i').exec(input);
  if (match === null) throw new RangeError(`Text '${input}' could not be parsed with pattern '${pattern}'`);
  const f: Fields = { year: 1970, month: 1, day: 1, dayOfYear: null, hour: 0, pm: null, minute: 0, second: 0, ms: 0, offsetMs: null, zone: null };
  handlers.forEach((apply, i) => apply(match[i + 1] ?? '', f));
  let hour = f.hour;
  if (f.pm !== null) hour = (hour % 12) + (f.pm ? 12 : 0);
  const wall =
    f.dayOfYear === null
      ? utcMillis(f.year, f.month, f.day, hour, f.minute, f.second, f.ms)
      : utcMillis(f.year, 1, 1, hour, f.minute, f.second, f.ms) + (f.dayOfYear - 1) * 86_400_000;
  if (f.offsetMs !== null) return wall - f.offsetMs;
  return wallToEpoch(wall, f.zone ?? resolveTimeZone(zoneArg));
}

/** Finds the instant whose wall time in `zone` is `wall` (the earlier one in a DST overlap). */
export function wallToEpoch(wall: number, zone: TimeZone): number {
  let guess = wall - zone.offsetMs(wall);
  const corrected = wall - zone.offsetMs(guess);
  if (corrected !== guess) guess = corrected;
  return guess;
}

type FieldParser = readonly [string, (value: string, f: Fields) => void];

function num(count: number, max = 9): string {
  return count === 1 ? `\\d{1,${max}}` : `\\d{${count}}`;
}

function fieldParser(letter: string, count: number): FieldParser {
  switch (letter) {
    case 'G':
      return ['AD|BC', (v, f) => void (v.toUpperCase() === 'BC' && (f.year = 1 - f.year))];
    case 'y':
    case 'u':
    case 'Y':
      return count === 2
        ? [num(2), (v, f) => void (f.year = 2000 + Number(v))]
        : [`[+-]?\\d{${count === 1 ? 1 : count},9}`, (v, f) => void (f.year = Number(v))];
    case 'M':
    case 'L':
      if (count >= 3) {
        const names = MONTHS.map((m) => (count === 3 ? m.slice(0, 3) : m));
        return [names.join('|'), (v, f) => void (f.month = names.findIndex((n) => n.toLowerCase() === v.toLowerCase()) + 1)];
      }
      return [num(count, 2), (v, f) => void (f.month = Number(v))];
    case 'd':
      return [num(count, 2), (v, f) => void (f.day = Number(v))];
    case 'D':
      return [num(count, 3), (v, f) => void (f.dayOfYear = Number(v))];
    case 'E': {
      const names = DAYS.map((d) => (count >= 4 ? d : d.slice(0, 3)));
      return [names.join('|'), () => undefined];
    }
    case 'a':
      return ['AM|PM', (v, f) => void (f.pm = v.toUpperCase() === 'PM')];
    case 'H':
    case 'K':
    case 'h':
      return [num(count, 2), (v, f) => void (f.hour = Number(v))];
    case 'k':
      return [num(count, 2), (v, f) => void (f.hour = Number(v) % 24)];
    case 'm':
      return [num(count, 2), (v, f) => void (f.minute = Number(v))];
    case 's':
      return [num(count, 2), (v, f) => void (f.second = Number(v))];
    case 'S':
      return [`\\d{${count}}`, (v, f) => void (f.ms = Math.floor(Number(`0.${v}`) * 1000 + 1e-6))];
    case 'Z':
    case 'X':
    case 'x':
    case 'O':
      return ['Z|(?:GMT|UTC)?[+-]\\d{1,2}(?::?\\d{2})?(?::?\\d{2})?|GMT|UTC', (v, f) => void (f.offsetMs = resolveTimeZone(v).offsetMs(0))];
    case 'z':
    case 'V':
      return ['[A-Za-z][A-Za-z0-9_/+\\-]*|[+-]\\d{2}:?\\d{2}', (v, f) => void (f.zone = resolveTimeZone(v))];
    default:
      throw new RangeError(`Unsupported date pattern letter '${letter}'`);
  }
}
