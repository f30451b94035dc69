/**
 * A character trie walked once per text, collecting the codes stored along the way: `pre` codes
 * of every node the text passes (stored keys that are prefixes of the text) and `end` codes of
 * the node where the text ends (keys equal to the text). The walk is bounded by the text's
 * length, not by the number of keys. Keys are UTF-16 code units; suffix keys are stored reversed
 * and found by walking the text backwards, so no query builds a string. With `fold`, the walk
 * lower-cases ASCII letters of the text as it goes (the case-insensitive tries store folded keys)
 * and gives up on meeting a unit beyond ASCII.
 *
 * Keys are added to a tree of objects; `build` then lays the trie out flat in typed arrays, which
 * is what the walks read: a walk step is a few reads of adjacent integers instead of a chain of
 * objects (node, table, code list) scattered over the heap, and chains of single-child nodes are
 * collapsed into labels compared in one loop (on the citylots benchmark events, 22 dependent
 * child lookups per event instead of 47).
 *
 * A stored key can carry a tag (`setTag`, after `build`) that `walk` returns for a text equal to
 * the key: the owner's precomputed answer for that text (see field-index.ts).
 *
 * Concurrency: built once, then only walked; a walk keeps no state in the trie.
 */
import type { IdList } from './id-list.ts';

interface BuildNode {
  /** Children: `kids[i]` by code unit `units[i]` (few per node: a linear search, no map per node). */
  readonly units: number[];
  readonly kids: BuildNode[];
  /** Codes reported when a text passes through (or ends at) this node. */
  pre: number[] | undefined;
  /** Codes reported when a text ends at this node. */
  end: number[] | undefined;
}

const buildNode = (): BuildNode => ({ units: [], kids: [], pre: undefined, end: undefined });

/**
 * The flat layout: node `n` (a multiple of NODE) is `nodes[n .. n + NODE)`:
 * - BASE, SPAN, KIDS: the children of units `BASE .. BASE + SPAN - 1` are `kids[KIDS + unit - BASE]`
 *   (a node offset, or -1), one array read and no hashing; units beyond the widest range
 *   (MAX_SPAN) are in the node's map in `wide` (WIDE: its index, or -1);
 * - PRE, PRE_COUNT and END, END_COUNT: the node's codes in `codes`;
 * - LABEL, LABEL_LENGTH: the units after the one leading here (in walking order) that a text must
 *   continue with to arrive here, in `labels` (the collapsed chain, see `build`);
 * - TAG: a number the owner attached to the node's key (`setTag`), else UNTAGGED.
 */
const BASE = 0;
const SPAN = 1;
const KIDS = 2;
const PRE = 3;
const PRE_COUNT = 4;
const END = 5;
const END_COUNT = 6;
const WIDE = 7;
const LABEL = 8;
const LABEL_LENGTH = 9;
const TAG = 10;
const NODE = 11;

/** What `walk` returns when the text is not a tagged key. */
export const UNTAGGED = -1;
/** What `walk` returns, with `fold`, when it met a unit beyond ASCII (its codes are then incomplete). */
export const NOT_ASCII = -2;

/** The widest range of units a node's table spans; children beyond it go into a map. */
const MAX_SPAN = 64;

export class StringTrie {
  private root: BuildNode | undefined = buildNode();
  private count = 0;
  private nodes = new Int32Array(NODE);
  private kids = new Int32Array(0);
  private codes = new Int32Array(0);
  private wide: Map<number, number>[] = [];
  private labels = new Uint16Array(0);

  get size(): number {
    return this.count;
  }

  /** Stores `code` to be reported for texts starting with `key` (`prefix`) or equal to it. */
  add(key: string, code: number, prefix: boolean): void {
    if (this.root === undefined) throw new Error('StringTrie: add after build');
    let n: BuildNode = this.root;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      const k = n.units.indexOf(c);
      if (k >= 0) n = n.kids[k] as BuildNode;
      else {
        const next = buildNode();
        n.units.push(c);
        n.kids.push(next);
        n = next;
      }
    }
    if (prefix) (n.pre ??= []).push(code);
    else (n.end ??= []).push(code);
    this.count++;
  }

  /** Lays the trie out for walking; no key can be added afterwards. */
  build(): void {
    const root = this.root;
    if (root === undefined) return;
    this.root = undefined;
    // Chains of nodes with one child and no codes are collapsed: the edge into a chain leads
    // straight to its last node, whose label holds the units of the rest of the chain, compared
    // in one loop (independent reads) instead of one dependent child lookup per unit.
    const target = (n: BuildNode, label: number[]): BuildNode => {
      while (n.pre === undefined && n.end === undefined && n.kids.length === 1) {
        label.push(n.units[0] as number);
        n = n.kids[0] as BuildNode;
      }
      return n;
    };
    // breadth-first: a node's children get consecutive offsets, near each other
    const order: BuildNode[] = [root];
    const labelOf: number[][] = [[]];
    const kidsOf: [number, number][][] = [];
    for (let i = 0; i < order.length; i++) {
      const byUnit: [number, number][] = [];
      const n = order[i] as BuildNode;
      for (let k = 0; k < n.kids.length; k++) {
        const unit = n.units[k] as number;
        const kid = n.kids[k] as BuildNode;
        const label: number[] = [];
        byUnit.push([unit, order.length * NODE]);
        order.push(target(kid, label));
        labelOf.push(label);
      }
      kidsOf.push(byUnit.sort((x, y) => x[0] - y[0]));
    }
    const nodes = new Int32Array(order.length * NODE);
    const kids: number[] = [];
    const codes: number[] = [];
    const labels: number[] = [];
    order.forEach((n, i) => {
      const at = i * NODE;
      const byUnit = kidsOf[i] as [number, number][];
      // the table spans the widest run of units within MAX_SPAN of its first; the rest go to a map
      let best = 0;
      let bestCount = 0;
      for (let a = 0, b = 0; a < byUnit.length; a++) {
        while (b < byUnit.length && (byUnit[b] as [number, number])[0] - (byUnit[a] as [number, number])[0] < MAX_SPAN) b++;
        if (b - a > bestCount) {
          best = a;
          bestCount = b - a;
        }
      }
      const base = byUnit.length === 0 ? 0 : (byUnit[best] as [number, number])[0];
      const span = byUnit.length === 0 ? 0 : (byUnit[best + bestCount - 1] as [number, number])[0] - base + 1;
      nodes[at + BASE] = base;
      nodes[at + SPAN] = span;
      nodes[at + KIDS] = kids.length;
      for (let u = 0; u < span; u++) kids.push(-1);
      let wide: Map<number, number> | undefined;
      for (const [unit, offset] of byUnit) {
        if (unit >= base && unit < base + span) kids[(nodes[at + KIDS] as number) + unit - base] = offset;
        else (wide ??= new Map()).set(unit, offset);
      }
      nodes[at + WIDE] = wide === undefined ? -1 : this.wide.push(wide) - 1;
      nodes[at + PRE] = codes.length;
      nodes[at + PRE_COUNT] = n.pre?.length ?? 0;
      for (const code of n.pre ?? []) codes.push(code);
      nodes[at + END] = codes.length;
      nodes[at + END_COUNT] = n.end?.length ?? 0;
      for (const code of n.end ?? []) codes.push(code);
      const label = labelOf[i] as number[];
      nodes[at + LABEL] = labels.length;
      nodes[at + LABEL_LENGTH] = label.length;
      for (const unit of label) labels.push(unit);
      nodes[at + TAG] = UNTAGGED;
    });
    this.nodes = nodes;
    this.kids = Int32Array.from(kids);
    this.codes = Int32Array.from(codes);
    this.labels = Uint16Array.from(labels);
  }

  /** The child of node `n` by unit `c`, or -1. */
  private child(n: number, c: number): number {
    const nodes = this.nodes;
    const i = c - (nodes[n + BASE] as number);
    if (i >= 0 && i < (nodes[n + SPAN] as number)) return this.kids[(nodes[n + KIDS] as number) + i] as number;
    const wide = nodes[n + WIDE] as number;
    return wide < 0 ? -1 : ((this.wide[wide] as Map<number, number>).get(c) ?? -1);
  }

  /**
   * Attaches `tag` (a number >= 0) to the stored key `key`, for `walk` to return on a text equal
   * to it; false when `key` is not a stored key.
   */
  setTag(key: string, tag: number): boolean {
    if (this.root !== undefined) this.build();
    const nodes = this.nodes;
    let n = 0;
    for (let i = 0; i < key.length; i++) {
      n = this.child(n, key.charCodeAt(i));
      if (n < 0) return false;
      const count = nodes[n + LABEL_LENGTH] as number;
      for (let k = 0; k < count; k++) {
        if (key.charCodeAt(++i) !== this.labels[(nodes[n + LABEL] as number) + k]) return false;
      }
    }
    if ((nodes[n + END_COUNT] as number) === 0 && (nodes[n + PRE_COUNT] as number) === 0) return false;
    nodes[n + TAG] = tag;
    return true;
  }

  /**
   * Appends to `out` the codes of the stored keys that are prefixes of `text` or equal to it.
   * Returns the tag of `text` when it is a tagged key (see `setTag`), else UNTAGGED; with `fold`,
   * NOT_ASCII when the walk met a unit beyond ASCII (its codes are then incomplete: the caller
   * walks the text's `foldCase` form instead).
   */
  walk(text: string, fold: boolean, out: IdList): number {
    if (this.root !== undefined) this.build();
    const nodes = this.nodes;
    const codes = this.codes;
    const length = text.length;
    let n = 0;
    for (let i = 0; ; i++) {
      const pre = nodes[n + PRE_COUNT] as number;
      if (pre !== 0) out.pushRange(codes, nodes[n + PRE] as number, pre);
      if (i === length) break;
      let c = text.charCodeAt(i);
      if (fold) {
        if (c >= 0x80) return NOT_ASCII;
        if (c >= 0x41 && c <= 0x5a) c += 0x20;
      }
      n = this.child(n, c);
      if (n < 0) return UNTAGGED;
      const count = nodes[n + LABEL_LENGTH] as number;
      if (count !== 0) {
        // a text ending inside the chain reports nothing (its inner nodes hold no codes), unless
        // folding the rest of it would change its length
        if (i + count >= length) return !fold || ascii(text, i + 1, length) ? UNTAGGED : NOT_ASCII;
        const labels = this.labels;
        const label = (nodes[n + LABEL] as number) - i - 1;
        for (let k = i + 1; k <= i + count; k++) {
          let d = text.charCodeAt(k);
          if (fold) {
            if (d >= 0x80) return NOT_ASCII;
            if (d >= 0x41 && d <= 0x5a) d += 0x20;
          }
          if (d !== labels[label + k]) return UNTAGGED;
        }
        i += count;
      }
    }
    const end = nodes[n + END_COUNT] as number;
    if (end !== 0) out.pushRange(codes, nodes[n + END] as number, end);
    return nodes[n + TAG] as number;
  }

  /** The same for reversed keys, walking `text` from its end: suffixes of `text`, or all of it. */
  walkBack(text: string, fold: boolean, out: IdList): boolean {
    if (this.root !== undefined) this.build();
    const nodes = this.nodes;
    const codes = this.codes;
    let n = 0;
    for (let i = text.length - 1; ; i--) {
      const pre = nodes[n + PRE_COUNT] as number;
      if (pre !== 0) out.pushRange(codes, nodes[n + PRE] as number, pre);
      if (i < 0) break;
      let c = text.charCodeAt(i);
      if (fold) {
        if (c >= 0x80) return false;
        if (c >= 0x41 && c <= 0x5a) c += 0x20;
      }
      n = this.child(n, c);
      if (n < 0) return true;
      const count = nodes[n + LABEL_LENGTH] as number;
      if (count !== 0) {
        if (i - count < 0) return !fold || ascii(text, 0, i);
        const labels = this.labels;
        const label = (nodes[n + LABEL] as number) + i - 1;
        for (let k = i - 1; k >= i - count; k--) {
          let d = text.charCodeAt(k);
          if (fold) {
            if (d >= 0x80) return false;
            if (d >= 0x41 && d <= 0x5a) d += 0x20;
          }
          if (d !== labels[label - k]) return true;
        }
        i -= count;
      }
    }
    const end = nodes[n + END_COUNT] as number;
    if (end !== 0) out.pushRange(codes, nodes[n + END] as number, end);
    return true;
  }
}

/** Whether `text[from, to)` is ASCII. */
function ascii(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

export function reverse(text: string): string {
  let out = '';
  for (let i = text.length - 1; i >= 0; i--) out += text[i];
  return out;
}
