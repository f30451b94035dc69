/**
 * The one error the pattern language raises. Its message is byte-for-byte what EventBridge answers
 * (`InvalidEventPatternException`), so the wire mapper can pass it through unchanged; `reason` is
 * the part after the fixed prefix, which is what event-ruler itself throws.
 */
export const PATTERN_ERROR_CODE = 'SB_BUS_PATTERN_INVALID';

export class PatternError extends Error {
  override readonly name = 'PatternError';
  readonly code = PATTERN_ERROR_CODE;
  readonly reason: string;

  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.reason = reason;
  }
}
