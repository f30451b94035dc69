/**
 * What a target ARN names, which picks the invoker:
 * - `arn:aws:appsync:R:A:apis/<id>` (or any target with `AppSyncParameters`): a GraphQL operation,
 * - `arn:aws:lambda:R:A:function:<name>`: the app's `functions/<name>.ts` handler,
 * - `arn:aws:events:R:A:event-bus/<name>`: another bus, here or on a linked Switchboard (by region),
 * - `arn:aws:events:R:A:api-destination/<name>[/<uuid>]`: an HTTP endpoint declared in the app,
 * - `arn:aws:states:R:A:stateMachine:<name>`: a workflow,
 * - `arn:switchboard:realtime:::subscription/<field>`: publish straight to a subscription field
 *   (Switchboard's own kind: no dummy mutation needed),
 * - `arn:switchboard:push:::notification/<name>`: a Web Push notification declared in the app's
 *   `push.notifications` (Switchboard's own kind).
 */
export type TargetRef =
  | { readonly kind: 'appsync' }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'bus'; readonly region: string; readonly account: string; readonly name: string }
  | { readonly kind: 'api-destination'; readonly name: string }
  | { readonly kind: 'workflow'; readonly name: string }
  | { readonly kind: 'publish'; readonly field: string }
  | { readonly kind: 'push'; readonly name: string }
  | { readonly kind: 'unknown' };

const LAMBDA = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/;
const BUS = /^arn:aws[a-z-]*:events:([^:]*):([^:]*):event-bus\/([.\-_A-Za-z0-9]+)$/;
const DESTINATION = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:api-destination\/([.\-_A-Za-z0-9]+)(?:\/.*)?$/;
const STATES = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:([^:]+)$/;
const APPSYNC = /^arn:aws[a-z-]*:appsync:[^:]*:[^:]*:apis\//;
const PUBLISH = /^arn:switchboard:realtime:[^:]*:[^:]*:subscription\/([_A-Za-z][_0-9A-Za-z]*)$/;
const PUSH = /^arn:switchboard:push:[^:]*:[^:]*:notification\/([.\-_A-Za-z0-9]+)$/;

export const publishTargetArn = (field: string): string => `arn:switchboard:realtime:::subscription/${field}`;
export const pushTargetArn = (notification: string): string => `arn:switchboard:push:::notification/${notification}`;

export function targetRef(target: { readonly arn: string; readonly graphqlOperation?: string }): TargetRef {
  if (target.graphqlOperation !== undefined || APPSYNC.test(target.arn)) return { kind: 'appsync' };
  let m = LAMBDA.exec(target.arn);
  if (m) return { kind: 'function', name: m[1] ?? '' };
  m = BUS.exec(target.arn);
  if (m) return { kind: 'bus', region: m[1] ?? '', account: m[2] ?? '', name: m[3] ?? '' };
  m = DESTINATION.exec(target.arn);
  if (m) return { kind: 'api-destination', name: m[1] ?? '' };
  m = STATES.exec(target.arn);
  if (m) return { kind: 'workflow', name: m[1] ?? '' };
  m = PUBLISH.exec(target.arn);
  if (m) return { kind: 'publish', field: m[1] ?? '' };
  m = PUSH.exec(target.arn);
  if (m) return { kind: 'push', name: m[1] ?? '' };
  return { kind: 'unknown' };
}
