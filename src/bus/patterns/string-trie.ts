/**
 * A character trie walked once per text, collecting the codes stored along the way: `pre` codes
 * of every node the text passes (stored keys that are prefixes of the text) and `end` codes of
 * the node where the text ends (keys equal to the text). The walk is bounded by the text's
 * length, not by the number of keys. Keys are UTF-16 code units; suffix keys are stored reversed
 * and found by walking the text backwards, so no query builds a string. With `fold`, the walk
 * lower-cases ASCII letters of the text as it goes (the case-insensitive tries store folded keys).
 */
import type { IdList } from './id-list.ts';

interface TrieNode {
  /**
   * Children by code unit: `table[c - base]` for units in a dense range (one array read, no
   * hashing; most nodes have one child or a few letters or digits), the rest in `map`.
   */
  base: number;
  table: (TrieNode | undefined)[];
  map: Map<number, TrieNode> | undefined;
  /** Codes reported when a text passes through (or ends at) this node. */
  pre: number[] | undefined;
  /** Codes reported when a text ends at this node. */
  end: number[] | undefined;
}

/** The widest range of units a node's table spans; children beyond it go into the map. */
const MAX_TABLE = 64;

const node = (): TrieNode => ({ base: 0, table: [], map: undefined, pre: undefined, end: undefined });

function child(n: TrieNode, c: number): TrieNode | undefined {
  const i = c - n.base;
  if (i >= 0 && i < n.table.length) return n.table[i];
  return n.map === undefined ? undefined : n.map.get(c);
}

function addChild(n: TrieNode, c: number, kid: TrieNode): void {
  const table = n.table;
  if (table.length === 0) {
    n.base = c;
    table.push(kid);
    return;
  }
  const low = Math.min(n.base, c);
  const high = Math.max(n.base + table.length - 1, c);
  if (high - low >= MAX_TABLE) {
    (n.map ??= new Map()).set(c, kid);
    return;
  }
  // widen the table to [low, high] (explicit undefined keeps the array packed)
  while (n.base > low) {
    table.unshift(undefined);
    n.base--;
  }
  while (n.base + table.length <= high) table.push(undefined);
  table[c - n.base] = kid;
}

/** The code unit at `i`, lower-cased when it is an ASCII capital and `fold` is set. */
const unit = (text: string, i: number, fold: boolean): number => {
  const c = text.charCodeAt(i);
  return fold && c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
};

export class StringTrie {
  private readonly root: TrieNode = node();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Stores `code` to be reported for texts starting with `key` (`prefix`) or equal to it. */
  add(key: string, code: number, prefix: boolean): void {
    let n = this.root;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let next = child(n, c);
      if (next === undefined) addChild(n, c, (next = node()));
      n = next;
    }
    if (prefix) (n.pre ??= []).push(code);
    else (n.end ??= []).push(code);
    this.count++;
  }

  /** Appends to `out` the codes of the stored keys that are prefixes of `text` or equal to it. */
  walk(text: string, fold: boolean, out: IdList): void {
    let n: TrieNode | undefined = this.root;
    const length = text.length;
    for (let i = 0; ; i++) {
      const pre = n.pre;
      if (pre !== undefined) {
        if (pre.length === 1) out.push(pre[0] as number);
        else out.pushAll(pre);
      }
      if (i === length) break;
      n = child(n, unit(text, i, fold));
      if (n === undefined) return;
    }
    if (n.end !== undefined) out.pushAll(n.end);
  }

  /** The same for reversed keys, walking `text` from its end: suffixes of `text`, or all of it. */
  walkBack(text: string, fold: boolean, out: IdList): void {
    let n: TrieNode | undefined = this.root;
    for (let i = text.length - 1; ; i--) {
      const pre = n.pre;
      if (pre !== undefined) {
        if (pre.length === 1) out.push(pre[0] as number);
        else out.pushAll(pre);
      }
      if (i < 0) break;
      n = child(n, unit(text, i, fold));
      if (n === undefined) return;
    }
    if (n.end !== undefined) out.pushAll(n.end);
  }
}

export function reverse(text: string): string {
  let out = '';
  for (let i = text.length - 1; i >= 0; i--) out += text[i];
  return out;
}
