import { compileConstantInput } from './constant-input.ts';
import { compileInputPath } from './input-path.ts';
import { compileInputTransformer, type InputTransformerConfig } from './input-transformer.ts';
import type { TargetBody } from './target-body.ts';
import { TargetInputError } from './target-input-error.ts';

/** The input members of a PutTargets `Target` (camelCase, as the config and the bus use them). */
export interface TargetInputConfig {
  readonly id: string;
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: InputTransformerConfig;
}

/** Without Input, InputPath or InputTransformer a target receives the whole event. */
const wholeEvent: TargetBody = (event) => JSON.stringify(event);

/**
 * Picks and compiles the one input setting a target may have. `targetIndex` is the 1-based
 * position in the PutTargets request, used only in constraint messages.
 */
export function compileTargetInput(target: TargetInputConfig, targetIndex = 1): TargetBody {
  const where = { targetId: target.id, targetIndex };
  const given = [target.input, target.inputPath, target.inputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) {
    throw new TargetInputError(
      `Only one of Input, InputPath, or InputTransformer must be provided for target ${target.id}.`,
    );
  }
  if (target.input !== undefined) return compileConstantInput(target.input, where);
  if (target.inputPath !== undefined) return compileInputPath(target.inputPath, where);
  if (target.inputTransformer !== undefined) return compileInputTransformer(target.inputTransformer, where);
  return wholeEvent;
}
