/**
 * Why a pattern does not match an event: the first of its fields (in pattern order) that the event
 * fails on its own, or `$or` when every field holds but no branch of an `$or` does. Uses the naive
 * reference matcher: trace is about clarity, not speed.
 */
import { matchesNaive, type Pattern } from '../patterns/index.ts';

/** undefined when the pattern matches. */
export function explainMismatch(pattern: Pattern, event: unknown): string | undefined {
  if (matchesNaive(pattern, event)) return undefined;
  for (const field of pattern.fields) {
    if (!matchesNaive({ source: pattern.source, fields: [field], ors: [] }, event)) return field.path;
  }
  return '$or';
}
