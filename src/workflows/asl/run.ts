/**
 * One step's worth of work on an execution state. Concurrency contract: a `Run` is created per
 * `step` call on a private copy of the state, used by one async call chain, and dropped; nothing
 * in it outlives the step. It records history events and effects as it goes and drives every
 * frame forward until each one is waiting (for a task, a timer) or finished.
 */
import type { QueryLanguage, StateDefinition } from './definition.ts';
import { StatesError, STATES_ERRORS } from './errors.ts';
import type { Activity, Effect, ExecutionState, Frame, FrameError, HistoryEvent, InterpreterEnv, TimerKind } from './execution-state.ts';
import type { Json, JsonObject } from './json.ts';
import { getGraph, type Graph, type Machine } from './machine.ts';
import { handleStateError } from './state-errors.ts';
import { executeState, continueState } from './states/dispatch.ts';

/** Outermost frame first, the frame being driven last. */
export type Chain = readonly Frame[];

/** Everything a state handler needs about the state it is running. */
export interface StateCall {
  readonly run: Run;
  readonly frame: Frame;
  readonly chain: Chain;
  readonly act: Activity;
  readonly def: StateDefinition;
  readonly graph: Graph;
  readonly language: QueryLanguage;
}

/** AWS fails an execution whose history would exceed 25,000 events. */
export const MAX_HISTORY_EVENTS = 25_000;
/** Payload quota: 256 KiB of UTF-8 per state input, output or result. */
export const MAX_PAYLOAD_BYTES = 262_144;

export class Run {
  readonly effects: Effect[] = [];
  readonly events: HistoryEvent[] = [];
  readonly machine: Machine;
  readonly state: ExecutionState;
  readonly env: InterpreterEnv;

  constructor(machine: Machine, state: ExecutionState, env: InterpreterEnv) {
    this.machine = machine;
    this.state = state;
    this.env = env;
  }

  isoNow(): string {
    return new Date(this.env.now()).toISOString();
  }

  newId(prefix: string): string {
    return `${prefix}-${this.state.nextSeq++}`;
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }

  startTimer(kind: TimerKind, delayMs: number, prefix = kind): string {
    const timerId = this.newId(prefix);
    this.effect({ type: 'startTimer', timerId, kind, dueAt: this.env.now() + Math.max(0, delayMs) });
    return timerId;
  }

  /** Appends a history event; `frame` (when given) threads `previousEventId`. */
  event(frame: Frame | undefined, type: string, details?: JsonObject): number {
    const id = this.state.nextEventId++;
    const previousEventId = frame?.lastEventId ?? id - 1;
    this.events.push(details === undefined ? { id, previousEventId, timestamp: this.env.now(), type } : { id, previousEventId, timestamp: this.env.now(), type, details });
    if (frame !== undefined) frame.lastEventId = id;
    return id;
  }

  stateDef(frame: Frame, name: string): { def: StateDefinition; graph: Graph } {
    const graph = getGraph(this.machine, frame.graph);
    const def = graph.states[name];
    if (def === undefined) throw new Error(`state '${name}' is not in graph ${graph.id}`);
    return { def, graph };
  }

  call(frame: Frame, chain: Chain, act: Activity): StateCall {
    const { def, graph } = this.stateDef(frame, act.state);
    return { run: this, frame, chain, act, def, graph, language: this.machine.queryLanguage(def) };
  }

  /** Enters `name` in `frame` with `input` (records `<Type>StateEntered`). */
  enter(frame: Frame, name: string, input: Json): void {
    const { def } = this.stateDef(frame, name);
    const enteredEventId = this.event(frame, `${def.Type}StateEntered`, { name, input });
    frame.current = { state: name, input, enteredEventId, enteredTime: this.isoNow(), retryAttempts: [], retryCount: 0, phase: { kind: 'ready' } };
  }

  /**
   * Leaves the current state with `output`: records `<Type>StateExited`, applies the state's
   * variable assignments, then moves to `next` (default: the state's `Next`) or ends the frame.
   */
  exit(call: StateCall, output: Json, assigned: JsonObject | undefined, next?: string): void {
    const { frame, def, act } = call;
    checkPayload(output, 'output');
    const details: JsonObject = { name: act.state, output };
    if (assigned !== undefined && Object.keys(assigned).length > 0) details['assignedVariables'] = assigned;
    this.event(frame, `${def.Type}StateExited`, details);
    if (assigned !== undefined) Object.assign(frame.variables, assigned);
    // An explicit `next` (a Choice rule, a catcher) wins over the state's own End.
    const target = next ?? (def.End === true ? undefined : def.Next);
    if (target === undefined || (next === undefined && def.Type === 'Succeed')) {
      frame.status = 'succeeded';
      frame.output = output;
      delete frame.current;
      return;
    }
    this.enter(frame, target, output);
  }

  failFrame(frame: Frame, error: FrameError): void {
    frame.status = 'failed';
    frame.error = error;
    if (frame.current !== undefined) frame.stoppedAt = { state: frame.current.state, input: frame.current.input };
    delete frame.current;
  }

  /** Drives `frame` until it waits or finishes; the chain ends with `frame`. */
  async drive(frame: Frame, chain: Chain): Promise<void> {
    while (frame.status === 'running' && frame.current !== undefined) {
      if (this.state.nextEventId > MAX_HISTORY_EVENTS) {
        this.failFrame(frame, { error: STATES_ERRORS.Runtime, cause: `The execution reached the maximum number of ${MAX_HISTORY_EVENTS} history events.` });
        return;
      }
      const act = frame.current;
      const call = this.call(frame, chain, act);
      let progressed: boolean;
      try {
        progressed = act.phase.kind === 'ready' ? (await executeState(call), true) : await continueState(call);
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        await handleStateError(call, error);
        progressed = true;
      }
      if (!progressed) return;
    }
  }
}

export function checkPayload(value: Json, what: string): void {
  const text = JSON.stringify(value);
  if (text.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new StatesError(STATES_ERRORS.DataLimitExceeded, `The state/task ${what} has a size exceeding the maximum number of bytes service limit.`);
  }
}

/** Every variable visible from the innermost frame of `chain`, inner scopes shadowing outer ones. */
export function visibleVariables(chain: Chain): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const frame of chain) Object.assign(out, frame.variables);
  return out;
}

export function variableLookup(chain: Chain): (name: string) => Json | undefined {
  return (name) => {
    for (let i = chain.length - 1; i >= 0; i--) {
      const vars = (chain[i] as Frame).variables;
      if (Object.hasOwn(vars, name)) return vars[name];
    }
    return undefined;
  };
}
