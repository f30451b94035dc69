/**
 * CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine,
 * DeleteStateMachine. Definitions are validated by the interpreter's `validateDefinition` and
 * refused with AWS's `InvalidDefinition` text.
 */
import type { StoredStateMachine } from '../../storage/index.ts';
import { formatInvalidDefinition, validateDefinition } from '../asl/index.ts';
import { stateMachineArn } from '../engine/index.ts';
import type { SfnContext, SfnOperation } from './context.ts';
import { checkName, optionalString, pageSize, readToken, requiredString, writeToken } from './members.ts';
import { invalidArn, machineNotFound, SfnRequestError } from './sfn-error.ts';

const MACHINE_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:([^:]+)(?::[^:]+)?$/;

export function machineNameOf(arn: string): string {
  const name = MACHINE_ARN.exec(arn)?.[1];
  if (name === undefined) throw invalidArn(arn);
  return name;
}

export async function requireMachine(ctx: SfnContext, arn: string): Promise<StoredStateMachine> {
  const machine = await ctx.store.getStateMachine(machineNameOf(arn));
  if (machine === undefined) throw machineNotFound(arn);
  return machine;
}

/** Parses and validates a definition text; answers it unchanged. */
export function checkDefinition(text: string): string {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch {
    throw new SfnRequestError('InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The definition is not valid JSON'");
  }
  const diagnostics = validateDefinition(definition);
  if (diagnostics.length > 0) throw new SfnRequestError('InvalidDefinition', formatInvalidDefinition(diagnostics));
  return text;
}

const seconds = (ms: number): number => ms / 1000;

export const createStateMachine: SfnOperation = async (input, ctx) => {
  const name = checkName(requiredString(input, 'name'));
  const definition = checkDefinition(requiredString(input, 'definition'));
  const roleArn = requiredString(input, 'roleArn');
  const type = optionalString(input, 'type') ?? 'STANDARD';
  if (type !== 'STANDARD' && type !== 'EXPRESS') throw new SfnRequestError('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  const now = ctx.clock.now();
  const arn = stateMachineArn(ctx.scope(), name);
  const outcome = await ctx.store.createStateMachine({ name, definition, roleArn, type, createdAt: now, updatedAt: now, revision: 1 });
  if (outcome === 'exists') {
    const existing = await ctx.store.getStateMachine(name);
    // Same definition and role: idempotent, as AWS answers it.
    if (existing?.definition === definition && existing.roleArn === roleArn && existing.type === type) return { stateMachineArn: arn, creationDate: seconds(existing.createdAt) };
    throw new SfnRequestError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  }
  return { stateMachineArn: arn, creationDate: seconds(now) };
};

export const describeStateMachine: SfnOperation = async (input, ctx) => {
  const arn = requiredString(input, 'stateMachineArn');
  const m = await requireMachine(ctx, arn);
  return {
    stateMachineArn: stateMachineArn(ctx.scope(), m.name),
    name: m.name,
    status: 'ACTIVE',
    definition: m.definition,
    roleArn: m.roleArn,
    type: m.type,
    creationDate: seconds(m.createdAt),
    revisionId: String(m.revision),
  };
};

export const listStateMachines: SfnOperation = async (input, ctx) => {
  const limit = pageSize(input);
  const after = readToken(input);
  const machines = await ctx.store.listStateMachines({ ...(after !== undefined ? { after } : {}), limit: limit + 1 });
  const shown = machines.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    stateMachines: shown.map((m) => ({ stateMachineArn: stateMachineArn(ctx.scope(), m.name), name: m.name, type: m.type, creationDate: seconds(m.createdAt) })),
    ...(machines.length > limit && last !== undefined ? { nextToken: writeToken(last.name) } : {}),
  };
};

export const updateStateMachine: SfnOperation = async (input, ctx) => {
  const arn = requiredString(input, 'stateMachineArn');
  const machine = await requireMachine(ctx, arn);
  const definition = optionalString(input, 'definition');
  const roleArn = optionalString(input, 'roleArn');
  if (definition === undefined && roleArn === undefined) throw new SfnRequestError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified.');
  if (definition !== undefined) checkDefinition(definition);
  const now = ctx.clock.now();
  await ctx.store.updateStateMachine(machine.name, { ...(definition !== undefined ? { definition } : {}), ...(roleArn !== undefined ? { roleArn } : {}) }, now);
  return { updateDate: seconds(now), revisionId: String(machine.revision + 1) };
};

export const deleteStateMachine: SfnOperation = async (input, ctx) => {
  const arn = requiredString(input, 'stateMachineArn');
  // Deleting a machine that does not exist succeeds, as in AWS.
  await ctx.store.deleteStateMachine(machineNameOf(arn));
  return {};
};
