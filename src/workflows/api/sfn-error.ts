/**
 * A Step Functions API request AWS would refuse. `type` is the exception name the SDK maps to its
 * error class; messages are AWS's texts where they are known.
 */
export class SfnRequestError extends Error {
  override readonly name = 'SfnRequestError';
  readonly type: string;

  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export const machineNotFound = (arn: string): SfnRequestError => new SfnRequestError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
export const executionNotFound = (arn: string): SfnRequestError => new SfnRequestError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
export const invalidArn = (arn: string): SfnRequestError => new SfnRequestError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
export const validation = (message: string): SfnRequestError => new SfnRequestError('ValidationException', message);
