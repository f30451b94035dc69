/**
 * TestEventPattern: `{EventPattern, Event}` → `{Result}`. The event must be a JSON object with
 * the envelope's fields (AWS's documentation also lists `resources`, but the service does not
 * require it); otherwise "Parameter Event is not valid.". An invalid pattern throws
 * `PatternError`, answered as InvalidEventPatternException with AWS's text.
 */
import { matchesPattern } from '../patterns/index.ts';
import { constraintError, validationError } from '../rules/index.ts';
import type { Operation } from './context.ts';
import { requiredString } from './members.ts';

const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;
const MAX_PATTERN_LENGTH = 4096;

export const testEventPattern: Operation = async (input) => {
  const pattern = requiredString(input, 'EventPattern', 'eventPattern');
  const event = requiredString(input, 'Event', 'event');
  if (pattern.length > MAX_PATTERN_LENGTH) throw constraintError('eventPattern', pattern, `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(event);
  } catch {
    throw validationError('Parameter Event is not valid.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !REQUIRED_EVENT_FIELDS.every((f) => f in parsed)) {
    throw validationError('Parameter Event is not valid.');
  }
  return { Result: matchesPattern(pattern, event) };
};
