/** The Step Functions API (AWS JSON 1.0), transport-neutral. */
export { createSfnApi, SFN_TARGET_PREFIX, type SfnApi, type SfnAnswer } from './sfn-api.ts';
export type { SfnContext } from './context.ts';
export { checkDefinition, machineNameOf } from './machine-operations.ts';
export { SfnRequestError } from './sfn-error.ts';
