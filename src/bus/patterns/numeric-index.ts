/**
 * Numeric ranges of all rules on one field, answering "which ranges contain v?" with a binary
 * search and one root-to-leaf walk of a segment tree (O(log R + hits)), whatever the number R of
 * ranges. Built once; the compiled matcher is immutable.
 */
import type { IdList } from './id-list.ts';
import type { NumericBound } from './pattern.ts';

interface Range {
  readonly lower: NumericBound | undefined;
  readonly upper: NumericBound | undefined;
  readonly slot: number;
}

export class NumericIndex {
  private readonly ranges: Range[] = [];
  private bounds: number[] = [];
  /** Segment tree over elementary positions 0..2m: even = open gap, odd = a boundary value. */
  private tree: number[][] = [];
  private width = 0;

  get size(): number {
    return this.ranges.length;
  }

  add(lower: NumericBound | undefined, upper: NumericBound | undefined, slot: number): void {
    this.ranges.push({ lower, upper, slot });
  }

  build(): void {
    const values = new Set<number>();
    for (const r of this.ranges) {
      if (r.lower !== undefined) values.add(r.lower.value);
      if (r.upper !== undefined) values.add(r.upper.value);
    }
    this.bounds = [...values].sort((a, b) => a - b);
    this.width = 2 * this.bounds.length + 1;
    this.tree = [];
    for (const r of this.ranges) {
      const from = r.lower === undefined ? 0 : 2 * this.boundIndex(r.lower.value) + (r.lower.inclusive ? 1 : 2);
      const to = r.upper === undefined ? this.width - 1 : 2 * this.boundIndex(r.upper.value) + (r.upper.inclusive ? 1 : 0);
      if (from <= to) this.insert(1, 0, this.width - 1, from, to, r.slot);
    }
  }

  private boundIndex(v: number): number {
    let lo = 0;
    let hi = this.bounds.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.bounds[mid] ?? 0;
      if (b === v) return mid;
      if (b < v) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private insert(nodeIndex: number, lo: number, hi: number, from: number, to: number, slot: number): void {
    if (to < lo || hi < from) return;
    if (from <= lo && hi <= to) {
      (this.tree[nodeIndex] ??= []).push(slot);
      return;
    }
    const mid = (lo + hi) >> 1;
    this.insert(2 * nodeIndex, lo, mid, from, to, slot);
    this.insert(2 * nodeIndex + 1, mid + 1, hi, from, to, slot);
  }

  /** Appends to `out` the slot of every range containing `v`. */
  query(v: number, out: IdList): void {
    if (this.ranges.length === 0) return;
    // position of v among the bounds: 2i+1 when equal to bound i, else the gap before the first larger bound
    let lo = 0;
    let hi = this.bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.bounds[mid] ?? 0) < v) lo = mid + 1;
      else hi = mid;
    }
    const position = this.bounds[lo] === v ? 2 * lo + 1 : 2 * lo;
    let nodeIndex = 1;
    let l = 0;
    let h = this.width - 1;
    for (;;) {
      const slots = this.tree[nodeIndex];
      if (slots !== undefined) out.pushAll(slots);
      if (l === h) return;
      const mid = (l + h) >> 1;
      if (position <= mid) {
        nodeIndex = 2 * nodeIndex;
        h = mid;
      } else {
        nodeIndex = 2 * nodeIndex + 1;
        l = mid + 1;
      }
    }
  }
}
