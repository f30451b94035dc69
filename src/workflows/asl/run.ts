/**
 * One step's worth of work on an execution state. Concurrency contract: a `Run` is created per
 * `step` call on a private copy of the state, used by one async call chain, and dropped; nothing
 * in it outlives the step. It records history events and effects as it goes and drives every
 * frame forward until each one is waiting (for a task, a timer) or finished.
 */
import type { QueryLanguage, StateDefinition } from './definition.ts';
import { StatesError, STATES_ERRORS } from './errors.ts';
import type { Activity, Effect, ExecutionState, Frame, FrameError, HistoryEvent, InterpreterEnv, Phase, TimerKind } from './execution-state.ts';
import type { Json, JsonObject } from './json.ts';
import { getGraph, type Graph, type Machine } from './machine.ts';
import { withinPayloadBound } from './payload-size.ts';
import { handleStateError } from './state-errors.ts';
import { stateEventTypes } from './state-event-types.ts';
import { executeState, continueState } from './states/dispatch.ts';
import { merged } from '../../core/index.ts';

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

/** The phase of a state just entered; phases are replaced, never written into, so one object serves all. */
const READY: Phase = Object.freeze({ kind: 'ready' });

function stateIn(graph: Graph, name: string): StateDefinition {
  const def = graph.states[name];
  if (def === undefined) throw new Error(`state '${name}' is not in graph ${graph.id}`);
  return def;
}

/** Uses of one clock reading by `Run.now`. */
const NOW_REUSE = 64;

/** The last time `isoNow` formatted: the states of one step are mostly entered in the same millisecond. */
let lastIsoMs = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, remembered for the last millisecond asked. */
export function isoTime(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

export class Run {
  readonly effects: Effect[] = [];
  readonly events: HistoryEvent[] = [];
  readonly machine: Machine;
  readonly state: ExecutionState;
  readonly env: InterpreterEnv;
  /**
   * Whether history events are built. Without them ids are still numbered (ids are part of the
   * state: `previousEventId`, `enteredEventId` in error causes, the history quota), and callers
   * skip building the details of an event nobody keeps.
   */
  readonly history: boolean;

  /** The clock as last read, and reads left before it is read again (`now`). */
  private lastNow = 0;
  private nowUses = 0;

  constructor(machine: Machine, state: ExecutionState, env: InterpreterEnv, history = true) {
    this.machine = machine;
    this.state = state;
    this.env = env;
    this.history = history;
  }

  /**
   * The time of the step's events: the clock is read again every NOW_REUSE uses, not each time (a
   * 3-state execution read it 18 times, some 60 ns each on these machines). A step
   * is computed at once, so its events share a time, as AWS's events of one transition mostly do;
   * a long step (a Map of many inline iterations) still moves on. Timers read the clock
   * themselves: a wait must not end early by the time the step took.
   */
  now(): number {
    if (this.nowUses === 0) {
      this.lastNow = this.env.now();
      this.nowUses = NOW_REUSE;
    }
    this.nowUses--;
    return this.lastNow;
  }

  isoNow(): string {
    return isoTime(this.now());
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
    if (!this.history) {
      if (frame !== undefined) frame.lastEventId = id;
      return id;
    }
    const previousEventId = frame?.lastEventId ?? id - 1;
    this.events.push(details === undefined ? { id, previousEventId, timestamp: this.now(), type } : { id, previousEventId, timestamp: this.now(), type, details });
    if (frame !== undefined) frame.lastEventId = id;
    return id;
  }

  call(frame: Frame, chain: Chain, act: Activity): StateCall {
    const graph = getGraph(this.machine, frame.graph);
    const def = stateIn(graph, act.state);
    return { run: this, frame, chain, act, def, graph, language: this.machine.queryLanguage(def) };
  }

  /** Enters `name` in `frame` with `input` (records `<Type>StateEntered`). */
  enter(frame: Frame, name: string, input: Json): void {
    const def = stateIn(getGraph(this.machine, frame.graph), name);
    const enteredEventId = this.history ? this.event(frame, stateEventTypes(def.Type).entered, { name, input }) : this.event(frame, '');
    frame.current = { state: name, input, enteredEventId, enteredTime: this.isoNow(), retryAttempts: [], retryCount: 0, phase: READY };
  }

  /**
   * Leaves the current state with `output`: records `<Type>StateExited`, applies the state's
   * variable assignments, then moves to `next` (default: the state's `Next`) or ends the frame.
   */
  exit(call: StateCall, output: Json, assigned: JsonObject | undefined, next?: string): void {
    const { frame, def, act } = call;
    checkPayload(output, 'output');
    if (this.history) {
      const details: JsonObject = { name: act.state, output };
      if (assigned !== undefined && Object.keys(assigned).length > 0) details['assignedVariables'] = assigned;
      this.event(frame, stateEventTypes(def.Type).exited, details);
    } else {
      this.event(frame, '');
    }
    // A new object rather than a write into the old one: the previous state shares it (state-copy.ts).
    if (assigned !== undefined) frame.variables = merged(frame.variables, assigned);
    // An explicit `next` (a Choice rule, a catcher) wins over the state's own End.
    const target = next ?? (def.End === true ? undefined : def.Next);
    if (target === undefined || (next === undefined && def.Type === 'Succeed')) {
      // `current` goes before `output` comes: deleting the property added last keeps the frame a
      // fast-properties object (the JSON text is the same either way).
      delete frame.current;
      frame.status = 'succeeded';
      frame.output = output;
      return;
    }
    this.enter(frame, target, output);
  }

  failFrame(frame: Frame, error: FrameError): void {
    const current = frame.current;
    delete frame.current; // first: see `exit`
    frame.status = 'failed';
    frame.error = error;
    if (current !== undefined) frame.stoppedAt = { state: current.state, input: current.input };
  }

  /**
   * Drives `frame` until it waits or finishes; the chain ends with `frame`. Returns a promise only
   * once a handler returned one (JSONata, Parallel, Map, error handling): a run of JSONPath states
   * is driven without a single await.
   */
  drive(frame: Frame, chain: Chain): void | Promise<void> {
    while (frame.status === 'running' && frame.current !== undefined) {
      if (this.state.nextEventId > MAX_HISTORY_EVENTS) {
        this.failFrame(frame, { error: STATES_ERRORS.Runtime, cause: `The execution reached the maximum number of ${MAX_HISTORY_EVENTS} history events.` });
        return;
      }
      const act = frame.current;
      const call = this.call(frame, chain, act);
      let progressed: boolean;
      try {
        if (act.phase.kind === 'ready') {
          const pending = executeState(call);
          if (pending !== undefined) return this.#driveOn(frame, chain, call, pending);
          progressed = true;
        } else {
          const moved = continueState(call);
          if (typeof moved !== 'boolean') return this.#driveOn(frame, chain, call, moved);
          progressed = moved;
        }
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        return this.#driveOn(frame, chain, call, Promise.reject(error));
      }
      if (!progressed) return;
    }
  }

  /** The rest of `drive` once the current state's handler answered with a promise. */
  async #driveOn(frame: Frame, chain: Chain, call: StateCall, pending: Promise<void | boolean>): Promise<void> {
    let progressed: boolean;
    try {
      progressed = (await pending) !== false;
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      await handleStateError(call, error);
      progressed = true;
    }
    if (progressed) await this.drive(frame, chain);
  }
}

export function checkPayload(value: Json, what: string): void {
  if (withinPayloadBound(value, MAX_PAYLOAD_BYTES)) return;
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

/** The value of variable `name` seen from the innermost frame of `chain`; undefined when unassigned. */
export function lookupVariable(chain: Chain, name: string): Json | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const vars = (chain[i] as Frame).variables;
    if (Object.hasOwn(vars, name)) return vars[name];
  }
  return undefined;
}
