/**
 * A table request failed the way DynamoDB fails it. `type` is DynamoDB's exception name; AppSync
 * prefixes it with `DynamoDB:` in `ctx.error.type`. `result` carries what AppSync exposes on
 * failure (`cancellationReasons` of a cancelled transaction).
 */
export type TableErrorType =
  | 'ValidationException'
  | 'ConditionalCheckFailedException'
  | 'TransactionCanceledException'
  | 'ResourceNotFoundException';

export class TableError extends Error {
  override readonly name = 'TableError';
  readonly type: TableErrorType;
  readonly result: unknown;
  constructor(type: TableErrorType, message: string, result?: unknown) {
    super(message);
    this.type = type;
    this.result = result;
  }
}

export const validation = (message: string): TableError => new TableError('ValidationException', message);

export const CONDITION_FAILED_MESSAGE = 'The conditional request failed';
