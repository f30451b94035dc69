/**
 * Errors are values with stable codes. Every error Switchboard raises on purpose is a
 * `SwitchboardError`; each wire surface maps it to its real counterpart's shape (GraphQL
 * `errors[]`, AWS JSON `{__type, message}`, WebSocket close codes). The catalogue of codes is
 * `ERROR_CODES` below and `docs/errors.md`; a test keeps the two in sync.
 */
export const ERROR_CODES = {
  SB_CONFIG_INVALID: 'The app configuration does not match its schema, or its sections refer to things that do not exist.',
  SB_CONFIG_LOAD_FAILED: 'An app file (the config, a key file) could not be found, read or evaluated.',
  SB_SCHEMA_INVALID: 'schema.graphql is not a valid AppSync schema.',
  SB_RESOLVER_LOAD_FAILED: 'A resolver module could not be compiled or loaded.',
  SB_BUS_PATTERN_INVALID: 'An event pattern is not valid (EventBridge InvalidEventPatternException).',
  SB_BUS_TARGET_INPUT_INVALID: 'A rule target\'s Input, InputPath or InputTransformer is not valid (PutTargets ValidationException).',
  SB_BUS_SCHEDULE_INVALID: 'A rule\'s ScheduleExpression is not valid rate(...), cron(...) or at(...) (PutRule ValidationException).',
  SB_PUSH_PAYLOAD_TOO_LARGE: 'A Web Push payload is over the 3993 bytes one 4096-byte aes128gcm message can carry (RFC 8291 §4).',
  SB_PUSH_KEY_INVALID: 'A VAPID key is not a base64url P-256 key, or the public key does not belong to the private key.',
  SB_STORAGE_FAILED: 'The storage adapter failed (the database file cannot be opened, or it is newer than this release).',
  SB_INTERNAL: 'An unexpected internal error; the log line carries the details.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SwitchboardErrorOptions {
  readonly cause?: unknown;
  /** Structured details for logs and for wire mappers that need them (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class SwitchboardError extends Error {
  override readonly name = 'SwitchboardError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: SwitchboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isSwitchboardError(value: unknown, code?: ErrorCode): value is SwitchboardError {
  return value instanceof SwitchboardError && (code === undefined || value.code === code);
}
