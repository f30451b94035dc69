/**
 * Errors are values with stable codes. Every error Switchboard raises on purpose is a
 * `SwitchboardError`; each wire surface maps it to its real counterpart's shape (GraphQL
 * `errors[]`, AWS JSON `{__type, message}`, WebSocket close codes). The catalogue of codes is
 * `ERROR_CODES` below and `docs/errors.md`; a test keeps the two in sync.
 */
export const ERROR_CODES = {
  SB_CONFIG_INVALID: 'The app configuration does not match its schema.',
  SB_CONFIG_LOAD_FAILED: 'An app file could not be read or evaluated.',
  SB_SCHEMA_INVALID: 'schema.graphql is not a valid AppSync schema.',
  SB_RESOLVER_LOAD_FAILED: 'A resolver module could not be compiled or loaded.',
  SB_RESOLVER_ERROR: 'A resolver raised an error (util.error or an exception).',
  SB_DATASOURCE_ERROR: 'A data source rejected or failed a request.',
  SB_TABLE_VALIDATION: 'A table request is malformed (DynamoDB ValidationException).',
  SB_TABLE_CONDITION_FAILED: 'A table condition did not hold (ConditionalCheckFailedException).',
  SB_TABLE_TRANSACTION_CANCELED: 'A table transaction was cancelled (TransactionCanceledException).',
  SB_TABLE_NOT_FOUND: 'A table request named a table the app does not declare.',
  SB_AUTH_UNAUTHORIZED: 'The request carries no valid credentials for any enabled auth mode.',
  SB_AUTH_FORBIDDEN: 'The caller is authenticated but not allowed to access a field.',
  SB_HTTP_MALFORMED: 'The HTTP request body could not be parsed.',
  SB_HTTP_TOO_LARGE: 'The HTTP request body is over the size limit.',
  SB_STORAGE_CONFLICT: 'A concurrent write changed an item between read and write (retried internally).',
  SB_STORAGE_FAILED: 'The storage adapter failed.',
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
