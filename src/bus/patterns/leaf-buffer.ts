/**
 * The leaves of one event on rule paths, as the flatteners (flatten-event.ts from a value,
 * flatten-event-text.ts from JSON text) produce them and the matcher reads them: parallel arrays,
 * reused from event to event so that flattening allocates nothing but the leaf values themselves.
 *
 * Concurrency: one buffer per matcher, filled and read within one synchronous `match` call.
 */
import type { Leaf } from './leaf.ts';

/** The arrays a leaf is inside, innermost first, as a shared linked list (cheap to extend). */
export interface ArrayChain {
  readonly array: number;
  readonly index: number;
  readonly parent: ArrayChain | undefined;
}

/** Whether two leaves can be chosen together: in every array both are inside, the same element. */
export function consistent(a: ArrayChain | undefined, b: ArrayChain | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  for (let x: ArrayChain | undefined = a; x !== undefined; x = x.parent) {
    for (let y: ArrayChain | undefined = b; y !== undefined; y = y.parent) {
      if (x.array === y.array && x.index !== y.index) return false;
    }
  }
  return true;
}

export class LeafBuffer {
  length = 0;
  /** Per leaf: the id of its path (see `PathNode.id`), its value, the arrays it is inside. */
  readonly paths: number[] = [];
  readonly values: Leaf[] = [];
  readonly arrays: (ArrayChain | undefined)[] = [];

  /**
   * Leaves per path as linked lists (`pathHead[path]`, then `pathNext[leaf]`), built on demand;
   * a head is valid only when its `pathStamp` equals the current `stamp`.
   */
  private readonly pathHead: Int32Array;
  private readonly pathStamp: Uint32Array;
  private readonly pathNext: number[] = [];
  private stamp = 0;
  private byPathBuilt = false;

  constructor(pathCount: number) {
    this.pathHead = new Int32Array(pathCount);
    this.pathStamp = new Uint32Array(pathCount);
  }

  clear(): void {
    this.length = 0;
    this.byPathBuilt = false;
  }

  push(path: number, value: Leaf, arrays: ArrayChain | undefined): void {
    const i = this.length++;
    this.paths[i] = path;
    this.values[i] = value;
    this.arrays[i] = arrays;
  }

  /** Drops leaves `[from, from + count)`, moving the later ones down (a duplicate key's earlier value). */
  remove(from: number, count: number): void {
    for (let i = from + count; i < this.length; i++) {
      this.paths[i - count] = this.paths[i] as number;
      this.values[i - count] = this.values[i] as Leaf;
      this.arrays[i - count] = this.arrays[i];
    }
    this.length -= count;
  }

  /** The first leaf at `path` (then `nextAtPath`), or -1. */
  firstAtPath(path: number): number {
    if (!this.byPathBuilt) this.buildByPath();
    return this.pathStamp[path] === this.stamp ? (this.pathHead[path] as number) : -1;
  }

  nextAtPath(leaf: number): number {
    return this.pathNext[leaf] ?? -1;
  }

  private buildByPath(): void {
    const head = this.pathHead;
    const stamps = this.pathStamp;
    if (++this.stamp === 0x1_0000_0000) {
      stamps.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    // inserted from the last leaf, so each list is in event order
    for (let i = this.length - 1; i >= 0; i--) {
      const p = this.paths[i] as number;
      this.pathNext[i] = stamps[p] === stamp ? (head[p] as number) : -1;
      stamps[p] = stamp;
      head[p] = i;
    }
    this.byPathBuilt = true;
  }
}
