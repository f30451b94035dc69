/**
 * The one error schedule parsing raises. `message` and `awsType` are what PutRule answers for any
 * invalid `ScheduleExpression` (`ValidationException`, HTTP 400), so the AWS JSON mapper can pass
 * them through; `reason` says what is wrong, for logs and the config loader (AWS gives no detail).
 * The code is in the catalogue (`core/errors.ts`); like `TargetInputError`, this class stands
 * beside `SwitchboardError` so the AWS JSON mapper can pass AWS's type and text through.
 */
export const SCHEDULE_ERROR_CODE = 'SB_BUS_SCHEDULE_INVALID';
export const SCHEDULE_EXPRESSION_INVALID = 'Parameter ScheduleExpression is not valid.';

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
  readonly code = SCHEDULE_ERROR_CODE;
  readonly awsType = 'ValidationException';
  readonly reason: string;

  constructor(reason: string) {
    super(SCHEDULE_EXPRESSION_INVALID);
    this.reason = reason;
  }
}
