/**
 * Query depth: the deepest chain of nested field selections, fragments expanded. Checked before
 * validation so a hostile 500-level query costs one AST walk, never a validation pass.
 * The walk is linear in the document: it stops descending past the limit, and each fragment's
 * own depth is computed once (fragments that spread the next one twice would otherwise cost
 * 2^n walks, before validation has had a chance to refuse anything).
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export function queryDepth(document: DocumentNode, limit: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fragmentDepths = new Map<string, number>();
  const visiting = new Set<string>();

  const fragmentDepth = (name: string): number => {
    const known = fragmentDepths.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Unknown and cyclic spreads add nothing here; validation refuses both.
    if (fragment === undefined || visiting.has(name)) return 0;
    visiting.add(name);
    const depth = depthOf(fragment.selectionSet, 0);
    visiting.delete(name);
    fragmentDepths.set(name, depth);
    return depth;
  };

  const depthOf = (set: SelectionSetNode, level: number): number => {
    if (level > limit) return level;
    let max = level;
    for (const sel of set.selections) {
      let depth: number;
      if (sel.kind === Kind.FIELD) depth = sel.selectionSet ? depthOf(sel.selectionSet, level + 1) : level + 1;
      else if (sel.kind === Kind.INLINE_FRAGMENT) depth = depthOf(sel.selectionSet, level);
      else depth = level + fragmentDepth(sel.name.value);
      if (depth > max) max = depth;
      if (max > limit) return max;
    }
    return max;
  };

  let max = 0;
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, depthOf(d.selectionSet, 0));
  return max;
}
