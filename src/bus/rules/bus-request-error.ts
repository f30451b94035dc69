/**
 * A bus API request AWS would refuse as a whole. `awsType` and `message` are what the AWS JSON
 * mapper puts on the wire (`{__type, message}`, HTTP 400); the messages are AWS's own texts
 * where they are known (model constraints follow AWS's "1 validation error detected" form).
 */
export class BusRequestError extends Error {
  override readonly name = 'BusRequestError';
  readonly awsType: string;

  constructor(awsType: string, message: string) {
    super(message);
    this.awsType = awsType;
  }
}

export const validationError = (message: string): BusRequestError => new BusRequestError('ValidationException', message);

/**
 * AWS's model-constraint message. AWS echoes the value (`Value 'x' at 'name'`); a missing member
 * reads `Value null at ...`. Lists and strings over 256 characters are not echoed (they can be
 * 8 KB), which leaves `Value at ...`, as the PutEvents entry-count message does.
 */
export function constraintError(member: string, value: unknown, constraint: string): BusRequestError {
  const echo =
    value === undefined || value === null
      ? 'Value null'
      : (typeof value === 'string' && value.length <= 256) || typeof value === 'number'
        ? `Value '${String(value)}'`
        : 'Value';
  return validationError(`1 validation error detected: ${echo} at '${member}' failed to satisfy constraint: ${constraint}`);
}

export const MUST_NOT_BE_NULL = 'Member must not be null';
export const maxLength = (n: number): string => `Member must have length less than or equal to ${n}`;
export const minLength = (n: number): string => `Member must have length greater than or equal to ${n}`;
export const matchesPattern = (pattern: string): string => `Member must satisfy regular expression pattern: ${pattern}`;
