/**
 * `POST /console/api/call {"service": "events"|"states", "target": "<X-Amz-Target>", "input": {...}}`:
 * the console reuses the bus and Step Functions operations without SigV4. After the console's own
 * auth check, the call goes to the same transport-neutral handlers `POST /` uses, and their answer
 * (JSON, or `{__type, message}` with its status) is passed through. Only the operations the console
 * needs are allowed: reads, TestEventPattern, and dead-letter redrive and delete.
 */
import type { Logger } from '../../core/index.ts';
import type { BusApi } from '../../bus/index.ts';
import type { SfnApi } from '../../workflows/index.ts';
import type { HttpResponse } from '../http-server.ts';
import { failure, json } from './responses.ts';

export type ConsoleService = 'events' | 'states';

export const CONSOLE_OPERATIONS: Readonly<Record<ConsoleService, ReadonlySet<string>>> = {
  events: new Set([
    'AWSEvents.ListEventBuses',
    'AWSEvents.DescribeEventBus',
    'AWSEvents.ListRules',
    'AWSEvents.DescribeRule',
    'AWSEvents.ListTargetsByRule',
    'AWSEvents.TestEventPattern',
    'SwitchboardEvents.GetEventTrace',
    'SwitchboardEvents.ListDeadLetters',
    'SwitchboardEvents.GetDeadLetter',
    'SwitchboardEvents.RedriveDeadLetters',
    'SwitchboardEvents.DeleteDeadLetters',
  ]),
  states: new Set([
    'AWSStepFunctions.ListStateMachines',
    'AWSStepFunctions.DescribeStateMachine',
    'AWSStepFunctions.ListExecutions',
    'AWSStepFunctions.DescribeExecution',
    'AWSStepFunctions.GetExecutionHistory',
  ]),
};

export interface OperationCallDeps {
  readonly bus: BusApi;
  /** Absent when the server runs without workflows. */
  readonly workflows: SfnApi | undefined;
  /** Who the bus operations act for (ARNs carry the account and region). */
  readonly caller: () => { readonly accountId: string; readonly region: string };
  readonly logger: Logger;
}

interface CallRequest {
  readonly service: ConsoleService;
  readonly target: string;
  readonly input: object;
}

function parseCall(body: string | null): CallRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return 'The body must be JSON: {"service": "events"|"states", "target": "AWSEvents.ListRules", "input": {...}}';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The body must be a JSON object.';
  const { service, target, input } = value as { service?: unknown; target?: unknown; input?: unknown };
  if (service !== 'events' && service !== 'states') return 'service must be "events" or "states".';
  if (typeof target !== 'string') return 'target must be an operation name such as "AWSEvents.ListRules".';
  const given = input ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) return 'input must be a JSON object.';
  return { service, target, input: given };
}

export async function callOperation(deps: OperationCallDeps, body: string | null): Promise<HttpResponse> {
  const call = parseCall(body);
  if (typeof call === 'string') return failure(400, call);
  if (!CONSOLE_OPERATIONS[call.service].has(call.target)) {
    return json(403, { __type: 'AccessDeniedException', message: `The console does not call ${call.target} (allowed: ${[...CONSOLE_OPERATIONS[call.service]].join(', ')}).` });
  }
  const text = JSON.stringify(call.input);
  let answer: { readonly status: number; readonly body: string; readonly internalError?: unknown };
  if (call.service === 'events') answer = await deps.bus.handle({ target: call.target, body: text, caller: deps.caller() });
  else if (deps.workflows !== undefined) answer = await deps.workflows.handle({ target: call.target, body: text });
  else return json(404, { __type: 'ResourceNotFoundException', message: 'Workflows are not available in this server.' });
  if (answer.internalError !== undefined) deps.logger.log('error', 'console operation failed', { target: call.target, error: answer.internalError });
  return { status: answer.status, headers: { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-store' }, body: answer.body };
}
