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
  };
}
