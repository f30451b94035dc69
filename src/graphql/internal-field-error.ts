/**
 * An exception from resolver code that was not raised on purpose (not a `ResolverFieldError`).
 * Wrapping it where the resolver is called is what lets the error formatter tell it apart from
 * graphql-js's own completion errors by class, not by guessing from the message: its text may
 * hold internals and never reaches the wire (AppSync answers `InternalFailure`).
 */
export class InternalFieldError extends Error {
  override readonly name = 'InternalFieldError';
  constructor(cause: unknown) {
    super('An internal failure occurred while resolving this field.', { cause });
  }
}
