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
import { ExpressRecord, type ExpressExecution } from './express-execution.ts';
import { ExpressIds } from './express-ids.ts';
import { Live } from './express-live.ts';
import { failureEvent, outcomeEvent, type TaskCall } from './task-runner.ts';
import { pageOf } from './history-page.ts';

/**
 * How many finished executions stay describable. Few on purpose: kept longer than a young-GC cycle,
 * their objects would be promoted to the old generation, which measurably halves throughput.
 */
const RETAIN_FINISHED = 100;
/** Machines whose ARNs are kept (a cache: cleared when full). */
const ARN_CACHE = 200;


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


export function createExpressEngine(ctx: EngineContext): ExpressEngine {
  const { clock, logger } = ctx.deps;
  const keepHistory = ctx.deps.expressHistory === true;
  // Without `expressHistory` nobody reads the events: the interpreter does not build them.
  const stepOptions = { history: keepHistory };
  const ids = new ExpressIds(ctx.deps.uuid);
  const live = new Live<ExpressExecution>(RETAIN_FINISHED, ids);
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
