/**
 * The field paths the rules use, as a trie the flatteners walk key by key. A path is the event's
 * keys joined with `.`, where a key under the root *is* the path (so a root key `""` leads back to
 * the root, and `{"a.b": 1}` and `{"a": {"b": 1}}` both reach `a.b`). A node exists for every rule
 * path and each of its `.`-prefixes; an event subtree with no node is skipped unread.
 */

export interface PathNode {
  /** The path this node stands for (`''` for the root). */
  readonly path: string;
  /** Whether leaves here are kept: the path of some rule field (never the root). */
  keep: boolean;
  /** The keys leading to other nodes, parallel to `nodes` (a key may contain dots). */
  readonly keys: string[];
  readonly nodes: PathNode[];
  readonly byKey: Map<string, PathNode>;
}

const newNode = (path: string): PathNode => ({ path, keep: false, keys: [], nodes: [], byKey: new Map() });

function link(from: PathNode, key: string, to: PathNode): void {
  if (from.byKey.has(key)) return;
  from.byKey.set(key, to);
  from.keys.push(key);
  from.nodes.push(to);
}

export function buildPathTrie(rulePaths: Iterable<string>): PathNode {
  const paths = [...rulePaths];
  const root = newNode('');
  const nodes = new Map<string, PathNode>([['', root]]);
  const nodeFor = (path: string): PathNode => {
    let n = nodes.get(path);
    if (n === undefined) nodes.set(path, (n = newNode(path)));
    return n;
  };
  link(root, '', root);
  for (const path of paths) {
    if (path !== '') nodeFor(path).keep = true;
  }
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

/** Up to this many keys a node is searched by comparing text in place (no substring). */
const SCAN_KEYS = 8;

/** The node reached from `node` by the key `text.slice(start, end)` (no escapes in it), if any. */
export function childAt(node: PathNode, text: string, start: number, end: number): PathNode | undefined {
  const keys = node.keys;
  if (keys.length > SCAN_KEYS) return node.byKey.get(text.slice(start, end));
  const length = end - start;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key.length === length && text.startsWith(key, start)) return node.nodes[i];
  }
  return undefined;
}
