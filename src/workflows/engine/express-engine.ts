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
 * The engine's own work per execution is kept small (on a short machine it is most of the cost
 * beside the interpreter): ARNs from prefixes cached per machine, ids from `ExpressIds` (no
 * `randomUUID()`, a small-integer key), one slot of a table allocated once (`Live`) for running
 * and retained alike, one promise for StartSyncExecution and one per task, the input parsed only
 * when the caller has not already (`StartRequest.value`), and records read from the execution on
 * demand (the output serialized on first read).
 *
 * Promise, as AWS's asynchronous Express workflows: at most once per process — a crash or a stop
 * loses the executions running in memory (their tasks may have run).
 *
 * Concurrency contract: events of one execution are applied one at a time (a per-execution
 * promise chain); executions interleave. After `stop` no event is applied and no task starts.
 */
import { ChurnMap, type Timer } from '../../core/index.ts';
import type { StoredExecution, StoredStateMachine } from '../../storage/index.ts';
import { startExecution as aslStart, step, TaskFailure, type ExecutionEvent, type ExecutionState, type HistoryEvent, type Json, type Machine, type StepResult } from '../asl/index.ts';
import { stateMachineArn, type EngineContext, type ExecutionRunner, type StartRequest, type StartResult } from './engine-context.ts';
import { ExpressIds } from './express-ids.ts';
import { failureEvent, outcomeEvent, type TaskCall } from './task-runner.ts';
import { pageOf } from './history-page.ts';

/**
 * How many finished executions stay describable. Few on purpose: kept longer than a young-GC cycle,
 * their objects would be promoted to the old generation, which measurably halves throughput.
 */
const RETAIN_FINISHED = 100;
/** Machines whose ARNs are kept (a cache: cleared when full). */
const ARN_CACHE = 200;

interface ExpressExecution {
  /** Its key in `live` (see `ExpressIds`). */
  readonly key: number | string;
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
  /** StartSyncExecution's caller (one, without an array). */
  onEnd: ((e: StoredExecution) => void) | undefined;
  waiters: ((e: StoredExecution) => void)[] | undefined;
  stoppedAt: number | undefined;
}

/** The ARNs an execution of one machine needs, built once per (scope, machine name). */
interface MachineArns {
  readonly region: string;
  readonly accountId: string;
  readonly machineArn: string;
  /** `arn:aws:states:<region>:<account>:express:<Machine>:` */
  readonly expressPrefix: string;
}

export interface ExpressEngine extends ExecutionRunner {
  /** Starts an execution and resolves with it once it is no longer RUNNING (one promise, no polling). */
  startSync(machine: StoredStateMachine, request: StartRequest): Promise<StoredExecution>;
  /** Cancels the timers of the executions in memory (they end with the process). */
  close(): void;
}

/**
 * The execution as the store's record type, a snapshot taken when it is made (the interpreter never
 * mutates a state it returned: each step makes a new one). Fields are read from the execution on
 * demand, so that an execution whose record nobody reads costs nothing; the output and the state
 * are serialized on first read only.
 */
class ExpressRecord implements StoredExecution {
  readonly #x: ExpressExecution;
  readonly #s: ExecutionState;
  readonly #stoppedAt: number | undefined;
  #output: string | undefined;
  readonly redriveCount = 0;

  constructor(x: ExpressExecution) {
    this.#x = x;
    this.#s = x.state;
    this.#stoppedAt = x.stoppedAt;
  }

  get arn(): string {
    return this.#x.arn;
  }
  get machine(): string {
    return this.#x.machineName;
  }
  get name(): string {
    return this.#x.name;
  }
  get status(): StoredExecution['status'] {
    return this.#s.status;
  }
  get definition(): string {
    return this.#x.definition;
  }
  get input(): string {
    return this.#x.input;
  }
  get output(): string {
    const value = this.#s.output;
    // Absent as on a stored record (`exactOptionalPropertyTypes` cannot say so of a getter).
    if (value === undefined) return undefined as unknown as string;
    return (this.#output ??= JSON.stringify(value));
  }
  get error(): string | null {
    return this.#s.error as string | null;
  }
  get cause(): string {
    return this.#s.cause as string;
  }
  get startedAt(): number {
    return this.#x.startedAt;
  }
  get stoppedAt(): number {
    return this.#stoppedAt as number;
  }
  get nextEventId(): number {
    return this.#s.nextEventId;
  }
  get state(): string {
    return JSON.stringify(this.#s);
  }
  /** The plain record (what `JSON.stringify` and spreading see). */
  toJSON(): Omit<StoredExecution, 'state'> {
    const { arn, machine, name, status, definition, input, output, error, cause, startedAt, stoppedAt, nextEventId, redriveCount } = this;
    return {
      arn,
      machine,
      name,
      status,
      definition,
      input,
      ...(output !== undefined ? { output } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
      startedAt,
      ...(stoppedAt !== undefined ? { stoppedAt } : {}),
      nextEventId,
      redriveCount,
    };
  }
}

/** Slots of `Live`'s table (a power of two). */
const SLOTS = 4096;

/**
 * The executions that can be described: every running one and the last `size` finished ones
 * (oldest forgotten first), found by their `ExpressIds` key.
 *
 * Not a `Map`: one insertion and one deletion per execution made V8 (Node 20) rebuild the map's
 * hash table every few hundred executions, and a replaced table that had lived long enough to
 * be promoted to the old generation still holds the executions it held then. Old objects are
 * roots for the young-generation collector until the next full collection, dead or not, so those
 * executions (and their states) were promoted too: on a 3-state machine 7% of all allocation
 * went to the old generation (about 1 MB per young collection, against 20 KB without the map),
 * and the collector's time halved the throughput. The table here is allocated once and never
 * replaced: an integer key has the slot `key & (SLOTS - 1)`, emptied when its execution is
 * forgotten. A key whose slot is taken (an execution still running, or still kept, SLOTS
 * executions later) and a string key (an injected `uuid()`) go to a map, as all did before.
 */
class Live {
  readonly #ids: ExpressIds;
  readonly #slots: (ExpressExecution | undefined)[] = new Array<ExpressExecution | undefined>(SLOTS).fill(undefined);
  readonly #others = new Map<number | string, ExpressExecution>();
  readonly #ring: (ExpressExecution | undefined)[];
  #next = 0;

  constructor(size: number, ids: ExpressIds) {
    this.#ids = ids;
    this.#ring = new Array<ExpressExecution | undefined>(size).fill(undefined);
  }

  /** The execution of `arn` (its id is the ARN's last part). */
  find(arn: string): ExpressExecution | undefined {
    const key = this.#ids.keyOf(arn.slice(arn.lastIndexOf(':') + 1));
    const x = key === undefined ? undefined : this.#get(key);
    return x !== undefined && x.arn === arn ? x : undefined;
  }

  running(arn: string): ExpressExecution | undefined {
    const x = this.find(arn);
    return x !== undefined && x.stoppedAt === undefined ? x : undefined;
  }

  add(x: ExpressExecution): void {
    const key = x.key;
    if (typeof key === 'number') {
      const slot = key & (SLOTS - 1);
      if (this.#slots[slot] === undefined) {
        this.#slots[slot] = x;
        return;
      }
    }
    this.#others.set(key, x);
  }

  /** `x` finished: kept among the last `size`, or forgotten at once when `size` is 0. */
  finished(x: ExpressExecution): void {
    const ring = this.#ring;
    if (ring.length === 0) {
      this.#forget(x);
      return;
    }
    const evicted = ring[this.#next];
    if (evicted !== undefined) this.#forget(evicted);
    ring[this.#next] = x;
    this.#next = this.#next + 1 === ring.length ? 0 : this.#next + 1;
  }

  *runningOnes(): Iterable<ExpressExecution> {
    for (const x of this.#slots) if (x !== undefined && x.stoppedAt === undefined) yield x;
    for (const x of this.#others.values()) if (x.stoppedAt === undefined) yield x;
  }

  #get(key: number | string): ExpressExecution | undefined {
    if (typeof key === 'number') {
      const x = this.#slots[key & (SLOTS - 1)];
      if (x !== undefined && x.key === key) return x;
    }
    return this.#others.get(key);
  }

  #forget(x: ExpressExecution): void {
    const key = x.key;
    if (typeof key === 'number') {
      const slot = key & (SLOTS - 1);
      if (this.#slots[slot] === x) {
        this.#slots[slot] = undefined;
        return;
      }
    }
    // A reused id (an injected uuid()) may name a newer execution now.
    if (this.#others.get(key) === x) this.#others.delete(key);
  }
}

export function createExpressEngine(ctx: EngineContext): ExpressEngine {
  const { clock, logger } = ctx.deps;
  const keepHistory = ctx.deps.expressHistory === true;
  // Without `expressHistory` nobody reads the events: the interpreter does not build them.
  const stepOptions = { history: keepHistory };
  const ids = new ExpressIds(ctx.deps.uuid);
  const live = new Live(RETAIN_FINISHED, ids);
  // A ChurnMap: a token comes and goes with each callback task (`core/churn-map.ts`).
  const tokens = new ChurnMap<string, { readonly execution: ExpressExecution; readonly taskId: string }>();
  const arnCache = new Map<string, MachineArns>();
  const noEvents: HistoryEvent[] = [];

  /** The ARNs of `machine` in the current scope (the scope may change between calls: checked each time). */
  function arnsOf(machine: string): MachineArns {
    const scope = ctx.deps.scope();
    const cached = arnCache.get(machine);
    if (cached !== undefined && cached.region === scope.region && cached.accountId === scope.accountId) return cached;
    const arns: MachineArns = { region: scope.region, accountId: scope.accountId, machineArn: stateMachineArn(scope, machine), expressPrefix: `arn:aws:states:${scope.region}:${scope.accountId}:express:${machine}:` };
    if (arnCache.size >= ARN_CACHE) arnCache.clear();
    arnCache.set(machine, arns);
    return arns;
  }

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

  /**
   * Runs a task, then applies its outcome: one tracked piece of work and one promise for both (the
   * integration is called here rather than through `runTaskCall`, which would add a promise).
   */
  async function runTask(x: ExpressExecution, call: TaskCall): Promise<void> {
    ctx.inFlight.enter();
    try {
      let event: ExecutionEvent;
      try {
        const integration = ctx.integration(call.resource);
        if (integration === undefined) throw new TaskFailure('States.TaskFailed', `Switchboard has no integration for resource ${call.resource}.`);
        const output = await integration(call.input as Json);
        // A callback task waits for SendTaskSuccess/Failure with its token.
        if (call.taskToken !== undefined) return;
        event = { type: 'taskSucceeded', taskId: call.taskId, output };
      } catch (error) {
        event = failureEvent(call.taskId, error);
      }
      if (ctx.stopped()) return;
      if (x.tail !== undefined) {
        await enqueue(x, event);
        return;
      }
      // Nothing queued (the usual case): `apply` inlined, one promise fewer. Events delivered
      // meanwhile chain on `x.tail` and run after this one is absorbed (their reactions are
      // registered after ours).
      if (x.state.status !== 'RUNNING') return;
      x.queued++;
      const stepping = step(x.machine, x.state, event, ctx.env, stepOptions);
      x.tail = stepping;
      try {
        const result = await stepping;
        if (!result.ignored) absorb(x, result);
      } finally {
        if (--x.queued === 0) x.tail = undefined;
      }
    } catch (error) {
      logger.log('error', 'express execution step failed', { execution: x.arn, error });
    } finally {
      ctx.inFlight.leave();
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
          if (!ctx.stopped()) void runTask(x, effect);
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
    live.finished(x);
    const { onEnd, waiters } = x;
    if (onEnd === undefined && waiters === undefined) return;
    x.onEnd = undefined;
    x.waiters = undefined;
    const record = new ExpressRecord(x);
    onEnd?.(record);
    if (waiters !== undefined) for (const resolve of waiters) resolve(record);
  }

  /**
   * Starts an execution: `started` is called with it once its first step is absorbed, `failed` if
   * it could not start (bad input JSON, an invalid definition). No promise of its own: the
   * callers make the one they answer with.
   */
  function launch(machine: StoredStateMachine, request: StartRequest, onEnd: ((e: StoredExecution) => void) | undefined, started: ((x: ExpressExecution) => void) | undefined, failed: (error: unknown) => void): void {
    let first: Promise<StepResult>;
    let x: ExpressExecution;
    try {
      const arns = arnsOf(machine.name);
      // A generated name is unique already: it serves as the execution's id too.
      const id = ids.next();
      const key = ids.lastKey(id);
      const name = request.name ?? id;
      const arn = `${arns.expressPrefix}${name}:${id}`;
      const compiled = ctx.machineFor(machine.definition);
      const startedAt = clock.now();
      const input = request.value !== undefined ? request.value : (JSON.parse(request.input) as Json);
      first = aslStart(compiled, input, { executionArn: arn, name, stateMachineArn: arns.machineArn, stateMachineName: machine.name, roleArn: machine.roleArn }, ctx.env, stepOptions);
      x = {
        key,
        arn,
        machineName: machine.name,
        definition: machine.definition,
        machine: compiled,
        name,
        input: request.input,
        startedAt,
        state: undefined as unknown as ExecutionState,
        events: keepHistory ? [] : noEvents,
        tail: undefined,
        queued: 0,
        onEnd,
        waiters: undefined,
        timers: undefined,
        tokens: undefined,
        stoppedAt: undefined,
      };
    } catch (error) {
      failed(error);
      return;
    }
    ctx.inFlight.enter();
    first.then(
      (result) => {
        try {
          x.state = result.state;
          live.add(x);
          absorb(x, result);
          started?.(x);
        } catch (error) {
          failed(error);
        } finally {
          ctx.inFlight.leave();
        }
      },
      (error: unknown) => {
        ctx.inFlight.leave();
        failed(error);
      },
    );
  }

  return {
    start(machine, request, onEnd) {
      return new Promise<StartResult>((resolve, reject) => launch(machine, request, onEnd, (x) => resolve({ arn: x.arn, startedAt: x.startedAt, outcome: 'created' }), reject));
    },

    startSync(machine, request) {
      return new Promise<StoredExecution>((resolve, reject) => launch(machine, request, resolve, undefined, reject));
    },

    stop(arn, error, cause) {
      const x = live.running(arn);
      return x === undefined ? Promise.resolve(false) : deliver(x, { type: 'stopExecution', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    },

    async sendTaskResult(token, outcome) {
      const task = tokens.get(token);
      return task === undefined ? undefined : deliver(task.execution, outcomeEvent(task.taskId, outcome));
    },

    async awaitCompletion(arn) {
      const x = live.find(arn);
      if (x === undefined) throw new Error(`no execution ${arn} (Express executions are kept in memory only)`);
      if (x.state.status !== 'RUNNING') return new ExpressRecord(x);
      return new Promise((resolve) => (x.waiters ??= []).push(resolve));
    },

    async getExecution(arn) {
      const x = live.find(arn);
      return x === undefined ? undefined : new ExpressRecord(x);
    },

    async history(arn, query) {
      const events = live.find(arn)?.events ?? [];
      // Without `expressHistory` the list stays empty; the API refuses the call before asking.
      return pageOf(query.reverse === true ? [...events].reverse() : events, query);
    },

    close() {
      for (const x of live.runningOnes()) {
        if (x.timers !== undefined) for (const timer of x.timers.values()) timer.cancel();
        x.timers = undefined;
      }
    },
  };
}
