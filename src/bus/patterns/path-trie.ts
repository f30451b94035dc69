/**
 * The field paths the rules use, as a trie the flatteners walk key by key. A path is the event's
 * keys joined with `.`, where a key under the root *is* the path (so a root key `""` leads back to
 * the root, and `{"a.b": 1}` and `{"a": {"b": 1}}` both reach `a.b`). A node exists for every rule
 * path and each of its `.`-prefixes; an event subtree with no node is skipped unread.
 */

export interface PathNode {
  /** The path this node stands for (`''` for the root). */
  readonly path: string;
  /**
   * When leaves here are kept (the path of some rule field; never the root): the path's position
   * in the list given to `buildPathTrie`, which the matcher uses to index its per-path tables.
   * Else -1.
   */
  id: number;
  /** The keys leading to other nodes, parallel to `nodes` (a key may contain dots). */
  readonly keys: string[];
  /** The same keys as code units, compared in place with the event text's units (no `charCodeAt`). */
  readonly keyUnits: Uint16Array[];
  readonly nodes: PathNode[];
  readonly byKey: Map<string, PathNode>;
  /** Positions in `keys` by key length (keys shorter than SHORT_KEY), so a key is found without a substring. */
  readonly byLength: (number[] | undefined)[];
}

/** Keys at least this long are looked up by substring in `byKey`. */
const SHORT_KEY = 64;

/** Up to this many keys of one length are compared in place; more go through `byKey`. */
const SCAN_KEYS = 8;

const newNode = (path: string): PathNode => ({ path, id: -1, keys: [], keyUnits: [], nodes: [], byKey: new Map(), byLength: [] });

function link(from: PathNode, key: string, to: PathNode): void {
  if (from.byKey.has(key)) return;
  from.byKey.set(key, to);
  if (key.length < SHORT_KEY) {
    while (from.byLength.length <= key.length) from.byLength.push(undefined);
    (from.byLength[key.length] ??= []).push(from.keys.length);
  }
  from.keys.push(key);
  const units = new Uint16Array(key.length);
  for (let i = 0; i < key.length; i++) units[i] = key.charCodeAt(i);
  from.keyUnits.push(units);
  from.nodes.push(to);
}

/** Builds the trie of `paths` (distinct, none empty: the root is never kept). */
export function buildPathTrie(paths: readonly string[]): PathNode {
  const root = newNode('');
  const nodes = new Map<string, PathNode>([['', root]]);
  const nodeFor = (path: string): PathNode => {
    let n = nodes.get(path);
    if (n === undefined) nodes.set(path, (n = newNode(path)));
    return n;
  };
  link(root, '', root);
  paths.forEach((path, id) => {
    if (path !== '') nodeFor(path).id = id;
  });
  // every prefix T (a path or a `.`-prefix of one) is reached from the root by the key T, and from
  // each of its own non-empty `.`-prefixes X by the rest of T after `X.` (under the root, the key is
  // the whole path: no `.` is added)
  const prefixes = new Set<string>();
  for (const path of paths) {
    for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) prefixes.add(path.slice(0, i));
    prefixes.add(path);
  }
  for (const t of prefixes) {
    const target = nodeFor(t);
    link(root, t, target);
    for (let i = t.indexOf('.', 1); i >= 0; i = t.indexOf('.', i + 1)) link(nodeFor(t.slice(0, i)), t.slice(i + 1), target);
  }
  return root;
}

/**
 * The node reached from `node` by the key `text.slice(start, end)` (no escapes in it), if any;
 * `units` are the text's code units (code-units.ts), compared in place.
 */
export function childAt(node: PathNode, units: Uint16Array, text: string, start: number, end: number): PathNode | undefined {
  const length = end - start;
  if (length >= SHORT_KEY) return node.byKey.get(text.slice(start, end));
  const bucket = node.byLength[length];
  if (bucket === undefined) return undefined;
  if (bucket.length > SCAN_KEYS) return node.byKey.get(text.slice(start, end));
  const keys = node.keyUnits;
  for (let b = 0; b < bucket.length; b++) {
    const i = bucket[b] as number;
    const key = keys[i] as Uint16Array;
    let k = 0;
    while (k < length && key[k] === units[start + k]) k++;
    if (k === length) return node.nodes[i];
  }
  return undefined;
}
