/**
 * Standard executions: the pure interpreter driven over the `WorkflowStore`.
 *
 * Promise: each transition is stored exactly once; side effects at least once. A step is computed
 * from the execution's state, then its new state, history, timers and pending tasks are committed
 * in one transaction (compare-and-set on the event counter); only then are its effects started. A
 * task whose result was not committed before a crash is invoked again on `resume` (at least once);
 * a timer is a stored row, fired by one clock timer armed for the earliest row, so a waiting
 * execution costs no CPU.
 *
 * The state of a running execution is kept in memory (a bounded cache, LIVE_CACHE) so that a task
 * result is applied without reading and parsing the row again. The cache is only a shortcut: the
 * commit still compares the event counter, and on a mismatch the row is read again and the step
 * recomputed. An execution whose step only started a timer is not kept: it may wait for hours.
 *
 * Concurrency contract: steps of one execution are serialized (a per-execution queue); steps of
 * different executions interleave. A task report whose commit fails is tried again (backing off)
 * until it is applied or the engine stops. After `stop` no timer is armed and no task report is
 * applied; tasks whose result was not committed run again on the next `resume`.
 *
 * Several nodes on one store (cluster mode, `timerClaims` and `taskClaims`, `cluster-claims.ts`):
 * timers are claimed (each fires on one node) and polled, and `resume` runs only the tasks of
 * dead nodes, not every pending one. Steps of one execution on two nodes are serialized by the
 * store's compare-and-set: the loser reads the execution again and recomputes.
 */
import { ChurnMap, createTimeOrderedIdGenerator, merged, RetryPauses, type Mutable, type Timer } from '../../core/index.ts';
import type { StepCommit, StoredExecution, StoredTask } from '../../storage/index.ts';
import { redriveExecution as aslRedrive, startExecution as aslStart, step, type ExecutionEvent, type ExecutionState, type Json, type Machine, type StepResult } from '../asl/index.ts';
import { createClusterClaims } from './cluster-claims.ts';
import { executionArn, stateMachineArn, type EngineContext, type ExecutionRunner } from './engine-context.ts';
import { pageOfBlocks } from './history-page.ts';
import { toCommit, type TaskInvocationRecord } from './step-commit.ts';
import { restoreState, startTimeInRow } from './stored-state.ts';
import { outcomeEvent, runTaskCall, type TaskCall } from './task-runner.ts';

const MAX_TIMER_MS = 60 * 60 * 1000;
const TIMER_PAGE = 500;
const LIVE_CACHE = 4096;
const COMMIT_ATTEMPTS = 3;

type Meta = Pick<StoredExecution, 'arn' | 'machine' | 'name' | 'definition' | 'input' | 'startedAt' | 'redriveCount'>;

/** An execution as the last commit left it. */
interface Live {
  readonly meta: Meta;
  readonly machine: Machine;
  state: ExecutionState;
  nextEventId: number;
  /** The row's `started_at` is the state's start time: the stored text leaves it out (`stored-state.ts`). */
  readonly startTimeInRow: boolean;
}

export interface DurableEngine extends ExecutionRunner {
  /** Runs the tasks left pending and arms the timer for the stored ones. */
  resume(): Promise<void>;
  /** Runs a FAILED/TIMED_OUT/ABORTED execution again from where it stopped; false when it cannot be redriven. */
  redrive(arn: string): Promise<boolean>;
  disarm(): void;
  /** After `disarm` and the last work: gives this node's task lease up (cluster mode). */
  leave(): Promise<void>;
}

const metaOf = (e: StoredExecution): Meta => ({ arn: e.arn, machine: e.machine, name: e.name, definition: e.definition, input: e.input, startedAt: e.startedAt, redriveCount: e.redriveCount });

/**
 * The execution row a start stores. Written out, not `{ ...meta, status, ... }` (`core/objects.ts`
 * says why): on this path the spread tripled the GC time of every Standard start.
 */
const newExecution = (meta: Meta, c: StepCommit): StoredExecution => ({
  arn: meta.arn,
  machine: meta.machine,
  name: meta.name,
  definition: meta.definition,
  input: meta.input,
  startedAt: meta.startedAt,
  redriveCount: meta.redriveCount,
  status: c.status,
  state: c.state,
  nextEventId: c.nextEventId,
});

/** The execution as its last commit stored it (what `getExecution` would read back). */
function finishedRecord(meta: Meta, c: StepCommit): StoredExecution {
  const record: Mutable<StoredExecution> = newExecution(meta, c);
  if (c.output !== undefined) record.output = c.output;
  if (c.error !== undefined) record.error = c.error;
  if (c.cause !== undefined) record.cause = c.cause;
  if (c.stoppedAt !== undefined) record.stoppedAt = c.stoppedAt;
  return record;
}

export function createDurableEngine(ctx: EngineContext): DurableEngine {
  const { store, clock, logger } = ctx.deps;
  /**
   * Names of executions started without one. AWS gives such an execution a random UUID; so do we,
   * in the UUID version 7 layout (start time first): still a UUID to every client, but the store's
   * (machine, name) index grows at its end instead of taking a random page per new execution.
   */
  const newName = createTimeOrderedIdGenerator(clock);
  // ChurnMaps, not Maps: an entry per running execution, come and gone (`core/churn-map.ts`).
  const live = new ChurnMap<string, Live>();
  const queues = new ChurnMap<string, Promise<unknown>>();
  const waiters = new ChurnMap<string, ((e: StoredExecution) => void)[]>();
  let armed: { readonly at: number; readonly timer: Timer } | undefined;
  const { timerClaims, taskClaims } = ctx.deps;
  /** Cluster mode: tasks running here, so a task claimed while it runs here is not run twice. */
  const runningTasks = new Set<string>();
  /** Backoffs of task reports being tried again; the stop ends them. */
  const pauses = new RetryPauses(clock);
  const cluster = timerClaims === undefined && taskClaims === undefined
    ? undefined
    : createClusterClaims({
        clock,
        logger,
        ...(timerClaims !== undefined ? { timers: timerClaims } : {}),
        ...(taskClaims !== undefined ? { tasks: taskClaims } : {}),
        stopped: ctx.stopped,
        track: (work) => ctx.inFlight.track(work),
        sweepTimers: () => sweepTimers(),
        runTasks: (tasks) => tasks.forEach(runStoredTask),
      });
  /** Cluster mode: this node's task lease is stored before its first step records a task. */
  const ready = taskClaims === undefined || cluster === undefined ? undefined : () => cluster.ready();

  /**
   * Runs `fn` after every step already queued for `arn` (whether they succeeded or failed). One
   * reaction per call both counts the work out and drops the queue once it is empty: this runs
   * twice per execution at least.
   */
  function serialized<T>(arn: string, fn: () => Promise<T>): Promise<T> {
    const previous = queues.get(arn);
    const next = previous === undefined ? fn() : previous.then(fn, fn);
    queues.set(arn, next);
    ctx.inFlight.enter();
    const settled = (): void => {
      if (queues.get(arn) === next) queues.delete(arn);
      ctx.inFlight.leave();
    };
    next.then(settled, settled);
    return next;
  }

  async function load(arn: string): Promise<Live | undefined> {
    const e = await store.getExecution(arn);
    const state = e === undefined || e.status !== 'RUNNING' ? undefined : restoreState(e.state, e);
    if (e === undefined || state === undefined) return undefined;
    return { meta: metaOf(e), machine: ctx.machineFor(e.definition), state, nextEventId: e.nextEventId, startTimeInRow: startTimeInRow(e.startedAt, state) };
  }

  function keep(arn: string, entry: Live): void {
    live.delete(arn);
    if (live.size >= LIVE_CACHE) {
      const oldest = live.keys().next();
      if (oldest.done !== true) live.delete(oldest.value);
    }
    live.set(arn, entry);
  }

  /** After a commit: remember the new state, then start what the step asked for. */
  function committed(entry: Live, result: StepResult, commit: StepCommit): void {
    const arn = entry.meta.arn;
    entry.state = result.state;
    entry.nextEventId = commit.nextEventId;
    if (commit.status !== 'RUNNING') {
      live.delete(arn);
      const list = waiters.get(arn);
      if (list !== undefined) {
        waiters.delete(arn);
        const record = finishedRecord(entry.meta, commit);
        for (const resolve of list) resolve(record);
      }
      return;
    }
    let startsTask = false;
    let startsTimer = false;
    for (const effect of result.effects) {
      if (effect.type === 'invokeTask') {
        startsTask = true;
        runTask(arn, effect);
      } else if (effect.type === 'startTimer') {
        startsTimer = true;
        arm(effect.dueAt);
      }
    }
    // Waiting for a timer only (a Wait, a retry's backoff): it may wait for hours; not kept.
    if (startsTimer && !startsTask) live.delete(arn);
    else keep(arn, entry);
  }

  /** Applies one event to a stored execution; answers false when it is not running or nothing waited for it. */
  function advance(arn: string, event: ExecutionEvent): Promise<boolean> {
    return serialized(arn, async () => {
      if (ready !== undefined) await ready();
      for (let attempt = 1; ; attempt++) {
        if (ctx.stopped()) return false;
        const entry = live.get(arn) ?? (await load(arn));
        if (entry === undefined) return false;
        const result = await step(entry.machine, entry.state, event, ctx.env);
        const commit = toCommit({ arn, nextEventId: entry.nextEventId, startTimeInRow: entry.startTimeInRow }, result, event, clock.now());
        if (await store.commitStep(commit)) {
          committed(entry, result, commit);
          return !result.ignored;
        }
        // The stored execution moved on without this queue (another process): read it again.
        live.delete(arn);
        if (attempt >= COMMIT_ATTEMPTS) throw new Error(`execution ${arn} kept changing under its queue`);
      }
    });
  }

  function runTask(arn: string, call: TaskCall): void {
    if (ctx.stopped()) return;
    let key: string | undefined;
    if (taskClaims !== undefined) {
      key = `${arn}\n${call.taskId}`;
      if (runningTasks.has(key)) return;
      runningTasks.add(key);
    }
    const ran = runTaskCall(call, ctx.integration).then((event) => (event === undefined ? undefined : report(arn, call.taskId, event)));
    void ctx.inFlight.track(
      key === undefined
        ? ran
        : ran.finally(() => {
            runningTasks.delete(key);
          }),
    );
  }

  /**
   * Applies a task's outcome. A failed commit (the store's outage, a writer thread that died) is
   * tried again, backing off, for as long as the engine runs: the outcome is known, and dropping
   * it would leave the execution waiting for a task nobody runs until the next start (in a
   * cluster, where this live node holds the task, until this node restarts). After a stop, the
   * task runs again on the next start.
   */
  async function report(arn: string, taskId: string, event: ExecutionEvent): Promise<void> {
    const applied =
      !ctx.stopped() &&
      (await pauses.persist(() => advance(arn, event), ctx.stopped, (error, retryInMs) => {
        if (retryInMs !== undefined) logger.log('error', 'workflow task report failed; tried again', { execution: arn, task: taskId, retryInMs, error });
      }));
    if (!applied) logger.log('warn', 'workflow task report not applied before the stop; the task runs again on the next start', { execution: arn, task: taskId });
  }

  function runStoredTask(task: StoredTask): void {
    runTask(task.execution, JSON.parse(task.invocation) as TaskInvocationRecord);
  }

  function arm(at: number): void {
    if (ctx.stopped() || (armed !== undefined && armed.at <= at)) return;
    armed?.timer.cancel();
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, at - clock.now()));
    armed = { at, timer: clock.setTimer(wait, () => void ctx.inFlight.track(fireTimers())) };
  }

  function fireTimers(): Promise<void> {
    armed = undefined;
    return sweepTimers();
  }

  /** Fires the due timers (claimed ones in cluster mode), then arms the clock timer for the next. */
  async function sweepTimers(): Promise<void> {
    if (ctx.stopped()) return;
    try {
      for (;;) {
        const due = timerClaims === undefined ? await store.dueTimers(clock.now(), TIMER_PAGE) : await timerClaims.claimDue(clock.now(), TIMER_PAGE);
        await Promise.all(due.map((t) => advance(t.execution, { type: 'timerFired', timerId: t.timerId })));
        if (due.length < TIMER_PAGE) break;
      }
    } catch (error) {
      logger.log('error', 'workflow timers failed; retried in a second', { error });
      arm(clock.now() + 1000);
      return;
    }
    const next = await store.nextTimerAt();
    // Cluster mode: a timer due now is claimed by another node (or it would have come): the poll
    // takes it if that node dies; arming for it would spin.
    if (next !== undefined && (timerClaims === undefined || next > clock.now())) arm(next);
  }

  async function awaitCompletion(arn: string): Promise<StoredExecution> {
    // Registered before the read, so that an end committed meanwhile is not missed.
    let resolveEnd!: (e: StoredExecution) => void;
    const ended = new Promise<StoredExecution>((resolve) => (resolveEnd = resolve));
    const list = waiters.get(arn) ?? [];
    list.push(resolveEnd);
    waiters.set(arn, list);
    const current = await store.getExecution(arn);
    if (current === undefined || current.status !== 'RUNNING') {
      const left = (waiters.get(arn) ?? []).filter((r) => r !== resolveEnd);
      if (left.length > 0) waiters.set(arn, left);
      else waiters.delete(arn);
      if (current === undefined) throw new Error(`no execution ${arn}`);
      return current;
    }
    return ended;
  }

  return {
    async resume() {
      // Tasks whose outcome was not committed run again (at least once). A callback task is sent
      // again too: whether its integration call got out before the stop is not known.
      // In cluster mode only those of dead nodes: the others are running on their nodes.
      if (taskClaims === undefined) for (const task of await store.pendingTasks()) runStoredTask(task);
      else if (cluster !== undefined) {
        await cluster.ready();
        await cluster.claimTasks();
      }
      await fireTimers();
      cluster?.start();
    },

    disarm() {
      armed?.timer.cancel();
      armed = undefined;
      cluster?.disarm();
      pauses.wakeAll();
    },

    async leave() {
      await cluster?.leave();
    },

    async start(machine, request, onEnd) {
      const scope = ctx.deps.scope();
      const name = request.name ?? (ctx.deps.uuid !== undefined ? ctx.deps.uuid() : newName());
      const arn = executionArn(scope, machine.name, name);
      const compiled = ctx.machineFor(machine.definition);
      const roleArn = machine.roleArn;
      const result = await aslStart(compiled, request.value !== undefined ? request.value : (JSON.parse(request.input) as Json), { executionArn: arn, name, stateMachineArn: stateMachineArn(scope, machine.name), stateMachineName: machine.name, roleArn }, ctx.env);
      const now = clock.now();
      // The row's start time is the one `$$.Execution.StartTime` shows (and the stored state leaves out).
      const startedAt = Date.parse(result.state.execution.startTime);
      const commit = toCommit({ arn, nextEventId: 1, startTimeInRow: true }, result, undefined, now);
      const meta: Meta = { arn, machine: machine.name, name, definition: machine.definition, input: request.input, startedAt, redriveCount: 0 };
      const outcome = await serialized(arn, async () => {
        if (ready !== undefined) await ready();
        const created = await store.createExecution(newExecution(meta, commit), commit);
        if (created === 'created') {
          if (onEnd !== undefined) waiters.set(arn, [onEnd]);
          committed({ meta, machine: compiled, state: result.state, nextEventId: commit.nextEventId, startTimeInRow: true }, result, commit);
        }
        return created;
      });
      if (outcome === 'created') return { arn, startedAt, outcome };
      const stored = await store.getExecution(arn);
      if (onEnd !== undefined && stored !== undefined) void awaitCompletion(arn).then(onEnd);
      return { arn, startedAt: stored?.startedAt ?? startedAt, outcome };
    },

    redrive(arn) {
      return serialized(arn, async () => {
        if (ctx.stopped()) return false;
        if (ready !== undefined) await ready();
        const execution = await store.getExecution(arn);
        // No stored state: a SUCCEEDED execution, never redriven anyway (see stored-state.ts).
        const state = execution === undefined ? undefined : restoreState(execution.state, execution);
        if (execution === undefined || state === undefined) return false;
        const machine = ctx.machineFor(execution.definition);
        const result = await aslRedrive(machine, state, ctx.env);
        if (result === undefined) return false;
        const redriveCount = result.state.execution.redriveCount;
        const inRow = startTimeInRow(execution.startedAt, result.state);
        const commit: StepCommit = merged(toCommit({ arn, nextEventId: execution.nextEventId, startTimeInRow: inRow }, result, undefined, clock.now()), { redriveCount });
        if (!(await store.commitStep(commit))) throw new Error(`execution ${arn} changed under its own queue`);
        committed({ meta: merged(metaOf(execution), { redriveCount }), machine, state: result.state, nextEventId: commit.nextEventId, startTimeInRow: inRow }, result, commit);
        return true;
      });
    },

    stop(arn, error, cause) {
      return advance(arn, { type: 'stopExecution', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    },

    async sendTaskResult(token, outcome) {
      const task = await store.taskByToken(token);
      if (task === undefined) return undefined;
      return advance(task.execution, outcomeEvent((JSON.parse(task.invocation) as TaskInvocationRecord).taskId, outcome));
    },

    awaitCompletion,

    getExecution: (arn) => store.getExecution(arn),
    history: async (arn, query) => pageOfBlocks(await store.history(arn, query), query),
  };
}
