/**
 * The Step Functions API over AWS JSON 1.0, transport-neutral: the `X-Amz-Target` value
 * (`AWSStepFunctions.<Op>`) and the body in, status and JSON body out. The HTTP route has already
 * verified the SigV4 signature (service `states`).
 */
import type { SfnContext, SfnOperation } from './context.ts';
import {
  describeExecution,
  getExecutionHistory,
  listExecutions,
  redriveExecution,
  sendTaskFailure,
  sendTaskHeartbeat,
  sendTaskSuccess,
  startExecution,
  startSyncExecution,
  stopExecution,
} from './execution-operations.ts';
import { createStateMachine, deleteStateMachine, describeStateMachine, listStateMachines, updateStateMachine } from './machine-operations.ts';
import { SfnRequestError } from './sfn-error.ts';

export const SFN_TARGET_PREFIX = 'AWSStepFunctions.';

const OPERATIONS: ReadonlyMap<string, SfnOperation> = new Map<string, SfnOperation>([
  ['CreateStateMachine', createStateMachine],
  ['DescribeStateMachine', describeStateMachine],
  ['ListStateMachines', listStateMachines],
  ['UpdateStateMachine', updateStateMachine],
  ['DeleteStateMachine', deleteStateMachine],
  ['StartExecution', startExecution],
  ['StartSyncExecution', startSyncExecution],
  ['DescribeExecution', describeExecution],
  ['ListExecutions', listExecutions],
  ['StopExecution', stopExecution],
  ['GetExecutionHistory', getExecutionHistory],
  ['RedriveExecution', redriveExecution],
  ['SendTaskSuccess', sendTaskSuccess],
  ['SendTaskFailure', sendTaskFailure],
  ['SendTaskHeartbeat', sendTaskHeartbeat],
]);

export interface SfnAnswer {
  readonly status: number;
  readonly body: string;
  readonly errorType?: string;
  readonly internalError?: unknown;
}

const error = (status: number, type: string, message: string): SfnAnswer => ({ status, body: JSON.stringify({ __type: type, message }), errorType: type });

export interface SfnApi {
  handle(request: { readonly target: string | undefined; readonly body: string }): Promise<SfnAnswer>;
}

export function createSfnApi(ctx: SfnContext): SfnApi {
  return {
    async handle({ target = '', body }) {
      const operation = target.startsWith(SFN_TARGET_PREFIX) ? OPERATIONS.get(target.slice(SFN_TARGET_PREFIX.length)) : undefined;
      if (operation === undefined) return error(400, 'UnknownOperationException', `Unknown operation ${target}.`);
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        return error(400, 'SerializationException', 'The request body is not valid JSON.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) return error(400, 'SerializationException', 'The request body must be a JSON object.');
      try {
        return { status: 200, body: JSON.stringify(await operation(input as Record<string, unknown>, ctx)) };
      } catch (e) {
        if (e instanceof SfnRequestError) return error(400, e.type, e.message);
        return { ...error(500, 'InternalFailure', 'An internal error occurred.'), internalError: e };
      }
    },
  };
}
