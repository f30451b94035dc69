/**
 * Flattening an event value once into (path, leaf) pairs for the compiled matcher. Only paths some
 * rule can use are visited: a subtree whose path is not a prefix of a rule path is skipped unread.
 * `TextScanner` (flatten-event-text.ts) does the same from JSON text.
 * Each leaf records the array elements it sits in, for the array-consistency rule.
 */
import type { ArrayChain, LeafBuffer } from './leaf-buffer.ts';
import { isLeaf, isRecord } from './leaf.ts';
import type { PathNode } from './path-trie.ts';

/** Flattens the event along the rule paths of `root` (see path-trie.ts for how keys join) into `out`. */
export function flattenEvent(event: unknown, root: PathNode, out: LeafBuffer): void {
  out.clear();
  walk(event, root, undefined, out, { next: 0 });
}

function walk(value: unknown, node: PathNode, arrays: ArrayChain | undefined, out: LeafBuffer, counter: { next: number }): void {
  if (Array.isArray(value)) {
    const array = counter.next++;
    for (let i = 0; i < value.length; i++) walk(value[i], node, { array, index: i, parent: arrays }, out, counter);
  } else if (isLeaf(value)) {
    if (node.id >= 0) out.push(node.id, value, arrays);
  } else if (isRecord(value)) {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const child = node.byKey.get(key);
      if (child !== undefined) walk(value[key], child, arrays, out, counter);
    }
  }
}
