export { compileInputTransformer, type InputTransformerConfig } from './input-transformer.ts';
export { compileInputPath } from './input-path.ts';
export { compileConstantInput } from './constant-input.ts';
export { compileTargetInput, type TargetInputConfig } from './target-input.ts';
export type { TargetBody } from './target-body.ts';
export { PREDEFINED_VARIABLES, type TransformContext } from './predefined-variables.ts';
export { TargetInputError, type TargetLocation } from './target-input-error.ts';
