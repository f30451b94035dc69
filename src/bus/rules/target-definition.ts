/**
 * What PutTargets accepts: the model constraints of each `Target`, then its input setting
 * compiled once (`compileTargetInput`), so a template with an undefined placeholder or two input
 * settings is refused at PutTargets as AWS refuses it (`TargetInputError`, a ValidationException),
 * not at delivery. The target is kept as received, to be echoed by ListTargetsByRule.
 */
import { compileTargetInput, type InputTransformerConfig } from '../transform/index.ts';
import { BusRequestError, constraintError, maxLength, minLength, MUST_NOT_BE_NULL } from './bus-request-error.ts';
import { checkName } from './names.ts';

export interface TargetDefinition {
  readonly id: string;
  /** The `Target` object as JSON text. */
  readonly config: string;
}

/** AWS's model allows 1..100 targets per request (the 5-per-rule quota is checked by the store). */
const MAX_TARGETS_PER_REQUEST = 100;

const notAStructure = (): BusRequestError => new BusRequestError('SerializationException', 'Start of list found where not expected');

export function defineTargets(targets: unknown): TargetDefinition[] {
  if (targets === undefined || targets === null) throw constraintError('targets', targets, MUST_NOT_BE_NULL);
  if (!Array.isArray(targets)) throw new BusRequestError('SerializationException', 'Unexpected value for Targets: expected a list');
  if (targets.length < 1) throw constraintError('targets', targets, minLength(1));
  if (targets.length > MAX_TARGETS_PER_REQUEST) throw constraintError('targets', targets, maxLength(MAX_TARGETS_PER_REQUEST));
  return targets.map((raw: unknown, i) => defineTarget(raw, i + 1));
}

function defineTarget(raw: unknown, index: number): TargetDefinition {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw notAStructure();
  const target = raw as Record<string, unknown>;
  const at = (member: string): string => `targets.${index}.member.${member}`;
  const id = checkName(at('id'), stringMember(target, 'Id'));
  const arn = stringMember(target, 'Arn');
  if (arn === undefined) throw constraintError(at('arn'), arn, MUST_NOT_BE_NULL);
  if (arn.length < 1) throw constraintError(at('arn'), arn, minLength(1));
  if (arn.length > 1600) throw constraintError(at('arn'), arn, maxLength(1600));
  const input = stringMember(target, 'Input');
  const inputPath = stringMember(target, 'InputPath');
  const inputTransformer = transformerMember(target['InputTransformer']);
  compileTargetInput(
    {
      id,
      ...(input !== undefined ? { input } : {}),
      ...(inputPath !== undefined ? { inputPath } : {}),
      ...(inputTransformer !== undefined ? { inputTransformer } : {}),
    },
    index,
  );
  return { id, config: JSON.stringify(target) };
}

function stringMember(target: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = target[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BusRequestError('SerializationException', `Unexpected value for ${name}: expected a string`);
  return value;
}

function transformerMember(value: unknown): InputTransformerConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw notAStructure();
  const t = value as Record<string, unknown>;
  const template = stringMember(t, 'InputTemplate');
  // InputTemplate is required by the model; InputPathsMap is optional.
  if (template === undefined) throw constraintError('inputTransformer.inputTemplate', template, MUST_NOT_BE_NULL);
  const map = t['InputPathsMap'];
  if (map === undefined || map === null) return { inputTemplate: template };
  if (typeof map !== 'object' || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
    throw new BusRequestError('SerializationException', 'Unexpected value for InputPathsMap: expected a map of strings');
  }
  return { inputTemplate: template, inputPathsMap: map as Record<string, string> };
}
