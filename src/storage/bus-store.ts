/**
 * The `BusStore` port: the event bus's configuration (buses, rules, targets). Events themselves
 * live in the `EventLog` (stream `bus:<name>`), not here.
 *
 * Guarantees every adapter gives:
 * - Every write resolves only once durable: it survives `kill -9` of the process.
 * - Each write is one transaction, and its precondition is checked inside it (a rule is only
 *   created on a bus that exists, targets only land on a rule that exists, limits are counted
 *   under the same lock), so concurrent calls cannot leave a rule on a deleted bus or six targets
 *   on a rule limited to five.
 * - The `default` bus always exists and cannot be deleted.
 * - Listings are in name order (targets: in id order), so pagination by "after this name" is stable.
 * The store knows no AWS semantics beyond that: validation and wire shapes live in `bus/`.
 */
import type { BusReplayStore } from './bus-replay-store.ts';

export const DEFAULT_BUS = 'default';

export interface StoredBus {
  readonly name: string;
  readonly description?: string;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface StoredRule {
  readonly bus: string;
  readonly name: string;
  /** The pattern exactly as given (AWS returns the stored text, not a normalised form). */
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StoredTarget {
  readonly id: string;
  /** The target as the API received it (a JSON object, text), echoed by ListTargetsByRule. */
  readonly config: string;
}

export type CreateBusOutcome = 'created' | 'exists' | 'limit';
export type PutRuleOutcome = 'created' | 'updated' | 'no-bus' | 'limit';
export type DeleteRuleOutcome = 'deleted' | 'absent' | 'has-targets';
export type PutTargetsOutcome = 'ok' | 'no-rule' | 'limit';

/** One (event, rule, target) delivery to make, as the dispatcher records it. */
export interface NewDeliveryJob {
  readonly bus: string;
  readonly rule: string;
  readonly targetId: string;
  /** The target's config (JSON text) when the event was matched: later edits do not change it. */
  readonly target: string;
  readonly eventId: string;
  /** The event envelope, JSON text. */
  readonly event: string;
  /** Ingestion time, ms since the epoch (the event's age is counted from it). */
  readonly eventTime: number;
  /** When to try first, ms since the epoch. */
  readonly nextAt: number;
}

/** What `enqueuePlanned` records: the cursor moves to `through`, the jobs are stored. */
export interface DeliveryPlan {
  readonly through: number;
  readonly jobs: readonly NewDeliveryJob[];
}

export interface DeliveryJob extends NewDeliveryJob {
  readonly id: number;
  /** Invocations made so far. */
  readonly attempts: number;
}

export type ExhaustedRetryCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

/** A delivery given up on, with the attributes AWS puts on a DLQ message. */
export interface DeadLetter {
  readonly bus: string;
  readonly rule: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly eventId: string;
  readonly event: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Absent when the failure was not retried at all (e.g. NO_RESOURCE). */
  readonly exhaustedRetryCondition?: ExhaustedRetryCondition;
  readonly retryAttempts: number;
  readonly at: number;
  /** The target's config when the event was matched (JSON text), so a redrive needs nothing else. */
  readonly target?: string;
  readonly eventTime?: number;
}

export interface StoredDeadLetter extends DeadLetter {
  readonly id: number;
}

/** One invocation of a target for an event, kept for `trace`. */
export interface AttemptRecord {
  readonly eventId: string;
  readonly bus: string;
  readonly rule: string;
  readonly targetId: string;
  /** 1 for the first invocation. */
  readonly attempt: number;
  readonly at: number;
  /** What came of it: delivered, failed (and retried later), dead-lettered, or deferred (not invoked). */
  readonly outcome: 'delivered' | 'failed' | 'dead-lettered' | 'deferred';
  readonly code?: string;
  readonly message?: string;
}

export interface RedriveResult {
  readonly jobs: readonly DeliveryJob[];
  /** Ids that are not (or no longer) dead letters. */
  readonly unknown: readonly number[];
}

/**
 * Delivery state: a cursor per bus over `bus:<name>`, pending jobs, dead letters.
 * Guarantees, on top of the ones above:
 * - `enqueueDeliveries` writes the jobs and moves the cursor in ONE transaction, so after a crash
 *   either both happened or neither (the events are read again: at-least-once, never lost).
 * - Pending jobs survive restarts; `completeDelivery` and `deadLetter` remove the job in the same
 *   transaction that records the outcome.
 */
export interface DeliveryStateStore {
  /** Last offset of `bus:<name>` whose matches are recorded; 0 at first. */
  getCursor(bus: string): Promise<number>;
  enqueueDeliveries(bus: string, through: number, jobs: readonly NewDeliveryJob[]): Promise<readonly DeliveryJob[]>;
  /**
   * `enqueueDeliveries` decided inside its own write: `plan(cursor)` runs synchronously in the
   * transaction with the bus's cursor as of that transaction and answers how far to move it and
   * the jobs to record, or undefined to write nothing (then this answers undefined). Queued right
   * behind an event-log append in the same turn, it commits with the append. `plan` must not throw.
   */
  enqueuePlanned(bus: string, plan: (cursor: number) => DeliveryPlan | undefined): Promise<readonly DeliveryJob[] | undefined>;
  /** Every pending job, oldest first. */
  pendingDeliveries(): Promise<readonly DeliveryJob[]>;
  /** A failed attempt: counts it and sets the next try. `log`, when given, is kept for trace in the same transaction. */
  recordAttempt(id: number, attempts: number, nextAt: number, log?: AttemptRecord): Promise<void>;
  completeDelivery(id: number, log?: AttemptRecord): Promise<void>;
  deadLetter(id: number, letter: DeadLetter, log?: AttemptRecord): Promise<void>;
  /** A bus's dead letters, oldest first, after id `after`, at most `limit` (default 100). */
  listDeadLetters(bus: string, query?: { readonly after?: number; readonly limit?: number }): Promise<readonly StoredDeadLetter[]>;
  getDeadLetter(id: number): Promise<StoredDeadLetter | undefined>;
  /**
   * Turns dead letters back into pending jobs (attempts from 0, due at `now`, the event's age
   * counted from `now`) and removes them, in
   * one transaction. A letter stored without its target config takes the rule's current target
   * with the same id; when that is gone too, the letter stays and its id is reported unknown.
   */
  redriveDeadLetters(ids: readonly number[], now: number): Promise<RedriveResult>;
  /** Deletes dead letters for good; answers how many there were. */
  deleteDeadLetters(ids: readonly number[]): Promise<number>;
  /** Every recorded attempt for an event id, in order. */
  listAttempts(eventId: string): Promise<readonly AttemptRecord[]>;
  /**
   * Retention: of the `limit` oldest attempt records, deletes those made before `before` (ms), in
   * one short transaction, and answers how many (fewer than `limit`: the oldest left are newer).
   * Records are kept in about time order, so the cost follows the records deleted.
   */
  trimAttempts(before: number, limit: number): Promise<number>;
  /**
   * Grows on every change of buses, rules or targets made through this store (in memory: this
   * process is the only writer), so a dispatcher recompiles its rules only when they changed.
   */
  configVersion(): number;
}

export interface BusStore extends DeliveryStateStore, BusReplayStore {
  getBus(name: string): Promise<StoredBus | undefined>;
  /** Buses whose name starts with `prefix`, after `after` (exclusive), at most `limit`. */
  listBuses(query: { readonly prefix?: string; readonly after?: string; readonly limit: number }): Promise<readonly StoredBus[]>;
  /** `limit` when `maxBuses` buses (the default one included) already exist. */
  createBus(bus: StoredBus, maxBuses: number): Promise<CreateBusOutcome>;
  /** Deletes a custom bus with its rules and their targets; absent buses are a no-op. */
  deleteBus(name: string): Promise<void>;

  getRule(bus: string, name: string): Promise<StoredRule | undefined>;
  listRules(bus: string, query: { readonly prefix?: string; readonly after?: string; readonly limit: number }): Promise<readonly StoredRule[]>;
  /**
   * Creates or replaces a rule; its targets are kept on replace. On replace `createdAt` is kept
   * from the stored rule. `limit` when the bus already has `maxRules` other rules.
   */
  putRule(rule: StoredRule, maxRules: number): Promise<PutRuleOutcome>;
  /** Refuses (`has-targets`) while the rule has targets. */
  deleteRule(bus: string, name: string): Promise<DeleteRuleOutcome>;
  /** false when the rule does not exist. */
  setRuleState(bus: string, name: string, state: RuleState, now: number): Promise<boolean>;

  /** undefined when the rule does not exist. */
  listTargets(bus: string, rule: string): Promise<readonly StoredTarget[] | undefined>;
  /** Adds or replaces (by id) targets; `limit` when the rule would end up with more than `maxTargets`. */
  putTargets(bus: string, rule: string, targets: readonly StoredTarget[], maxTargets: number): Promise<PutTargetsOutcome>;
  /** Removes the targets with these ids (unknown ids are ignored); false when the rule does not exist. */
  removeTargets(bus: string, rule: string, ids: readonly string[]): Promise<boolean>;
}
