/**
 * The EventBridge API over AWS JSON 1.1, transport-neutral: the `X-Amz-Target` value and the body
 * in, status and JSON body out. The caller (the HTTP route) has already verified the SigV4
 * signature and says who signed. Unknown targets are `UnknownOperationException`, bodies that are
 * not a JSON object `SerializationException`, as the AWS JSON protocol answers them.
 */
import { createTimeOrderedIdGenerator } from '../../core/index.ts';
import { DEFAULT_PUT_EVENTS_LIMITS } from '../envelope/index.ts';
import { DEFAULT_BUS_LIMITS, type ArnScope } from '../rules/index.ts';
import { answerForError, awsJsonError, type AwsJsonAnswer } from './aws-json-error.ts';
import type { BusApiDeps, OperationContext } from './context.ts';
import { isStructure } from './members.ts';
import { OPERATIONS, SWITCHBOARD_OPERATIONS } from './operations.ts';

export const AWS_EVENTS_TARGET_PREFIX = 'AWSEvents.';
/** Switchboard's own operations on the same endpoint (links between Switchboards). */
export const SWITCHBOARD_EVENTS_TARGET_PREFIX = 'SwitchboardEvents.';

export interface BusApiRequest {
  /** The `X-Amz-Target` header. */
  readonly target: string | undefined;
  readonly body: string;
  readonly caller: ArnScope;
}

export interface BusApi {
  handle(request: BusApiRequest): Promise<AwsJsonAnswer>;
}

export function createBusApi(deps: BusApiDeps): BusApi {
  const base = {
    store: deps.store,
    eventLog: deps.eventLog,
    clock: deps.clock,
    newId: deps.newId ?? createTimeOrderedIdGenerator(deps.clock),
    limits: deps.limits ?? DEFAULT_BUS_LIMITS,
    putEventsLimits: deps.putEventsLimits ?? DEFAULT_PUT_EVENTS_LIMITS,
    schedule: deps.schedule ?? (() => undefined),
    kickReplays: deps.kickReplays ?? (() => undefined),
  };
  return {
    async handle(request) {
      const target = request.target ?? '';
      const operation = target.startsWith(AWS_EVENTS_TARGET_PREFIX)
        ? OPERATIONS.get(target.slice(AWS_EVENTS_TARGET_PREFIX.length))
        : target.startsWith(SWITCHBOARD_EVENTS_TARGET_PREFIX)
          ? SWITCHBOARD_OPERATIONS.get(target.slice(SWITCHBOARD_EVENTS_TARGET_PREFIX.length))
          : undefined;
      if (operation === undefined) return awsJsonError(400, 'UnknownOperationException', `Unknown operation ${target === '' ? '(no X-Amz-Target)' : target}.`);
      let input: unknown;
      try {
        // The protocol sends `{}` for an empty input; tolerate an empty body the same way.
        input = request.body.trim() === '' ? {} : JSON.parse(request.body);
      } catch {
        return awsJsonError(400, 'SerializationException', 'The request body is not valid JSON.');
      }
      if (!isStructure(input)) return awsJsonError(400, 'SerializationException', 'The request body must be a JSON object.');
      const ctx: OperationContext = { ...base, caller: request.caller };
      try {
        return { status: 200, body: JSON.stringify(await operation(input, ctx)) };
      } catch (error) {
        return answerForError(error);
      }
    },
  };
}
