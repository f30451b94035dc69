/**
 * Express executions: the same interpreter, integrations and history as Standard ones, kept in
 * memory only. Nothing is serialized on the way: the execution state and its history events stay
 * the objects the interpreter returned, timers are clock timers, task tokens a map. A recent
 * execution can still be described: the running ones and the last RETAIN_FINISHED finished ones
 * are kept (AWS describes none: it logs Express executions to CloudWatch Logs; see
 * docs/workflows.md). Their history events are kept only with `expressHistory` (as AWS, which has
 * no history API for them): holding every event of every running execution costs the young
 * generation of the garbage collector ~40% of the throughput of a 20-state machine.
 *
 * Promise, as AWS's asynchronous Express workflows: at most once per process — a crash or a stop
 * loses the executions running in memory (their tasks may have run).
 *
 * Concurrency contract: events of one execution are applied one at a time (a per-execution
 * promise chain); executions interleave. After `stop` no event is applied and no task starts.
 */
import type { Timer } from '../../core/index.ts';
import type { StoredExecution, StoredHistoryEvent, StoredStateMachine } from '../../storage/index.ts';
import { startExecution as aslStart, step, type ExecutionEvent, type ExecutionState, type HistoryEvent, type Json, type Machine, type StepResult } from '../asl/index.ts';
import { expressExecutionArn, stateMachineArn, type EngineContext, type ExecutionRunner, type StartRequest, type StartResult } from './engine-context.ts';
import { outcomeEvent, runTaskCall, type TaskCall } from './task-runner.ts';

/**
 * How many finished executions stay describable. Few on purpose: kept longer than a young-GC cycle,
 * their objects would be promoted to the old generation, which measurably halves throughput.
 */
const RETAIN_FINISHED = 100;

interface ExpressExecution {
  readonly arn: string;
  readonly machineName: string;
  readonly definition: string;
  readonly machine: Machine;
  readonly name: string;
  readonly input: string;
  readonly startedAt: number;
  state: ExecutionState;
  readonly events: HistoryEvent[];
  /** Created on first use: most executions have neither. */
  timers: Map<string, Timer> | undefined;
  /** Task id → its token, for callback tasks. */
  tokens: Map<string, string> | undefined;
  /** The last event being applied: the next one waits for it. */
  tail: Promise<unknown> | undefined;
  /** Events delivered and not yet applied (the one being applied included). */
  queued: number;
  waiters: ((e: StoredExecution) => void)[] | undefined;
  stoppedAt: number | undefined;
}

export interface ExpressEngine extends ExecutionRunner {
  /** Cancels the timers of the executions in memory (they end with the process). */
  close(): void;
}

/** The execution as the store's record type; its state is serialized only if someone reads it. */
class ExpressRecord implements StoredExecution {
  readonly arn: string;
  readonly machine: string;
  readonly name: string;
  readonly status: StoredExecution['status'];
  readonly definition: string;
  readonly input: string;
  readonly output?: string;
  readonly error?: string | null;
  readonly cause?: string;
  readonly startedAt: number;
  readonly stoppedAt?: number;
  readonly nextEventId: number;
  readonly redriveCount = 0;
  readonly #state: ExecutionState;

  constructor(x: ExpressExecution) {
    const s = x.state;
    this.arn = x.arn;
    this.machine = x.machineName;
    this.name = x.name;
    this.status = s.status;
    this.definition = x.definition;
    this.input = x.input;
    if (s.output !== undefined) this.output = JSON.stringify(s.output);
    if (s.error !== undefined) this.error = s.error;
    if (s.cause !== undefined) this.cause = s.cause;
    this.startedAt = x.startedAt;
    if (x.stoppedAt !== undefined) this.stoppedAt = x.stoppedAt;
    this.nextEventId = s.nextEventId;
    this.#state = s;
  }

  get state(): string {
    return JSON.stringify(this.#state);
  }
}

/** The last `size` finished executions, oldest overwritten first. */
class Retained {
  readonly #byArn = new Map<string, ExpressExecution>();
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(size: number) {
    this.#ring = new Array<string | undefined>(size);
  }

  get(arn: string): ExpressExecution | undefined {
    return this.#byArn.get(arn);
  }

  add(x: ExpressExecution): void {
    if (this.#ring.length === 0) return;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#byArn.delete(evicted);
    this.#ring[this.#next] = x.arn;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#byArn.set(x.arn, x);
  }
}

export function createExpressEngine(ctx: EngineContext): ExpressEngine {
  const { clock, logger } = ctx.deps;
  const keepHistory = ctx.deps.expressHistory === true;
  // Without `expressHistory` nobody reads the events: the interpreter does not build them.
  const stepOptions = { history: keepHistory };
  const running = new Map<string, ExpressExecution>();
  const finished = new Retained(RETAIN_FINISHED);
  const tokens = new Map<string, { readonly execution: ExpressExecution; readonly taskId: string }>();

  const find = (arn: string): ExpressExecution | undefined => running.get(arn) ?? finished.get(arn);

  /** Applies `event` after the events already queued for `x`; false when nothing waited for it. */
  function deliver(x: ExpressExecution, event: ExecutionEvent): Promise<boolean> {
    return ctx.inFlight.track(enqueue(x, event));
  }

  /** `deliver` for a caller that tracks the work itself. */
  function enqueue(x: ExpressExecution, event: ExecutionEvent): Promise<boolean> {
    x.queued++;
    const prior = x.tail;
    const next = prior === undefined ? apply(x, event) : prior.then(() => apply(x, event), () => apply(x, event));
    x.tail = next;
    return next;
  }

  async function apply(x: ExpressExecution, event: ExecutionEvent): Promise<boolean> {
    try {
      if (x.state.status !== 'RUNNING' || ctx.stopped()) return false;
      const result = await step(x.machine, x.state, event, ctx.env, stepOptions);
      if (result.ignored) return false;
      absorb(x, result);
      return true;
    } finally {
      // Nothing queued behind this event: the next one need not wait for a settled promise.
      if (--x.queued === 0) x.tail = undefined;
    }
  }

  const report = (x: ExpressExecution, event: ExecutionEvent): void => {
    deliver(x, event).catch((error: unknown) => logger.log('error', 'express execution step failed', { execution: x.arn, error }));
  };

  function runTask(x: ExpressExecution, call: TaskCall): void {
    void ctx.inFlight.track(taskThenStep(x, call));
  }

  /** Runs a task, then applies its outcome (one tracked piece of work for both). */
  async function taskThenStep(x: ExpressExecution, call: TaskCall): Promise<void> {
    const event = await runTaskCall(call, ctx.integration);
    if (event === undefined || ctx.stopped()) return;
    try {
      await enqueue(x, event);
    } catch (error) {
      logger.log('error', 'express execution step failed', { execution: x.arn, error });
    }
  }

  function absorb(x: ExpressExecution, result: StepResult): void {
    x.state = result.state;
    if (keepHistory) for (const e of result.events) x.events.push(e);
    if (x.state.status !== 'RUNNING') return end(x);
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'invokeTask':
          if (effect.taskToken !== undefined) {
            (x.tokens ??= new Map()).set(effect.taskId, effect.taskToken);
            tokens.set(effect.taskToken, { execution: x, taskId: effect.taskId });
          }
          if (!ctx.stopped()) runTask(x, effect);
          break;
        case 'cancelTask': {
          const token = x.tokens?.get(effect.taskId);
          if (token !== undefined) tokens.delete(token);
          x.tokens?.delete(effect.taskId);
          break;
        }
        case 'startTimer': {
          const { timerId } = effect;
          const timers = (x.timers ??= new Map());
          timers.get(timerId)?.cancel();
          timers.set(
            timerId,
            clock.setTimer(Math.max(0, effect.dueAt - clock.now()), () => {
              timers.delete(timerId);
              report(x, { type: 'timerFired', timerId });
            }),
          );
          break;
        }
        case 'cancelTimer':
          x.timers?.get(effect.timerId)?.cancel();
          x.timers?.delete(effect.timerId);
          break;
        default:
          break;
      }
    }
  }

  function end(x: ExpressExecution): void {
    x.stoppedAt = clock.now();
    if (x.timers !== undefined) for (const timer of x.timers.values()) timer.cancel();
    x.timers = undefined;
    if (x.tokens !== undefined) for (const token of x.tokens.values()) tokens.delete(token);
    x.tokens = undefined;
    running.delete(x.arn);
    finished.add(x);
    const waiting = x.waiters;
    x.waiters = undefined;
    if (waiting !== undefined) {
      const record = new ExpressRecord(x);
      for (const resolve of waiting) resolve(record);
    }
  }

  async function start(machine: StoredStateMachine, request: StartRequest, onEnd?: (e: StoredExecution) => void): Promise<StartResult> {
    const scope = ctx.deps.scope();
    // A generated name is unique already: it serves as the execution's id too.
    const id = ctx.env.uuid();
    const name = request.name ?? id;
    const arn = expressExecutionArn(scope, machine.name, name, id);
    const compiled = ctx.machineFor(machine.definition);
    const startedAt = clock.now();
    const result = await aslStart(compiled, JSON.parse(request.input) as Json, { executionArn: arn, name, stateMachineArn: stateMachineArn(scope, machine.name), stateMachineName: machine.name, roleArn: machine.roleArn }, ctx.env, stepOptions);
    const x: ExpressExecution = {
      arn,
      machineName: machine.name,
      definition: machine.definition,
      machine: compiled,
      name,
      input: request.input,
      startedAt,
      state: result.state,
      events: [],
      tail: undefined,
      queued: 0,
      waiters: onEnd !== undefined ? [onEnd] : undefined,
      timers: undefined,
      tokens: undefined,
      stoppedAt: undefined,
    };
    running.set(arn, x);
    absorb(x, result);
    return { arn, startedAt, outcome: 'created' };
  }

  return {
    start,

    stop(arn, error, cause) {
      const x = running.get(arn);
      return x === undefined ? Promise.resolve(false) : deliver(x, { type: 'stopExecution', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    },

    async sendTaskResult(token, outcome) {
      const task = tokens.get(token);
      return task === undefined ? undefined : deliver(task.execution, outcomeEvent(task.taskId, outcome));
    },

    async awaitCompletion(arn) {
      const x = find(arn);
      if (x === undefined) throw new Error(`no execution ${arn} (Express executions are kept in memory only)`);
      if (x.state.status !== 'RUNNING') return new ExpressRecord(x);
      return new Promise((resolve) => (x.waiters ??= []).push(resolve));
    },

    async getExecution(arn) {
      const x = find(arn);
      return x === undefined ? undefined : new ExpressRecord(x);
    },

    async history(arn, { after, limit, reverse }) {
      const events = find(arn)?.events ?? [];
      // Without `expressHistory` the list stays empty; the API refuses the call before asking.
      const chosen = reverse === true ? events.filter((e) => e.id < (after ?? Number.MAX_SAFE_INTEGER)).reverse() : events.filter((e) => e.id > (after ?? 0));
      return chosen.slice(0, limit).map((e): StoredHistoryEvent => ({ id: e.id, event: JSON.stringify(e) }));
    },

    close() {
      for (const x of running.values()) {
        if (x.timers !== undefined) for (const timer of x.timers.values()) timer.cancel();
        x.timers = undefined;
      }
    },
  };
}
