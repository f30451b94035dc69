import type { TargetBody } from './target-body.ts';
import { constraintError, maxLength, targetLabel, TargetInputError, type TargetLocation } from './target-input-error.ts';

const MAX_INPUT_LENGTH = 8192;

/**
 * `Input`: a constant JSON text sent instead of the event, byte for byte (not re-serialised).
 */
export function compileConstantInput(input: string, where: TargetLocation = {}): TargetBody {
  if (input.length > MAX_INPUT_LENGTH) throw constraintError(where, 'input', maxLength(MAX_INPUT_LENGTH));
  try {
    JSON.parse(input);
  } catch {
    // The API requires "valid JSON text"; AWS's message for a violation was not recorded.
    throw new TargetInputError(`Input for target ${targetLabel(where)} is not valid JSON.`);
  }
  return () => input;
}
