/**
 * Query depth: the deepest chain of nested field selections, fragments expanded. Checked before
 * validation so a hostile 500-level query costs one AST walk, never a validation pass.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export function queryDepth(document: DocumentNode, limit: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const depthOf = (set: SelectionSetNode | undefined, level: number, seen: ReadonlySet<string>): number => {
    if (set === undefined || level > limit) return level;
    let max = level;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        max = Math.max(max, sel.selectionSet ? depthOf(sel.selectionSet, level + 1, seen) : level + 1);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(sel.selectionSet, level, seen));
      } else {
        const name = sel.name.value;
        const frag = fragments.get(name);
        if (frag !== undefined && !seen.has(name)) max = Math.max(max, depthOf(frag.selectionSet, level, new Set([...seen, name])));
      }
      if (max > limit) return max;
    }
    return max;
  };
  let max = 0;
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, depthOf(d.selectionSet, 0, new Set()));
  return max;
}
