/**
 * The interpreter's two entry points. Both are functions of their arguments: they take an
 * execution state (or an input), one event and the injected environment, and return the next
 * state, the effects the driver must carry out (invoke a task, start or cancel a timer, report the
 * end of the execution) and the history events of the transition. Neither touches the clock, the
 * network or storage; a durable engine persists `{state, events}` and performs `effects`.
 *
 * They are async only because the `jsonata` package evaluates asynchronously.
 */
import { merged } from '../../core/index.ts';
import { abortFrame } from './abort.ts';
import { STATES_ERRORS } from './errors.ts';
import {
  EXECUTION_STATE_VERSION,
  type Activity,
  type ExecutionEvent,
  type ExecutionState,
  type Frame,
  type InterpreterEnv,
  type Phase,
  type StepResult,
} from './execution-state.ts';
import type { Json, JsonObject } from './json.ts';
import type { Machine } from './machine.ts';
import { isoTime, Run } from './run.ts';
import { copyState } from './state-copy.ts';

export interface StartOptions {
  readonly executionArn?: string;
  readonly name?: string;
  readonly stateMachineArn?: string;
  readonly stateMachineName?: string;
  readonly roleArn?: string;
}

/** How a step runs; the defaults are what a durable engine needs. */
export interface StepOptions {
  /**
   * false: build no history events (`events` is empty; ids are still counted). For a driver that
   * keeps no history, such as Express executions without `expressHistory`.
   */
  readonly history?: boolean;
}

const DEFAULT_MACHINE_NAME = 'StateMachine';
const ACCOUNT_PREFIX = 'arn:aws:states:us-east-1:000000000000';

export async function startExecution(machine: Machine, input: Json, options: StartOptions, env: InterpreterEnv, stepOptions: StepOptions = {}): Promise<StepResult> {
  const name = options.name ?? env.uuid();
  const stateMachineName = options.stateMachineName ?? DEFAULT_MACHINE_NAME;
  const stateMachineArn = options.stateMachineArn ?? `${ACCOUNT_PREFIX}:stateMachine:${stateMachineName}`;
  const state: ExecutionState = {
    version: EXECUTION_STATE_VERSION,
    status: 'RUNNING',
    execution: {
      id: options.executionArn ?? `${ACCOUNT_PREFIX}:execution:${stateMachineName}:${name}`,
      name,
      roleArn: options.roleArn ?? 'arn:aws:iam::000000000000:role/switchboard',
      startTime: isoTime(env.now()),
      input,
      stateMachineId: stateMachineArn,
      stateMachineName,
      redriveCount: 0,
    },
    root: { id: 'root', graph: machine.root.id, variables: {}, status: 'running', lastEventId: 0 },
    nextEventId: 1,
    nextSeq: 1,
  };
  const run = new Run(machine, state, env, stepOptions.history !== false);
  run.event(state.root, 'ExecutionStarted', run.history ? { input, roleArn: state.execution.roleArn } : undefined);
  if (machine.timeoutSeconds !== undefined) state.executionTimerId = run.startTimer('executionTimeout', machine.timeoutSeconds * 1000);
  run.enter(state.root, machine.root.startAt, input);
  const finishing = finish(run);
  if (finishing !== undefined) await finishing;
  return { state, effects: run.effects, events: run.events, ignored: false };
}

export async function step(machine: Machine, previous: ExecutionState, event: ExecutionEvent, env: InterpreterEnv, options: StepOptions = {}): Promise<StepResult> {
  if (previous.version !== EXECUTION_STATE_VERSION) throw new Error(`unsupported execution state version ${String(previous.version)}`);
  if (previous.status !== 'RUNNING') return { state: previous, effects: [], events: [], ignored: true };
  const state = copyState(previous);
  const run = new Run(machine, state, env, options.history !== false);
  if (!applyEvent(run, event)) return { state: previous, effects: [], events: [], ignored: true };
  const finishing = finish(run);
  if (finishing !== undefined) await finishing;
  return { state, effects: run.effects, events: run.events, ignored: false };
}

/**
 * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution runs again from the top-level state
 * where it stopped, with that state's input and the variables it had; `undefined` when there is
 * nothing to redrive (it is running or succeeded, or stopped before entering a state). A failed
 * Parallel or Map state runs again whole (AWS re-runs only its unsuccessful branches/iterations).
 */
export async function redriveExecution(machine: Machine, previous: ExecutionState, env: InterpreterEnv): Promise<StepResult | undefined> {
  if (previous.status !== 'FAILED' && previous.status !== 'TIMED_OUT' && previous.status !== 'ABORTED') return undefined;
  const at = previous.root.stoppedAt;
  if (at === undefined) return undefined;
  const state = structuredClone(previous) as ExecutionState & { execution: ExecutionState['execution'] };
  const redriveCount = state.execution.redriveCount + 1;
  (state as { execution: ExecutionState['execution'] }).execution = merged(state.execution, { redriveCount });
  state.status = 'RUNNING';
  delete state.error;
  delete state.cause;
  delete state.output;
  const root = state.root;
  root.status = 'running';
  delete root.error;
  delete root.stoppedAt;
  const run = new Run(machine, state, env);
  run.event(root, 'ExecutionRedriven', { redriveCount });
  if (machine.timeoutSeconds !== undefined) state.executionTimerId = run.startTimer('executionTimeout', machine.timeoutSeconds * 1000);
  run.enter(root, at.state, at.input);
  const finishing = finish(run);
  if (finishing !== undefined) await finishing;
  return { state, effects: run.effects, events: run.events, ignored: false };
}

/** Records the event on the activity waiting for it; false when nothing is waiting for it. */
function applyEvent(run: Run, event: ExecutionEvent): boolean {
  const state = run.state;
  if (event.type === 'stopExecution') {
    abortFrame(run, state.root);
    endExecution(run, 'ABORTED');
    const aborted: JsonObject = {};
    if (event.error !== undefined) aborted['error'] = event.error;
    if (event.cause !== undefined) aborted['cause'] = event.cause;
    run.event(undefined, 'ExecutionAborted', aborted);
    run.effect({ type: 'executionAborted', ...(event.error === undefined ? {} : { error: event.error }), ...(event.cause === undefined ? {} : { cause: event.cause }) });
    return true;
  }
  if (event.type === 'timerFired' && event.timerId === state.executionTimerId) {
    delete state.executionTimerId;
    abortFrame(run, state.root);
    endExecution(run, 'TIMED_OUT');
    const cause = 'The execution timed out (TimeoutSeconds of the state machine).';
    state.error = STATES_ERRORS.Timeout;
    state.cause = cause;
    run.event(undefined, 'ExecutionTimedOut', { error: STATES_ERRORS.Timeout, cause });
    run.effect({ type: 'executionTimedOut', error: STATES_ERRORS.Timeout, cause });
    return true;
  }
  const act = findActivity(state.root, (a) => owns(a.phase, event));
  if (act === undefined) return false;
  const phase = act.phase;
  switch (event.type) {
    case 'timerFired':
      if (phase.kind === 'wait') act.phase = { kind: 'waited' };
      else if (phase.kind === 'backoff') act.phase = { kind: 'ready' };
      else if (phase.kind === 'task') {
        const heartbeat = event.timerId === phase.heartbeatTimerId;
        settleTask(run, act, phase, { ok: false, error: heartbeat ? STATES_ERRORS.HeartbeatTimeout : STATES_ERRORS.Timeout, cause: heartbeat ? 'The task did not send a heartbeat in time.' : 'The task did not complete in time.' }, event.timerId);
        run.effect({ type: 'cancelTask', taskId: phase.taskId });
      }
      return true;
    case 'taskSucceeded':
      if (phase.kind === 'task') settleTask(run, act, phase, { ok: true, result: event.output });
      return true;
    case 'taskFailed':
      if (phase.kind === 'task') settleTask(run, act, phase, { ok: false, error: event.error, ...(event.cause === undefined ? {} : { cause: event.cause }) });
      return true;
    case 'taskHeartbeat':
      if (phase.kind === 'task' && phase.heartbeatTimerId !== undefined && phase.heartbeatSeconds !== undefined) {
        run.effect({ type: 'cancelTimer', timerId: phase.heartbeatTimerId });
        phase.heartbeatTimerId = run.startTimer('heartbeat', phase.heartbeatSeconds * 1000);
      }
      return true;
  }
}

type TaskPhase = Extract<Phase, { kind: 'task' }>;

function settleTask(run: Run, act: Activity, phase: TaskPhase, outcome: Extract<Phase, { kind: 'resume' }>['outcome'], firedTimerId?: string): void {
  const { timeoutTimerId, heartbeatTimerId } = phase;
  if (timeoutTimerId !== undefined && timeoutTimerId !== firedTimerId) run.effect({ type: 'cancelTimer', timerId: timeoutTimerId });
  if (heartbeatTimerId !== undefined && heartbeatTimerId !== firedTimerId) run.effect({ type: 'cancelTimer', timerId: heartbeatTimerId });
  act.phase = { kind: 'resume', outcome };
}

function owns(phase: Phase, event: ExecutionEvent): boolean {
  if (event.type === 'timerFired') {
    if (phase.kind === 'wait' || phase.kind === 'backoff') return phase.timerId === event.timerId;
    return phase.kind === 'task' && (phase.timeoutTimerId === event.timerId || phase.heartbeatTimerId === event.timerId);
  }
  return 'taskId' in event && phase.kind === 'task' && phase.taskId === event.taskId;
}

function findActivity(frame: Frame, match: (a: Activity) => boolean): Activity | undefined {
  const act = frame.current;
  if (frame.status !== 'running' || act === undefined) return undefined;
  if (match(act)) return act;
  const phase = act.phase;
  const children = phase.kind === 'parallel' ? phase.branches : phase.kind === 'map' ? Object.values(phase.running) : [];
  for (const child of children) {
    const found = findActivity(child, match);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Drives the whole tree, then reports the end of the execution if the top frame finished; a
 * promise only when driving needed one (see `Run.drive`).
 */
function finish(run: Run): void | Promise<void> {
  const state = run.state;
  if (state.status !== 'RUNNING') return;
  const pending = run.drive(state.root, [state.root]);
  if (pending !== undefined) return pending.then(() => conclude(run));
  conclude(run);
}

function conclude(run: Run): void {
  const state = run.state;
  const root = state.root;
  if (root.status === 'succeeded') {
    const output = root.output ?? null;
    endExecution(run, 'SUCCEEDED');
    state.output = output;
    run.event(root, 'ExecutionSucceeded', run.history ? { output } : undefined);
    run.effect({ type: 'executionSucceeded', output });
  } else if (root.status === 'failed') {
    const { error, cause } = root.error ?? { error: null };
    endExecution(run, 'FAILED');
    state.error = error;
    if (cause !== undefined) state.cause = cause;
    run.event(root, 'ExecutionFailed', { error, ...(cause === undefined ? {} : { cause }) });
    run.effect({ type: 'executionFailed', error, ...(cause === undefined ? {} : { cause }) });
  }
}

function endExecution(run: Run, status: ExecutionState['status']): void {
  run.state.status = status;
  if (run.state.executionTimerId !== undefined) {
    run.effect({ type: 'cancelTimer', timerId: run.state.executionTimerId });
    delete run.state.executionTimerId;
  }
}
