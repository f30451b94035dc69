export { ERROR_CODES, SwitchboardError, isSwitchboardError } from './errors.ts';
export type { ErrorCode, SwitchboardErrorOptions } from './errors.ts';
export { systemClock, VirtualClock } from './clock.ts';
export type { Clock, Timer } from './clock.ts';
export { createLogger, silentLogger } from './log.ts';
export type { Logger, LogLevel, LogFields, LoggerOptions } from './log.ts';
export { copyOf, merged, type Mutable } from './objects.ts';
export { RetryPauses } from './retry-pauses.ts';
export { createTimeOrderedIdGenerator } from './time-ordered-ids.ts';
