/**
 * `util.time`. Every "now" reads the injected clock. ISO-8601 output is UTC with milliseconds
 * (`2018-02-06T19:01:35.749Z`), the shape AWS documents.
 */
import type { Clock } from '../../core/index.ts';
import { formatEpochMillis, parseToEpochMillis } from './java-date-format.ts';
import { utcMillis } from './time-zone.ts';

const ISO = /^([+-]?\d{4,9})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?:\[[^\]]+\])?$/i;

export function epochMilliSecondsToISO8601(epochMs: unknown): string {
  return new Date(toNumber(epochMs, 'epochMilliSecondsToISO8601')).toISOString();
}

export function parseISO8601ToEpochMilliSeconds(text: unknown): number {
  const m = ISO.exec(String(text).trim());
  if (m === null) throw new RangeError(`Text '${String(text)}' could not be parsed as an ISO-8601 date-time`);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6);
  const wall = utcMillis(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  return wall - offsetOf(m[8]);
}

function offsetOf(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
}

function toNumber(value: unknown, fn: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError(`util.time.${fn} expects epoch milliseconds, got ${String(value)}`);
  return n;
}

/** The clock-free members, shared by every invocation. */
const pure = {
  parseFormattedToEpochMilliSeconds: (text: unknown, format: unknown, zone?: unknown): number =>
    parseToEpochMillis(String(text), String(format), zone),
  parseISO8601ToEpochMilliSeconds,
  epochMilliSecondsToSeconds: (epochMs: unknown): number => Math.floor(toNumber(epochMs, 'epochMilliSecondsToSeconds') / 1000),
  epochMilliSecondsToISO8601,
  epochMilliSecondsToFormatted: (epochMs: unknown, format: unknown, zone?: unknown): string =>
    formatEpochMillis(toNumber(epochMs, 'epochMilliSecondsToFormatted'), String(format), zone),
};

export function createTimeUtils(clock: Clock): Readonly<Record<string, unknown>> {
  return Object.freeze({
    nowISO8601: (): string => new Date(clock.now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(clock.now() / 1000),
    nowEpochMilliSeconds: (): number => clock.now(),
    nowFormatted: (format: unknown, zone?: unknown): string => formatEpochMillis(clock.now(), String(format), zone),
    ...pure,
  });
}
