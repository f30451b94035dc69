/**
 * Flattening an event once into (path, leaf) pairs for the compiled matcher. Only paths some rule
 * can use are visited: a subtree whose path is not a prefix of a rule path is skipped unread.
 * `flattenEventText` (flatten-event-text.ts) does the same from JSON text.
 * Each leaf records the array elements it sits in, for the array-consistency rule.
 */
import { isLeaf, isRecord, type Leaf } from './leaf.ts';
import type { PathNode } from './path-trie.ts';

/** The arrays a leaf is inside, innermost first, as a shared linked list (cheap to extend). */
export interface ArrayChain {
  readonly array: number;
  readonly index: number;
  readonly parent: ArrayChain | undefined;
}

export interface FlatLeaf {
  readonly path: string;
  readonly value: Leaf;
  readonly arrays: ArrayChain | undefined;
}

export interface FlatEvent {
  readonly leaves: readonly FlatLeaf[];
  /** Leaf indices per path. */
  readonly byPath: ReadonlyMap<string, readonly number[]>;
}

/** Whether two leaves can be chosen together: in every array both are inside, the same element. */
export function consistent(a: FlatLeaf, b: FlatLeaf): boolean {
  for (let x = a.arrays; x !== undefined; x = x.parent) {
    for (let y = b.arrays; y !== undefined; y = y.parent) {
      if (x.array === y.array && x.index !== y.index) return false;
    }
  }
  return true;
}

/** Flattens the event along the rule paths of `root` (see path-trie.ts for how keys join). */
export function flattenEvent(event: unknown, root: PathNode): FlatEvent {
  const leaves: FlatLeaf[] = [];
  const byPath = new Map<string, number[]>();
  let nextArray = 0;
  const walk = (value: unknown, node: PathNode, arrays: ArrayChain | undefined): void => {
    if (Array.isArray(value)) {
      const array = nextArray++;
      for (let i = 0; i < value.length; i++) walk(value[i], node, { array, index: i, parent: arrays });
    } else if (isLeaf(value)) {
      if (!node.keep) return;
      const list = byPath.get(node.path);
      if (list === undefined) byPath.set(node.path, [leaves.length]);
      else list.push(leaves.length);
      leaves.push({ path: node.path, value, arrays });
    } else if (isRecord(value)) {
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const child = node.byKey.get(key);
        if (child !== undefined) walk(value[key], child, arrays);
      }
    }
  };
  walk(event, root, undefined);
  return { leaves, byPath };
}
