/**
 * StartExecution, StartSyncExecution, DescribeExecution, ListExecutions, StopExecution,
 * GetExecutionHistory, SendTaskSuccess/Failure/Heartbeat.
 */
import type { ExecutionStatusValue, StoredExecution } from '../../storage/index.ts';
import type { Json } from '../asl/index.ts';
import { executionArn, isExpressExecutionArn, stateMachineArn } from '../engine/index.ts';
import type { SfnContext, SfnOperation } from './context.ts';
import { toWireEvent } from './history-event.ts';
import { machineNameOf, requireMachine } from './machine-operations.ts';
import { checkName, optionalBoolean, optionalString, pageSize, readToken, requiredString, writeToken, type Input } from './members.ts';
import { executionNotFound, invalidArn, SfnRequestError } from './sfn-error.ts';

/** A Standard execution (`execution:<machine>:<name>`) or an Express one (`express:<machine>:<name>:<id>`). */
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:(?:execution:[^:]+:[^:]+|express:[^:]+:[^:]+:[^:]+)$/;
const STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);
const MAX_INPUT_BYTES = 256 * 1024;
const seconds = (ms: number): number => ms / 1000;
const typeNotSupported = (): SfnRequestError => new SfnRequestError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');

async function requireExecution(ctx: SfnContext, arn: string): Promise<StoredExecution> {
  if (!EXECUTION_ARN.test(arn)) throw invalidArn(arn);
  // Express executions are in the engine's memory, not in the store.
  const execution = await ctx.engine.getExecution(arn);
  if (execution === undefined) throw executionNotFound(arn);
  return execution;
}

/** The execution input, text and value: parsed once here to validate it, and not again by the engine. */
function executionInput(input: Input): { readonly input: string; readonly value: Json } {
  const text = optionalString(input, 'input') ?? '{}';
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw new SfnRequestError('ValidationException', `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_BYTES}`);
  try {
    return { input: text, value: JSON.parse(text) as Json };
  } catch {
    throw new SfnRequestError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'Unexpected character'`);
  }
}

/** What ListExecutions shows of an execution; DescribeExecution adds to it. */
function summary(ctx: SfnContext, e: StoredExecution) {
  return {
    executionArn: e.arn,
    stateMachineArn: stateMachineArn(ctx.scope(), e.machine),
    name: e.name,
    status: e.status,
    startDate: seconds(e.startedAt),
    ...(e.stoppedAt !== undefined ? { stopDate: seconds(e.stoppedAt) } : {}),
  };
}

function describe(ctx: SfnContext, e: StoredExecution) {
  return {
    ...summary(ctx, e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined && e.error !== null ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    redriveCount: e.redriveCount,
  };
}

async function start(input: Input, ctx: SfnContext) {
  const machine = await requireMachine(ctx, requiredString(input, 'stateMachineArn'));
  const name = optionalString(input, 'name');
  if (name !== undefined) checkName(name);
  const started = await ctx.engine.startExecution(machine, { ...(name !== undefined ? { name } : {}), ...executionInput(input) });
  if (started.outcome === 'exists') throw new SfnRequestError('ExecutionAlreadyExists', `Execution Already Exists: '${started.arn}'`);
  return started;
}

export const startExecution: SfnOperation = async (input, ctx) => {
  const started = await start(input, ctx);
  return { executionArn: started.arn, startDate: seconds(started.startedAt) };
};

export const startSyncExecution: SfnOperation = async (input, ctx) => {
  const machine = await requireMachine(ctx, requiredString(input, 'stateMachineArn'));
  if (machine.type !== 'EXPRESS') throw typeNotSupported();
  const name = optionalString(input, 'name');
  if (name !== undefined) checkName(name);
  const done = await ctx.engine.startSyncExecution(machine, { ...(name !== undefined ? { name } : {}), ...executionInput(input) });
  const { redriveCount: _r, ...rest } = describe(ctx, done);
  void _r;
  return { ...rest, billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, (done.stoppedAt ?? done.startedAt) - done.startedAt) } };
};

export const describeExecution: SfnOperation = async (input, ctx) => describe(ctx, await requireExecution(ctx, requiredString(input, 'executionArn')));

export const listExecutions: SfnOperation = async (input, ctx) => {
  const machine = await requireMachine(ctx, requiredString(input, 'stateMachineArn'));
  // As AWS: Express executions are not listed (they live in memory only here).
  if (machine.type === 'EXPRESS') throw typeNotSupported();
  const status = optionalString(input, 'statusFilter');
  if (status !== undefined && !STATUSES.has(status)) throw new SfnRequestError('ValidationException', `1 validation error detected: Value '${status}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`);
  const limit = pageSize(input);
  const after = readToken(input);
  const rows = await ctx.store.listExecutions({ machine: machine.name, ...(status !== undefined ? { status: status as ExecutionStatusValue } : {}), ...(after !== undefined ? { after } : {}), limit: limit + 1 });
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    executions: shown.map((e) => summary(ctx, e)),
    ...(rows.length > limit && last !== undefined ? { nextToken: writeToken(last.arn) } : {}),
  };
};

export const stopExecution: SfnOperation = async (input, ctx) => {
  const arn = requiredString(input, 'executionArn');
  const execution = await requireExecution(ctx, arn);
  if (execution.status === 'RUNNING') {
    const error = optionalString(input, 'error');
    const cause = optionalString(input, 'cause');
    await ctx.engine.stopExecution(arn, error, cause);
  }
  const after = await ctx.engine.getExecution(arn);
  return { stopDate: seconds(after?.stoppedAt ?? ctx.clock.now()) };
};

export const getExecutionHistory: SfnOperation = async (input, ctx) => {
  const arn = requiredString(input, 'executionArn');
  await requireExecution(ctx, arn);
  // As AWS, unless the engine keeps Express histories: they are not kept.
  if (isExpressExecutionArn(arn) && !ctx.engine.expressHistory) throw typeNotSupported();
  const reverse = optionalBoolean(input, 'reverseOrder') ?? false;
  const includeData = optionalBoolean(input, 'includeExecutionData') ?? true;
  const limit = pageSize(input);
  const token = readToken(input);
  const events = await ctx.engine.history(arn, { ...(token !== undefined ? { after: Number(token) } : {}), limit: limit + 1, reverse });
  const shown = events.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    events: shown.map((e) => toWireEvent(e, includeData)),
    ...(events.length > limit && last !== undefined ? { nextToken: writeToken(String(last.id)) } : {}),
  };
};

export const redriveExecution: SfnOperation = async (input, ctx) => {
  const arn = requiredString(input, 'executionArn');
  const execution = await requireExecution(ctx, arn);
  if (!(await ctx.engine.redriveExecution(arn))) {
    throw new SfnRequestError('ExecutionNotRedrivable', `Execution with status ${execution.status} cannot be redriven: '${arn}'`);
  }
  return { redriveDate: ctx.clock.now() / 1000 };
};

/** The execution ARN a machine name and execution name make (used by the bus target). */
export const executionArnOf = (ctx: SfnContext, machineArn: string, name: string): string => executionArn(ctx.scope(), machineNameOf(machineArn), name);

function token(input: Input): string {
  const value = requiredString(input, 'taskToken');
  if (value.length < 1 || value.length > 2048) throw new SfnRequestError('InvalidToken', `Invalid Token: '${value}'`);
  return value;
}

const taskGone = (): SfnRequestError => new SfnRequestError('TaskDoesNotExist', 'Task Does Not Exist');

export const sendTaskSuccess: SfnOperation = async (input, ctx) => {
  const taskToken = token(input);
  const text = requiredString(input, 'output');
  let output: unknown;
  try {
    output = JSON.parse(text);
  } catch {
    throw new SfnRequestError('InvalidOutput', `Invalid Output: 'Unexpected character'`);
  }
  if (!(await ctx.engine.sendTaskResult(taskToken, { output: output as never }))) throw taskGone();
  return {};
};

export const sendTaskFailure: SfnOperation = async (input, ctx) => {
  const taskToken = token(input);
  const error = optionalString(input, 'error');
  const cause = optionalString(input, 'cause');
  if (!(await ctx.engine.sendTaskResult(taskToken, { error: error ?? null, ...(cause !== undefined ? { cause } : {}) }))) throw taskGone();
  return {};
};

export const sendTaskHeartbeat: SfnOperation = async (input, ctx) => {
  if (!(await ctx.engine.sendTaskResult(token(input), 'heartbeat'))) throw taskGone();
  return {};
};
