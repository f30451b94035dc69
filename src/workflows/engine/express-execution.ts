/**
 * An Express execution as the engine holds it in memory, and `ExpressRecord`, its view as the
 * store's record type (what DescribeExecution and StartSyncExecution answer).
 */
import type { Timer } from '../../core/index.ts';
import type { StoredExecution } from '../../storage/index.ts';
import type { ExecutionState, HistoryEvent, Machine } from '../asl/index.ts';

export interface ExpressExecution {
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

/**
 * The execution as the store's record type, a snapshot taken when it is made (the interpreter never
 * mutates a state it returned: each step makes a new one). Fields are read from the execution on
 * demand, so that an execution whose record nobody reads costs nothing; the output and the state
 * are serialized on first read only.
 */
export class ExpressRecord implements StoredExecution {
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
