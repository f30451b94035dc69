/**
 * Time zones for `util.time`: the `UTC` default, fixed offsets (`-08:00`, `+0530`, `UTC+8`) and IANA
 * region ids (`America/Los_Angeles`) through `Intl`, which Node ships with full ICU data.
 */

export interface TimeZone {
  /** What Java prints for `VV`: the region id, `UTC`, or a normalised offset such as `-08:00`. */
  readonly id: string;
  offsetMs(epochMs: number): number;
  /** What Java prints for `z` / `zzzz`. */
  name(epochMs: number, style: 'short' | 'long'): string;
}

const OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/i;

export const UTC: TimeZone = Object.freeze({
  id: 'UTC',
  offsetMs: () => 0,
  name: (_ms: number, style: 'short' | 'long') => (style === 'short' ? 'UTC' : 'Coordinated Universal Time'),
});

const cache = new Map<string, TimeZone>();

/** Resolves a zone argument; throws a RangeError naming the zone when it is unknown. */
export function resolveTimeZone(zone: unknown): TimeZone {
  if (zone === undefined || zone === null || zone === '') return UTC;
  const text = String(zone).trim();
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const resolved = parseZone(text);
  if (cache.size > 256) cache.clear();
  cache.set(text, resolved);
  return resolved;
}

function parseZone(text: string): TimeZone {
  const upper = text.toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'UT' || upper === 'Z' || upper === 'ETC/UTC') return UTC;
  const m = OFFSET.exec(text);
  if (m !== null) {
    const sign = m[1] === '-' ? -1 : 1;
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? 0);
    const seconds = Number(m[4] ?? 0);
    if (hours > 18 || minutes > 59 || seconds > 59) throw new RangeError(`Invalid time zone offset: ${text}`);
    return fixedOffset(sign * ((hours * 60 + minutes) * 60 + seconds) * 1000);
  }
  return regionZone(text);
}

/** Formats an offset the way Java's `ZoneOffset.getId()` does: `Z`, `+05:30`, `-08:00`. */
export function offsetId(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(Math.round(offsetMs / 1000));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h, 2)}:${pad(min, 2)}${s === 0 ? '' : `:${pad(s, 2)}`}`;
}

function fixedOffset(offsetMs: number): TimeZone {
  if (offsetMs === 0) return UTC;
  const id = offsetId(offsetMs);
  return Object.freeze({ id, offsetMs: () => offsetMs, name: () => id });
}

function regionZone(id: string): TimeZone {
  // throws RangeError("Invalid time zone specified: ...") for unknown ids
  const wall = new Intl.DateTimeFormat('en-US', {
    timeZone: id,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  // Java prints the id as given; ICU would canonicalise it (Asia/Kolkata -> Asia/Calcutta)
  const canonical = id;
  const names = {
    short: new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'short' }),
    long: new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'long' }),
  };
  return Object.freeze({
    id: canonical,
    offsetMs(epochMs: number): number {
      const base = Math.floor(epochMs / 1000) * 1000;
      const parts: Record<string, string> = {};
      for (const p of wall.formatToParts(new Date(base))) parts[p.type] = p.value;
      let year = Number(parts['year']);
      if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
      const hour = Number(parts['hour']) % 24;
      const asUtc = utcMillis(year, Number(parts['month']), Number(parts['day']), hour, Number(parts['minute']), Number(parts['second']), 0);
      return asUtc - base;
    },
    name(epochMs: number, style: 'short' | 'long'): string {
      const part = names[style].formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName');
      return part?.value ?? canonical;
    },
  });
}

/** `Date.UTC` without its two-digit-year quirk (years 0..99 would map to 1900..1999). */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

export function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(width, '0');
}
