/**
 * The reference matcher: deliberately naive and kept that way. It lists every leaf of the event,
 * expands the pattern's `$or`s, and for each sub-rule searches for one leaf per field such that no
 * two chosen leaves sit in different elements of the same array (array consistency); a field
 * satisfied by `exists: false` needs every leaf at its path to sit in another element. Its cost
 * grows with rules, fields and leaves; it exists so the compiled matcher can be checked against it.
 */
import { expandPattern } from './expand-pattern.ts';
import { isLeaf, isRecord, type Leaf } from './leaf.ts';
import { leafMatches } from './leaf-predicate.ts';
import type { Pattern, PatternField } from './pattern.ts';

interface NaiveLeaf {
  readonly path: string;
  readonly value: Leaf;
  /** (array id, element index) for every array the leaf is inside, outermost first. */
  readonly arrays: readonly (readonly [number, number])[];
}

function listLeaves(event: unknown): NaiveLeaf[] {
  const out: NaiveLeaf[] = [];
  let nextArrayId = 0;
  const walk = (value: unknown, path: string, arrays: readonly (readonly [number, number])[]): void => {
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      value.forEach((item, index) => walk(item, path, [...arrays, [id, index]]));
    } else if (isLeaf(value)) {
      if (path !== '') out.push({ path, value, arrays });
    } else if (isRecord(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`, arrays);
    }
  };
  walk(event, '', []);
  return out;
}

function consistent(a: NaiveLeaf, b: NaiveLeaf): boolean {
  return a.arrays.every(([id, index]) => b.arrays.every(([id2, index2]) => id !== id2 || index === index2));
}

function subRuleMatches(fields: readonly PatternField[], leaves: readonly NaiveLeaf[]): boolean {
  // for each field: the leaves it may use, plus null when it may be satisfied by absence
  const options: (NaiveLeaf | null)[][] = [];
  const atPaths: NaiveLeaf[][] = [];
  for (const field of fields) {
    const atPath = leaves.filter((l) => l.path === field.path);
    const usable: (NaiveLeaf | null)[] = atPath.filter((l) => field.conditions.some((c) => leafMatches(c, l.value)));
    if (field.conditions.some((c) => c.kind === 'exists' && !c.value)) usable.push(null);
    if (usable.length === 0) return false;
    options.push(usable);
    atPaths.push(atPath);
  }
  const chosen: NaiveLeaf[] = [];
  const absent: number[] = [];
  // `exists: false` holds when no leaf at the path fits in the same array elements as the leaves
  // chosen for the other fields (so it is judged once every other field has its leaf).
  const absencesHold = (): boolean =>
    absent.every((i) => (atPaths[i] ?? []).every((l) => chosen.some((c) => !consistent(c, l))));
  const search = (i: number): boolean => {
    const opts = options[i];
    if (opts === undefined) return absencesHold();
    for (const leaf of opts) {
      if (leaf === null) {
        absent.push(i);
        if (search(i + 1)) return true;
        absent.pop();
      } else if (chosen.every((c) => consistent(c, leaf))) {
        chosen.push(leaf);
        if (search(i + 1)) return true;
        chosen.pop();
      }
    }
    return false;
  };
  return search(0);
}

export function matchesNaive(pattern: Pattern, event: unknown): boolean {
  const leaves = listLeaves(event);
  return expandPattern(pattern).some((s) => subRuleMatches(s.fields, leaves));
}
