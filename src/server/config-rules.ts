/**
 * Buses declared in `defineApp({ buses })` are created (an existing bus is kept), then rules
 * declared in `defineApp({ rules })`, written as in the seeds' CDK code
 * (`{ eventPattern, targets: [{ id, appSyncParameters: { graphQlOperation }, inputTransformer }] }`),
 * are put into the bus store at start and on each reload through the same operations as the
 * EventBridge API, so they are validated exactly like `PutRule`/`PutTargets` requests.
 * Rules removed from the config are not deleted from the store (they may have been created
 * through the API).
 */
import { SwitchboardError } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import type { BusApi } from '../bus/index.ts';

type Json = Record<string, unknown>;

const LOCAL_APPSYNC_ARN = 'arn:aws:appsync:us-east-1:000000000000:apis/switchboard';

/** CDK's `detailType` is EventBridge's `detail-type`; everything else is already EventBridge's spelling. */
function toAwsPattern(pattern: unknown): unknown {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return pattern;
  return Object.fromEntries(Object.entries(pattern as Json).map(([k, v]) => [k === 'detailType' ? 'detail-type' : k, v]));
}

const VERBATIM_MAPS: Readonly<Record<string, string>> = { inputPathsMap: 'InputPathsMap', headerParameters: 'HeaderParameters', queryStringParameters: 'QueryStringParameters' };

/** camelCase (CDK / CloudFormation props) to the API's PascalCase, one level at a time. */
function pascal(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    // Maps whose keys are the user's own names (template variables, header names) keep them.
    const verbatim = VERBATIM_MAPS[k];
    if (verbatim !== undefined) {
      out[verbatim] = v;
      continue;
    }
    const key = k === 'graphQlOperation' ? 'GraphQLOperation' : k.charAt(0).toUpperCase() + k.slice(1);
    out[key] = pascal(v);
  }
  return out;
}

function toAwsTarget(target: unknown): Json {
  const t = pascal(target) as Json;
  if (t['Arn'] === undefined && t['AppSyncParameters'] !== undefined) t['Arn'] = LOCAL_APPSYNC_ARN;
  if (typeof t['InputTemplate'] === 'object') t['InputTemplate'] = JSON.stringify(t['InputTemplate']);
  const transformer = t['InputTransformer'] as Json | undefined;
  if (transformer !== undefined && typeof transformer['InputTemplate'] !== 'string') transformer['InputTemplate'] = JSON.stringify(transformer['InputTemplate']);
  return t;
}

export async function syncConfigRules(app: AppDefinition, api: BusApi): Promise<void> {
  const caller = { accountId: '000000000000', region: 'us-east-1' };
  const call = async (where: string, target: string, body: Json, tolerate?: string): Promise<void> => {
    const answer = await api.handle({ target: `AWSEvents.${target}`, body: JSON.stringify(body), caller });
    if (answer.errorType !== undefined && answer.errorType !== tolerate) {
      const message = (JSON.parse(answer.body) as { message?: string }).message ?? answer.errorType;
      throw new SwitchboardError('SB_CONFIG_INVALID', `${app.configFile}: ${where}: ${answer.errorType}: ${message}`);
    }
    const failed = (JSON.parse(answer.body) as { FailedEntryCount?: number }).FailedEntryCount ?? 0;
    if (failed > 0) throw new SwitchboardError('SB_CONFIG_INVALID', `${app.configFile}: ${where}: ${answer.body}`);
  };
  for (const [name, raw] of Object.entries(app.buses)) {
    const bus = (raw ?? {}) as Json;
    const description = typeof bus['description'] === 'string' ? { Description: bus['description'] } : {};
    await call(`buses.${name}`, 'CreateEventBus', { Name: name, ...description }, 'ResourceAlreadyExistsException');
  }
  for (const [name, raw] of Object.entries(app.rules)) {
    const rule = raw as Json;
    const bus = typeof rule['eventBusName'] === 'string' ? (rule['eventBusName'] as string) : 'default';
    const busArg = bus === 'default' ? {} : { EventBusName: bus };
    await call(`rules.${name}`, 'PutRule', {
      Name: name,
      ...busArg,
      ...(rule['eventPattern'] !== undefined ? { EventPattern: JSON.stringify(toAwsPattern(rule['eventPattern'])) } : {}),
      // CDK's `schedule: Schedule.expression('rate(5 minutes)')` is CloudFormation's ScheduleExpression.
      ...(typeof (rule['scheduleExpression'] ?? rule['schedule']) === 'string' ? { ScheduleExpression: rule['scheduleExpression'] ?? rule['schedule'] } : {}),
      State: rule['state'] === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ...(typeof rule['description'] === 'string' ? { Description: rule['description'] } : {}),
    });
    const targets = Array.isArray(rule['targets']) ? (rule['targets'] as unknown[]) : [];
    if (targets.length > 0) await call(`rules.${name}.targets`, 'PutTargets', { Rule: name, ...busArg, Targets: targets.map(toAwsTarget) });
  }
}
