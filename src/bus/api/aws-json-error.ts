/**
 * The one mapper from bus errors to the AWS JSON 1.1 error shape: `{"__type": "...",
 * "message": "..."}`, HTTP 400 for client errors, 500 `InternalException` for anything else
 * (whose details go to the log, never to the wire).
 */
import { PatternError } from '../patterns/index.ts';
import { TargetInputError } from '../transform/index.ts';
import { BusRequestError } from '../rules/index.ts';

export interface AwsJsonAnswer {
  readonly status: number;
  /** The JSON body. */
  readonly body: string;
  /** Set on errors; the exception name (also sent as `x-amzn-errortype`). */
  readonly errorType?: string;
  /** An unexpected failure, for the caller to log; the wire only sees `InternalException`. */
  readonly internalError?: unknown;
}

export function awsJsonError(status: number, type: string, message: string): AwsJsonAnswer {
  return { status, body: JSON.stringify({ __type: type, message }), errorType: type };
}

export function answerForError(error: unknown): AwsJsonAnswer {
  if (error instanceof BusRequestError) return awsJsonError(400, error.awsType, error.message);
  if (error instanceof PatternError) return awsJsonError(400, 'InvalidEventPatternException', error.message);
  if (error instanceof TargetInputError) return awsJsonError(400, error.awsType, error.message);
  return { ...awsJsonError(500, 'InternalException', 'An internal error occurred.'), internalError: error };
}
