/**
 * A stored target (the PutTargets `Target` object, JSON text) read back for delivery. PutTargets
 * already validated it, so this only picks the members delivery uses.
 */
import type { InputTransformerConfig, TargetInputConfig } from '../transform/index.ts';

export interface TargetConfig {
  readonly id: string;
  readonly arn: string;
  readonly input: TargetInputConfig;
  readonly retryPolicy?: { readonly maximumRetryAttempts?: number; readonly maximumEventAgeInSeconds?: number };
  /** `AppSyncParameters.GraphQLOperation`. */
  readonly graphqlOperation?: string;
  /** `HttpParameters` (API destination targets). */
  readonly httpParameters?: {
    readonly pathParameterValues?: readonly string[];
    readonly headerParameters?: Readonly<Record<string, string>>;
    readonly queryStringParameters?: Readonly<Record<string, string>>;
  };
}

type Json = Readonly<Record<string, unknown>>;

const str = (o: Json | undefined, key: string): string | undefined => (typeof o?.[key] === 'string' ? o[key] : undefined);
const num = (o: Json | undefined, key: string): number | undefined => (typeof o?.[key] === 'number' ? o[key] : undefined);
const obj = (o: Json | undefined, key: string): Json | undefined => {
  const v = o?.[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
};

export function parseTargetConfig(text: string): TargetConfig {
  const raw = JSON.parse(text) as Json;
  const id = str(raw, 'Id') ?? '';
  const input = str(raw, 'Input');
  const inputPath = str(raw, 'InputPath');
  const transformer = obj(raw, 'InputTransformer');
  const template = str(transformer, 'InputTemplate');
  const paths = obj(transformer, 'InputPathsMap') as Readonly<Record<string, string>> | undefined;
  const inputTransformer: InputTransformerConfig | undefined =
    template === undefined ? undefined : { inputTemplate: template, ...(paths !== undefined ? { inputPathsMap: paths } : {}) };
  const retry = obj(raw, 'RetryPolicy');
  const attempts = num(retry, 'MaximumRetryAttempts');
  const age = num(retry, 'MaximumEventAgeInSeconds');
  const operation = str(obj(raw, 'AppSyncParameters'), 'GraphQLOperation');
  const http = obj(raw, 'HttpParameters');
  const strings = (o: Json | undefined): Record<string, string> | undefined =>
    o === undefined ? undefined : Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const pathValues = Array.isArray(http?.['PathParameterValues']) ? (http['PathParameterValues'] as unknown[]).filter((v): v is string => typeof v === 'string') : undefined;
  const headerParameters = strings(obj(http, 'HeaderParameters'));
  const queryStringParameters = strings(obj(http, 'QueryStringParameters'));
  return {
    id,
    arn: str(raw, 'Arn') ?? '',
    input: {
      id,
      ...(input !== undefined ? { input } : {}),
      ...(inputPath !== undefined ? { inputPath } : {}),
      ...(inputTransformer !== undefined ? { inputTransformer } : {}),
    },
    ...(retry !== undefined
      ? { retryPolicy: { ...(attempts !== undefined ? { maximumRetryAttempts: attempts } : {}), ...(age !== undefined ? { maximumEventAgeInSeconds: age } : {}) } }
      : {}),
    ...(operation !== undefined ? { graphqlOperation: operation } : {}),
    ...(http !== undefined
      ? {
          httpParameters: {
            ...(pathValues !== undefined ? { pathParameterValues: pathValues } : {}),
            ...(headerParameters !== undefined ? { headerParameters } : {}),
            ...(queryStringParameters !== undefined ? { queryStringParameters } : {}),
          },
        }
      : {}),
  };
}
