/** The Express engine's table of the executions it can describe (`Live`, below). */
import { ChurnMap } from '../../core/index.ts';
import type { ExpressIds } from './express-ids.ts';

/** What the table reads of an execution. */
export interface LiveExecution {
  /** Its `ExpressIds` key. */
  readonly key: number | string;
  readonly arn: string;
  /** Undefined while it runs. */
  readonly stoppedAt: number | undefined;
}

/** Slots of `Live`'s table (a power of two). */
const SLOTS = 4096;

/** The slot of an integer key; -1 for a string key (those are kept in the map). */
const slotOf = (key: number | string): number => (typeof key === 'number' ? key & (SLOTS - 1) : -1);

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
 * executions later) and a string key (an injected `uuid()`) go to a `ChurnMap` (more than SLOTS
 * executions at once put one entry there per execution).
 */
export class Live<X extends LiveExecution> {
  readonly #ids: ExpressIds;
  readonly #slots: (X | undefined)[] = new Array<X | undefined>(SLOTS).fill(undefined);
  readonly #others = new ChurnMap<number | string, X>();
  readonly #ring: (X | undefined)[];
  #next = 0;

  constructor(size: number, ids: ExpressIds) {
    this.#ids = ids;
    this.#ring = new Array<X | undefined>(size).fill(undefined);
  }

  /** The execution of `arn` (its id is the ARN's last part). */
  find(arn: string): X | undefined {
    const key = this.#ids.keyOf(arn.slice(arn.lastIndexOf(':') + 1));
    const x = key === undefined ? undefined : this.#get(key);
    return x !== undefined && x.arn === arn ? x : undefined;
  }

  running(arn: string): X | undefined {
    const x = this.find(arn);
    return x !== undefined && x.stoppedAt === undefined ? x : undefined;
  }

  add(x: X): void {
    const slot = slotOf(x.key);
    if (slot >= 0 && this.#slots[slot] === undefined) this.#slots[slot] = x;
    else this.#others.set(x.key, x);
  }

  /** `x` finished: kept among the last `size`, or forgotten at once when `size` is 0. */
  finished(x: X): void {
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

  *runningOnes(): Iterable<X> {
    for (const x of this.#slots) if (x !== undefined && x.stoppedAt === undefined) yield x;
    for (const x of this.#others.values()) if (x.stoppedAt === undefined) yield x;
  }

  #get(key: number | string): X | undefined {
    const slot = slotOf(key);
    const x = slot >= 0 ? this.#slots[slot] : undefined;
    return x !== undefined && x.key === key ? x : this.#others.get(key);
  }

  #forget(x: X): void {
    const slot = slotOf(x.key);
    if (slot >= 0 && this.#slots[slot] === x) this.#slots[slot] = undefined;
    // A reused id (an injected uuid()) may name a newer execution now.
    else if (this.#others.get(x.key) === x) this.#others.delete(x.key);
  }
}
