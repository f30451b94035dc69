import type { JsonValue } from '../envelope/index.ts';

/** What a path yields when the event has nothing at it (distinct from a JSON `null`). */
export const MISSING: unique symbol = Symbol('missing');
export type PathResult = JsonValue | typeof MISSING;

/** Reads one compiled path from a parsed event. */
export type PathReader = (root: JsonValue) => PathResult;

type Step =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

// A dot-notation member: anything but the characters that delimit steps. AWS documents letters,
// digits, `-`, `_` and `/`; we accept any other character too rather than guess its rules.
const MEMBER = /^[^.[\]\s*][^.[\]\s]*/;
const INDEX = /^\[(\d+)\]/;

/**
 * Compiles the JSONPath subset EventBridge documents for InputPath and InputPathsMap: `$`, dot
 * members, `[n]` indexes and `*` / `[*]` wildcards. Returns undefined for anything else
 * (bracket member names, filters, slices, recursive descent), which callers report.
 *
 * A path without wildcards is definite: it yields one value or MISSING. A path with a wildcard
 * yields the array of everything it reaches (possibly empty), as Jayway JsonPath does.
 */
export function compileJsonPath(path: string): PathReader | undefined {
  const steps = parseSteps(path);
  if (steps === undefined) return undefined;
  if (steps.length === 0) return (root) => root;
  if (steps.some((s) => s.kind === 'wildcard')) return (root) => collect(root, steps, 0, []);
  return (root) => walk(root, steps);
}

function parseSteps(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('[*]') || rest.startsWith('.*')) {
      steps.push({ kind: 'wildcard' });
      rest = rest.slice(rest[0] === '[' ? 3 : 2);
      continue;
    }
    const index = INDEX.exec(rest);
    if (index !== null) {
      steps.push({ kind: 'index', index: Number(index[1]) });
      rest = rest.slice(index[0].length);
      continue;
    }
    if (!rest.startsWith('.')) return undefined;
    const member = MEMBER.exec(rest.slice(1));
    if (member === null) return undefined;
    steps.push({ kind: 'key', key: member[0] });
    rest = rest.slice(1 + member[0].length);
  }
  return steps;
}

function walk(root: JsonValue, steps: readonly Step[]): PathResult {
  let node: JsonValue = root;
  for (const step of steps) {
    const next = child(node, step);
    if (next === MISSING) return MISSING;
    node = next;
  }
  return node;
}

function child(node: JsonValue, step: Step): PathResult {
  if (step.kind === 'key') {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return MISSING;
    // Own properties only: an event key named `constructor` must not reach Object.prototype.
    return Object.hasOwn(node, step.key) ? ((node as Record<string, JsonValue>)[step.key] as JsonValue) : MISSING;
  }
  if (step.kind === 'index') {
    if (!Array.isArray(node) || step.index >= node.length) return MISSING;
    return (node as readonly JsonValue[])[step.index] as JsonValue;
  }
  return MISSING;
}

function collect(node: JsonValue, steps: readonly Step[], at: number, out: JsonValue[]): JsonValue[] {
  const step = steps[at];
  if (step === undefined) {
    out.push(node);
    return out;
  }
  if (step.kind === 'wildcard') {
    if (node !== null && typeof node === 'object') {
      const children = Array.isArray(node) ? (node as readonly JsonValue[]) : Object.values(node);
      for (const c of children) collect(c, steps, at + 1, out);
    }
    return out;
  }
  const next = child(node, step);
  if (next !== MISSING) collect(next, steps, at + 1, out);
  return out;
}
