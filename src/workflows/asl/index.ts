/**
 * The pure Amazon States Language interpreter: validation, a step function over plain-data
 * execution states, and a small in-memory driver for tests and embedding.
 */
export { validateDefinition, type Diagnostic, type DiagnosticCode } from './validate.ts';
export { compileMachine, formatInvalidDefinition, InvalidDefinitionError, type Graph, type Machine } from './machine.ts';
export { startExecution, step, redriveExecution, type StartOptions, type StepOptions } from './step.ts';
export { runToCompletion, PARK, TaskFailure, type RunOptions, type RunOutcome, type TaskHandler, type TaskInvocation } from './driver.ts';
export { STATES_ERRORS, type StatesErrorName } from './errors.ts';
export { EXECUTION_STATE_VERSION } from './execution-state.ts';
export type {
  Effect,
  ExecutionEvent,
  ExecutionInfo,
  ExecutionState,
  ExecutionStatus,
  HistoryEvent,
  InterpreterEnv,
  StepResult,
  TimerKind,
} from './execution-state.ts';
export type { Catcher, ChoiceRule, Definition, QueryLanguage, Retrier, StateDefinition, StateType, SubMachine } from './definition.ts';
export type { Json, JsonObject } from './json.ts';
