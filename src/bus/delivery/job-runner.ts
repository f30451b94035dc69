/**
 * Runs recorded delivery jobs: builds each target's input, invokes it, and records the outcome
 * (done, retry later, or dead letter). Retries wait on Clock timers, so a pending job costs
 * nothing until it is due, and tests drive them with a VirtualClock.
 *
 * An attempt's outcome whose store write fails (the database is down, say) is written again,
 * backing off from 250 ms to 10 s, until it is stored: dropped, the job would wait for the next
 * start (embedded) or for its lease to run out (cluster). The target is not invoked again for it.
 *
 * Concurrency contract: jobs run independently (no order between them, as on AWS); one job has
 * at most one attempt in flight, because an attempt schedules the next only after it finished.
 * `stop` cancels waiting retries, ends the pauses of outcomes being written again, and awaits the
 * attempts in flight; the jobs stay stored and are resumed by the next `schedule` of
 * `pendingDeliveries()`.
 */
import { ChurnMap, type Clock, type Logger, merged, RetryPauses, type Timer } from '../../core/index.ts';
import type { AttemptRecord, DeliveryJob, DeliveryStateStore } from '../../storage/index.ts';
import type { EventEnvelope } from '../envelope/index.ts';
import { ruleArn } from '../rules/index.ts';
import { compileTargetInput, type TargetBody } from '../transform/index.ts';
import { nextRetry, retryPolicyOf } from './retry-policy.ts';
import { parseTargetConfig, type TargetConfig } from './target-config.ts';
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';

export interface JobRunnerDeps {
  readonly store: DeliveryStateStore;
  readonly clock: Clock;
  readonly invoke: TargetInvoker;
  readonly logger: Logger;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
}

export interface JobRunner {
  schedule(job: DeliveryJob): void;
  /** Jobs waiting for a retry or running. */
  readonly size: number;
  stop(): Promise<void>;
}

interface Compiled {
  readonly target: TargetConfig;
  readonly body: TargetBody;
}

/** Compiled targets kept by config text; bounded because configs change over a long run. */
const MAX_COMPILED = 1_000;

/** What an attempt came to: the store write that records it, and the job to run again, if any. */
interface Settled {
  readonly write: () => Promise<unknown>;
  readonly retry?: DeliveryJob;
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const random = deps.random ?? Math.random;
  // ChurnMaps: an entry per delivery job, come and gone (`core/churn-map.ts`).
  const waiting = new ChurnMap<number, Timer>();
  const running = new ChurnMap<number, Promise<void>>();
  const compiled = new Map<string, Compiled>();
  const pauses = new RetryPauses(deps.clock);
  let stopped = false;

  const compile = (text: string): Compiled => {
    let c = compiled.get(text);
    if (c === undefined) {
      const target = parseTargetConfig(text);
      c = { target, body: compileTargetInput(target.input) };
      if (compiled.size >= MAX_COMPILED) compiled.clear();
      compiled.set(text, c);
    }
    return c;
  };

  const logOf = (job: DeliveryJob, attempt: number, outcome: AttemptRecord['outcome'], detail: { readonly code?: string; readonly message?: string }): AttemptRecord => ({
    eventId: job.eventId,
    bus: job.bus,
    rule: job.rule,
    targetId: job.targetId,
    attempt,
    at: deps.clock.now(),
    outcome,
    ...detail,
  });

  const run = (job: DeliveryJob): void => {
    waiting.delete(job.id);
    if (stopped || running.has(job.id)) return;
    const attempt = attemptOnce(job)
      .then((settled) => record(job, settled))
      .then(
        (retry) => {
          running.delete(job.id);
          if (retry !== undefined) schedule(retry);
        },
        (error: unknown) => {
          running.delete(job.id);
          deps.logger.log('error', 'event bus delivery failed unexpectedly; the job runs again on the next start', { job: job.id, error });
        },
      );
    running.set(job.id, attempt);
  };

  const schedule = (job: DeliveryJob): void => {
    if (stopped || waiting.has(job.id) || running.has(job.id)) return;
    const delay = job.nextAt - deps.clock.now();
    if (delay <= 0) run(job);
    else waiting.set(job.id, deps.clock.setTimer(delay, () => run(job)));
  };

  /**
   * Writes an attempt's outcome, again and again while the store refuses it (see the header);
   * answers the job to run again, if any. Stopped meanwhile: the job runs again on the next start.
   */
  async function record(job: DeliveryJob, settled: Settled): Promise<DeliveryJob | undefined> {
    const stored = await pauses.persist(settled.write, () => stopped, (error, retryInMs) => {
      if (retryInMs !== undefined) deps.logger.log('error', 'event bus delivery could not store its outcome; written again', { job: job.id, retryInMs, error });
    });
    if (stored) return settled.retry;
    deps.logger.log('warn', 'event bus delivery outcome not stored before the stop; the job runs again on the next start', { job: job.id });
    return undefined;
  }

  /** One invocation; answers how to record its outcome. */
  async function attemptOnce(job: DeliveryJob): Promise<Settled> {
    let outcome: InvokeOutcome;
    let target: TargetConfig | undefined;
    try {
      const c = compile(job.target);
      target = c.target;
      const event = JSON.parse(job.event) as EventEnvelope;
      const input = c.body(event, {
        ruleArn: ruleArn({ accountId: event.account, region: event.region }, job.bus, job.rule),
        ruleName: job.rule,
        ingestionTime: new Date(job.eventTime).toISOString(),
      });
      // AWS delivers nothing when the transformed text is not JSON (docs/transformers.md).
      if (input === undefined) {
        const log = logOf(job, job.attempts, 'delivered', { code: 'NOT_SENT', message: 'the transformed input is not JSON; nothing was sent' });
        return { write: () => deps.store.completeDelivery(job.id, log) };
      }
      outcome = await deps.invoke(c.target, input, job);
    } catch (error) {
      // A bug or a config that cannot compile: retrying may help the former, so it is retried.
      outcome = { ok: false, code: 'INTERNAL_FAILURE', message: error instanceof Error ? error.message : String(error), retryable: target !== undefined };
    }
    return settle(job, outcome, target);
  }

  /** The store write for `outcome` (decided once: a retry's jittered time does not change when the write is tried again). */
  function settle(job: DeliveryJob, outcome: InvokeOutcome, target: TargetConfig | undefined): Settled {
    if (outcome.ok) {
      const log = logOf(job, job.attempts + 1, 'delivered', outcome.note !== undefined ? { message: outcome.note } : {});
      return { write: () => deps.store.completeDelivery(job.id, log) };
    }
    const failure = { code: outcome.code, message: outcome.message };
    if (outcome.deferUntil !== undefined) {
      const deferUntil = outcome.deferUntil;
      const log = logOf(job, job.attempts, 'deferred', failure);
      return { write: () => deps.store.recordAttempt(job.id, job.attempts, deferUntil, log), retry: merged(job, { nextAt: deferUntil }) };
    }
    const attempts = job.attempts + 1;
    const letter = { bus: job.bus, rule: job.rule, targetId: job.targetId, targetArn: target?.arn ?? '', eventId: job.eventId, event: job.event, errorCode: outcome.code, errorMessage: outcome.message, target: job.target, eventTime: job.eventTime };
    if (!outcome.retryable) {
      const dead = merged(letter, { retryAttempts: attempts - 1, at: deps.clock.now() });
      const log = logOf(job, attempts, 'dead-lettered', failure);
      return { write: () => deps.store.deadLetter(job.id, dead, log) };
    }
    const decision = nextRetry(retryPolicyOf(target ?? parseTargetConfig(job.target)), { attempts, eventTime: job.eventTime, now: deps.clock.now() }, random);
    if (decision.kind === 'give-up') {
      const dead = merged(letter, { exhaustedRetryCondition: decision.condition, retryAttempts: decision.retries, at: deps.clock.now() });
      const log = logOf(job, attempts, 'dead-lettered', failure);
      return { write: () => deps.store.deadLetter(job.id, dead, log) };
    }
    const log = logOf(job, attempts, 'failed', failure);
    return { write: () => deps.store.recordAttempt(job.id, attempts, decision.at, log), retry: merged(job, { attempts, nextAt: decision.at }) };
  }

  return {
    schedule,
    get size() {
      return waiting.size + running.size;
    },
    async stop() {
      stopped = true;
      for (const timer of waiting.values()) timer.cancel();
      waiting.clear();
      pauses.wakeAll();
      await Promise.all(running.values());
    },
  };
}
