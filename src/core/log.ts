/**
 * Structured logs: one JSON line per request, event or lifecycle step, with its id. The sink is
 * injected so tests can capture lines and `--quiet` can drop them.
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
}

export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stdout.write(line + '\n'));
  const now = options.now ?? Date.now;
  return {
    enabled: (level) => LEVELS[level] >= min,
    log(level, msg, fields) {
      if (LEVELS[level] < min) return;
      write(JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...base, ...fields }, errorReplacer));
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
