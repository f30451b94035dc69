/**
 * The ValidationException DynamoDB raises for a malformed or unusable expression. `message` is
 * DynamoDB's own text, so the wire mapper can pass it through unchanged.
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

/** Which request parameter an expression came from; DynamoDB names it in every message. */
export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

/** `Invalid UpdateExpression: <detail>`. */
export function invalid(kind: ExpressionKind, detail: string): ExpressionError {
  return new ExpressionError(`Invalid ${kind}: ${detail}`);
}
