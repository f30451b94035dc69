/**
 * Task resources → what they do. The service integrations of Step Functions that Switchboard has
 * locally, each with AWS's input and output shapes:
 *
 * - `arn:aws:states:::events:putEvents` `{Entries: [{Source, DetailType, Detail, EventBusName}]}`
 *   → PutEvents on this server's bus (`{Entries: [{EventId}], FailedEntryCount}`); a failed entry
 *   fails the task with `EventBridge.FailedEntry` (as AWS does).
 * - `arn:aws:states:::lambda:invoke` `{FunctionName, Payload}` → the app's `functions/<name>.ts`
 *   (`{ExecutedVersion, Payload, StatusCode}`); a function ARN as the resource → its result.
 * - `arn:aws:states:::http:invoke` `{ApiEndpoint, Method, Headers, QueryParameters, RequestBody}`.
 * - `arn:aws:states:::states:startExecution` (`.sync`, `.sync:2`) → a child execution here.
 * - `arn:aws:states:::dynamodb:putItem|getItem|updateItem|deleteItem` → the app's tables.
 * - Switchboard's own: `arn:switchboard:states:::realtime:publish` `{Subscription, Payload}` →
 *   the payload published to the subscribers of `Subscription.<Subscription>` (`{Delivered}`),
 *   with no mutation in the schema; `arn:switchboard:states:::realtime:invalidate`
 *   `{Subscription, Payload}` ends the subscriptions whose invalidation filter matches
 *   (`{Invalidated}`). A field the schema lacks fails with `Switchboard.SubscriptionNotFound`.
 * The `.waitForTaskToken` suffix calls the same integration and then waits for `SendTask*`.
 * Failures throw `TaskFailure(error, cause)`, the error names AWS uses.
 */
import { merged } from '../../core/index.ts';
import { TaskFailure, type Json, type JsonObject } from '../asl/index.ts';

export interface IntegrationPorts {
  /** PutEvents on this server's bus API; answers AWS's output. */
  putEvents(entries: readonly Json[]): Promise<{ readonly Entries: readonly JsonObject[]; readonly FailedEntryCount: number }>;
  /** Runs `functions/<name>.ts` of the app; undefined when the app has no such function. */
  invokeFunction(name: string, payload: Json): Promise<Json>;
  /**
   * Starts a child execution. `request`: answers its ARN and start date; `sync` and `sync:2`:
   * resolves when it ends, with its DescribeExecution (`Input` and `Output` as JSON texts with
   * `sync`, as JSON values with `sync:2`, as AWS answers them).
   */
  startExecution(input: JsonObject, mode: 'request' | 'sync' | 'sync:2'): Promise<Json>;
  /** DynamoDB API operations on the app's tables (`putItem`, `getItem`, `updateItem`, `deleteItem`). */
  table?(operation: 'putItem' | 'getItem' | 'updateItem' | 'deleteItem', input: JsonObject): Promise<Json>;
  /** Publishes to / invalidates a subscription field's subscribers; `missing`: no such field. */
  realtime?(action: 'publish' | 'invalidate', subscription: string, payload: Json): Promise<number | 'missing'>;
  readonly fetch?: typeof fetch;
}

export type Integration = (input: Json) => Promise<Json>;

const SUFFIXES = ['.waitForTaskToken', '.sync:2', '.sync'] as const;
export type ResourceMode = 'request' | 'waitForTaskToken' | 'sync' | 'sync:2';

export function parseResource(resource: string): { readonly base: string; readonly mode: ResourceMode } {
  for (const suffix of SUFFIXES) {
    if (resource.endsWith(suffix)) return { base: resource.slice(0, -suffix.length), mode: suffix.slice(1) as ResourceMode };
  }
  return { base: resource, mode: 'request' };
}

const asObject = (value: Json, what: string): JsonObject => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TaskFailure('States.Runtime', `${what} must be a JSON object`);
  return value;
};

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/;

function functionName(value: Json): string {
  if (typeof value !== 'string') throw new TaskFailure('States.Runtime', 'FunctionName must be a string');
  return FUNCTION_ARN.exec(value)?.[1] ?? value;
}

async function httpInvoke(ports: IntegrationPorts, input: JsonObject): Promise<Json> {
  const endpoint = input['ApiEndpoint'];
  const method = input['Method'];
  if (typeof endpoint !== 'string' || typeof method !== 'string') throw new TaskFailure('States.Runtime', 'ApiEndpoint and Method are required');
  const url = new URL(endpoint);
  const query = input['QueryParameters'];
  if (query !== undefined && query !== null && typeof query === 'object' && !Array.isArray(query)) {
    for (const [k, v] of Object.entries(query)) url.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const headers: Record<string, string> = {};
  const given = input['Headers'];
  if (given !== undefined && given !== null && typeof given === 'object' && !Array.isArray(given)) {
    for (const [k, v] of Object.entries(given)) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const body = input['RequestBody'];
  if (body !== undefined && headers['content-type'] === undefined && headers['Content-Type'] === undefined) headers['content-type'] = 'application/json';
  const res = await (ports.fetch ?? fetch)(url, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}), signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let responseBody: Json = text;
  try {
    responseBody = JSON.parse(text) as Json;
  } catch {
    // Not JSON: kept as text, as AWS does.
  }
  const responseHeaders: JsonObject = {};
  res.headers.forEach((v, k) => (responseHeaders[k] = [v]));
  const output: JsonObject = { ResponseBody: responseBody, StatusCode: res.status, StatusText: res.statusText, Headers: responseHeaders };
  if (res.status >= 400) throw new TaskFailure(`States.Http.StatusCode.${res.status}`, JSON.stringify(output));
  return output;
}

/** The integration for a resource, or undefined when Switchboard has none. */
export function integrationFor(resource: string, ports: IntegrationPorts): Integration | undefined {
  const { base, mode } = parseResource(resource);
  const fn = FUNCTION_ARN.exec(base);
  if (fn?.[1] !== undefined) {
    const name = fn[1];
    return (input) => ports.invokeFunction(name, input);
  }
  switch (base) {
    case 'arn:aws:states:::events:putEvents':
      return async (input) => {
        const entries = asObject(input, 'Parameters')['Entries'];
        if (!Array.isArray(entries)) throw new TaskFailure('States.Runtime', 'Entries must be a list');
        // Step Functions takes `Detail` as a JSON object (or text); the bus API wants text.
        const out = await ports.putEvents(entries.map((e) => (e !== null && typeof e === 'object' && !Array.isArray(e) && typeof e['Detail'] === 'object' ? merged(e, { Detail: JSON.stringify(e['Detail']) }) : e)));
        if (out.FailedEntryCount > 0) throw new TaskFailure('EventBridge.FailedEntry', JSON.stringify(out));
        return out as unknown as Json;
      };
    case 'arn:aws:states:::lambda:invoke':
      return async (input) => {
        const params = asObject(input, 'Parameters');
        const payload = await ports.invokeFunction(functionName(params['FunctionName'] ?? null), params['Payload'] ?? {});
        return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      };
    case 'arn:aws:states:::http:invoke':
      return (input) => httpInvoke(ports, asObject(input, 'Parameters'));
    case 'arn:aws:states:::states:startExecution':
      // `.waitForTaskToken`: the child is started, and the token waited for.
      return (input) => ports.startExecution(asObject(input, 'Parameters'), mode === 'waitForTaskToken' ? 'request' : mode);
    case 'arn:aws:states:::dynamodb:putItem':
    case 'arn:aws:states:::dynamodb:getItem':
    case 'arn:aws:states:::dynamodb:updateItem':
    case 'arn:aws:states:::dynamodb:deleteItem': {
      const table = ports.table;
      if (table === undefined) return undefined;
      const operation = base.slice('arn:aws:states:::dynamodb:'.length) as 'putItem' | 'getItem' | 'updateItem' | 'deleteItem';
      return (input) => table(operation, asObject(input, 'Parameters'));
    }
    case 'arn:switchboard:states:::realtime:publish':
    case 'arn:switchboard:states:::realtime:invalidate': {
      const realtime = ports.realtime;
      if (realtime === undefined) return undefined;
      const action = base.endsWith(':publish') ? 'publish' : 'invalidate';
      return async (input) => {
        const params = asObject(input, 'Parameters');
        const field = params['Subscription'];
        if (typeof field !== 'string') throw new TaskFailure('States.Runtime', 'Subscription must be the name of a field of type Subscription');
        const count = await realtime(action, field, params['Payload'] ?? null);
        if (count === 'missing') throw new TaskFailure('Switchboard.SubscriptionNotFound', `Subscription.${field} is not in the schema`);
        return action === 'publish' ? { Delivered: count } : { Invalidated: count };
      };
    }
    default:
      return undefined;
  }
}
