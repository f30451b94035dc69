import type { JsonValue } from '../envelope/index.ts';
import { compileJsonPath, MISSING } from './json-path.ts';
import type { TargetBody } from './target-body.ts';
import { constraintError, maxLength, targetLabel, TargetInputError, type TargetLocation } from './target-input-error.ts';

const MAX_INPUT_PATH_LENGTH = 256;

/**
 * `InputPath`: the target receives the selected part of the event as JSON (`$.detail` -> the
 * detail object, a string -> a quoted JSON string, as recorded). A path the event lacks yields
 * `null` (AWS's behaviour there is not recorded; see docs/transformers.md).
 */
export function compileInputPath(path: string, where: TargetLocation = {}): TargetBody {
  if (path.length > MAX_INPUT_PATH_LENGTH) throw constraintError(where, 'inputPath', maxLength(MAX_INPUT_PATH_LENGTH));
  const read = compileJsonPath(path);
  if (read === undefined) {
    // AWS's text for an unsupported path was not recorded; this message is ours.
    throw new TargetInputError(`InputPath for target ${targetLabel(where)} is not a valid JSON path: ${path}.`);
  }
  return (event) => {
    const value = read(event as unknown as JsonValue);
    return value === MISSING ? 'null' : JSON.stringify(value);
  };
}
