/**
 * RFC 3339 timestamps as Step Functions accepts them (`2012-10-09T19:00:55Z`,
 * `2012-10-09T19:00:55.123+01:00`): a `T` separator and an explicit offset are required, so
 * `2023-02-24 12:15:56.832957` or `2012-10-09T19:00:55` are not timestamps (recorded: they compare
 * false in every Timestamp* Choice operator).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A comparable instant: whole seconds since the epoch, and nanoseconds within the second. */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

export function parseTimestamp(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8] as string;
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - offsetMinutes * 60;
  const nanos = m[7] === undefined ? 0 : Number((m[7].slice(1) + '000000000').slice(0, 9));
  return { seconds, nanos };
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

export function instantToMillis(i: Instant): number {
  return i.seconds * 1000 + Math.floor(i.nanos / 1_000_000);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
