/**
 * The data the interpreter steps over. Everything here is plain JSON (no class instances, no
 * closures), so a durable engine can store an `ExecutionState` after each step and hand it back
 * later — in another process — with the next event.
 *
 * An execution is a tree of *frames*: the top level, each running Parallel branch and each running
 * Map iteration is a frame with its own variable scope and its own current state (an *activity*).
 */
import type { Json, JsonObject } from './json.ts';

export const EXECUTION_STATE_VERSION = 1;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What `$$.Execution` and `$$.StateMachine` show; fixed when the execution starts. */
export interface ExecutionInfo {
  readonly id: string;
  readonly name: string;
  readonly roleArn: string;
  readonly startTime: string;
  readonly input: Json;
  readonly stateMachineId: string;
  readonly stateMachineName: string;
  readonly redriveCount: number;
}

export interface ExecutionState {
  readonly version: typeof EXECUTION_STATE_VERSION;
  status: ExecutionStatus;
  readonly execution: ExecutionInfo;
  root: Frame;
  /** Id of the next history event (AWS numbers them from 1). */
  nextEventId: number;
  /** Source of task and timer ids. */
  nextSeq: number;
  executionTimerId?: string;
  output?: Json;
  error?: string | null;
  cause?: string;
}

export type FrameStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface FrameError {
  readonly error: string | null;
  readonly cause?: string;
}

export interface Frame {
  readonly id: string;
  /** The graph (see `Machine.graphs`) this frame runs. */
  readonly graph: string;
  /** Variables assigned in this scope; lookups fall back to the enclosing frames. */
  variables: JsonObject;
  status: FrameStatus;
  current?: Activity;
  output?: Json;
  error?: FrameError;
  /** Id of the last history event this frame produced (for `previousEventId`). */
  lastEventId: number;
  /** Where the frame stopped when it failed or was aborted: `redriveExecution` re-enters it. */
  stoppedAt?: { readonly state: string; readonly input: Json };
}

export interface Activity {
  readonly state: string;
  /** The raw state input, before InputPath/Arguments. */
  readonly input: Json;
  readonly enteredEventId: number;
  readonly enteredTime: string;
  /** Attempts used per retrier (index = position in `Retry`). */
  retryAttempts: number[];
  /** Retries so far (`$$.State.RetryCount`). */
  retryCount: number;
  phase: Phase;
}

export type Outcome = { readonly ok: true; readonly result: Json } | { readonly ok: false; readonly error: string | null; readonly cause?: string };

export type Phase =
  /** Execute the state (on entry, and again after a retry's backoff). */
  | { readonly kind: 'ready' }
  /**
   * A task was invoked; waiting for its result, a timeout or a heartbeat. Its input is not kept
   * (nor a Parallel's or a Map's): nothing reads it back (a retry computes it again from the
   * state's input), and the durable engine stores the state at every step (states stored before
   * this carry `effectiveInput`; it is ignored).
   */
  | {
      readonly kind: 'task';
      readonly taskId: string;
      readonly taskToken?: string;
      timeoutTimerId?: string;
      heartbeatTimerId?: string;
      readonly heartbeatSeconds?: number;
    }
  /** A task finished (or timed out); process its outcome. */
  | { readonly kind: 'resume'; readonly outcome: Outcome }
  /** A Wait state's timer. */
  | { readonly kind: 'wait'; readonly timerId: string }
  /** A Wait state's timer fired; leave the state. */
  | { readonly kind: 'waited' }
  /** Backing off before a retry. */
  | { readonly kind: 'backoff'; readonly timerId: string }
  | { readonly kind: 'parallel'; readonly branches: Frame[] }
  | MapPhase;

export interface MapPhase {
  readonly kind: 'map';
  /** The input of each iteration (the item, or the ItemSelector applied to it). */
  readonly inputs: Json[];
  /** Running iterations by item index; finished ones are removed. */
  readonly running: Record<string, Frame>;
  readonly results: (Json | null)[];
  nextIndex: number;
  completed: number;
  failures: number;
  readonly maxConcurrency: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
}

export type TimerKind = 'wait' | 'retry' | 'taskTimeout' | 'heartbeat' | 'executionTimeout';

/** What the interpreter asks its driver to do. Time is epoch milliseconds. */
export type Effect =
  | {
      readonly type: 'invokeTask';
      readonly taskId: string;
      readonly stateName: string;
      readonly resource: string;
      readonly input: Json;
      readonly timeoutSeconds?: number;
      readonly heartbeatSeconds?: number;
      readonly taskToken?: string;
      readonly credentials?: Json;
    }
  | { readonly type: 'cancelTask'; readonly taskId: string }
  | { readonly type: 'startTimer'; readonly timerId: string; readonly kind: TimerKind; readonly dueAt: number }
  | { readonly type: 'cancelTimer'; readonly timerId: string }
  | { readonly type: 'executionSucceeded'; readonly output: Json }
  | { readonly type: 'executionFailed'; readonly error: string | null; readonly cause?: string }
  | { readonly type: 'executionTimedOut'; readonly error: string; readonly cause?: string }
  | { readonly type: 'executionAborted'; readonly error?: string; readonly cause?: string };

/** What the driver feeds back. */
export type ExecutionEvent =
  | { readonly type: 'taskSucceeded'; readonly taskId: string; readonly output: Json }
  | { readonly type: 'taskFailed'; readonly taskId: string; readonly error: string | null; readonly cause?: string }
  | { readonly type: 'taskHeartbeat'; readonly taskId: string }
  | { readonly type: 'timerFired'; readonly timerId: string }
  | { readonly type: 'stopExecution'; readonly error?: string; readonly cause?: string };

/** A `GetExecutionHistory` event; `details` holds the `<type>EventDetails` fields. */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly details?: JsonObject;
}

export interface StepResult {
  readonly state: ExecutionState;
  readonly effects: readonly Effect[];
  readonly events: readonly HistoryEvent[];
  /** True when the event matched nothing still waiting for it (a late timer, a cancelled task). */
  readonly ignored: boolean;
}

/** Time, randomness and ids are injected so that a step is a function of its arguments. */
export interface InterpreterEnv {
  /** Current time, epoch milliseconds. */
  readonly now: () => number;
  /** Uniform in [0, 1): retry jitter, `States.MathRandom`, `$random()`. */
  readonly random: () => number;
  /** A fresh v4 UUID: `States.UUID()`, `$uuid()`, task tokens. */
  readonly uuid: () => string;
}
