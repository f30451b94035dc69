/**
 * Errors raised *inside* an execution. They are data, not exceptions that leave the interpreter:
 * a `StatesError` thrown while a state runs is matched against the state's `Retry` and `Catch`
 * fields, and an uncaught one becomes the execution's `error`/`cause`.
 */

/** The predefined error names of the Amazon States Language (and AWS's additions). */
export const STATES_ERRORS = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
} as const;

export type StatesErrorName = (typeof STATES_ERRORS)[keyof typeof STATES_ERRORS];

/**
 * Errors no `Retry` or `Catch` handles, not even `States.ALL`: they always fail the execution
 * (Developer Guide, "Error handling": States.Runtime and States.DataLimitExceeded are terminal).
 */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set([STATES_ERRORS.Runtime, STATES_ERRORS.DataLimitExceeded]);

export class StatesError extends Error {
  override readonly name = 'StatesError';
  /** The ASL error name (`null` for a `Fail` state without `Error`, as AWS reports it). */
  readonly error: string | null;
  readonly errorCause: string | undefined;
  /**
   * Raised by the interpreter itself (a bad path, a failing expression) rather than by a `Fail`
   * state or a task: its cause gets AWS's "An error occurred while executing the state..." prefix.
   */
  readonly raisedByInterpreter: boolean;

  constructor(error: string | null, cause?: string, raisedByInterpreter = false) {
    super(`${error ?? 'null'}${cause === undefined ? '' : `: ${cause}`}`);
    this.error = error;
    this.errorCause = cause;
    this.raisedByInterpreter = raisedByInterpreter;
  }
}

export function runtimeError(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.Runtime, cause, true);
}

export function intrinsicFailure(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.IntrinsicFailure, cause, true);
}

export function queryEvaluationError(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.QueryEvaluationError, cause, true);
}

/**
 * AWS prefixes the cause of errors the interpreter itself raises (States.Runtime,
 * States.QueryEvaluationError...) with the state and the id of its `...StateEntered` event.
 */
export function stateErrorCause(stateName: string, enteredEventId: number, detail: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${detail}`;
}
