/**
 * Structured logs: one JSON line per request, event or lifecycle step, with its id. The sink is
 * injected so tests can capture lines and `--quiet` can drop them.
 *
 * Repeats are condensed: a warning or error whose message and error text equal one written less
 * than `repeatWindowMs` ago (default 5 s) is counted, not written; the next one written after the
 * window carries `repeated: <count>`. An outage (the database restarting) then logs a few lines
 * per loop and window instead of one per retry, each with its stack.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** Whether `level` is written: hot paths check it before building their fields. */
  enabled?(level: LogLevel): boolean;
  child(fields: LogFields): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly write?: (line: string) => void;
  readonly now?: () => number;
  /** Window in which a repeated warning or error is counted instead of written; default 5,000 ms, 0 writes every one. */
  readonly repeatWindowMs?: number;
}

interface Repeat {
  /** When the last line of this kind was written. */
  at: number;
  /** Lines of this kind not written since. */
  count: number;
}

/** Per logger family (a logger and its children share their options): warnings and errors recently written. */
const repeatsOf = new WeakMap<LoggerOptions, Map<string, Repeat>>();
const MAX_REPEAT_KEYS = 1_000;

export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stdout.write(line + '\n'));
  const now = options.now ?? Date.now;
  const window = options.repeatWindowMs ?? 5_000;
  let repeats = repeatsOf.get(options);
  if (repeats === undefined) repeatsOf.set(options, (repeats = new Map()));
  const seen = repeats;
  /** Undefined: do not write (counted); otherwise how many were not written before this one. */
  const repeated = (level: LogLevel, msg: string, fields: LogFields | undefined, at: number): number | undefined => {
    if (window <= 0 || LEVELS[level] < LEVELS.warn) return 0;
    const error = fields?.['error'];
    const key = `${level} ${msg} ${error instanceof Error ? error.message : typeof error === 'string' ? error : ''}`;
    const last = seen.get(key);
    if (last !== undefined && at - last.at < window) {
      last.count++;
      return undefined;
    }
    if (seen.size >= MAX_REPEAT_KEYS) seen.clear();
    seen.set(key, { at, count: 0 });
    return last?.count ?? 0;
  };
  return {
    enabled: (level) => LEVELS[level] >= min,
    log(level, msg, fields) {
      if (LEVELS[level] < min) return;
      const at = now();
      const skipped = repeated(level, msg, fields, at);
      if (skipped === undefined) return;
      write(JSON.stringify({ time: new Date(at).toISOString(), level, msg, ...base, ...fields, ...(skipped > 0 ? { repeated: skipped } : {}) }, errorReplacer));
    },
    child(fields) {
      return createLogger(options, { ...base, ...fields });
    },
  };
}

export const silentLogger: Logger = {
  log() {},
  enabled: () => false,
  child() {
    return silentLogger;
  },
};

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, ...(value as object) };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
