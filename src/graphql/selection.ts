/**
 * `ctx.info.selectionSetList` and `selectionSetGraphQL` as AppSync computes them: the list holds
 * every selected field path below the resolved field (`products`, `products/name`), fragments
 * expanded, `__typename` left out; the GraphQL text is the printed selection set. Both depend only
 * on the (cached) field node, so they are computed once per node.
 */
import { Kind, print, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface SelectionInfo {
  readonly list: readonly string[];
  readonly graphql: string;
}

const cache = new WeakMap<FieldNode, SelectionInfo>();

export function selectionInfo(node: FieldNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>): SelectionInfo {
  let info = cache.get(node);
  if (info === undefined) {
    const list: string[] = [];
    collect(node.selectionSet, '', fragments, list, new Set());
    info = { list: Object.freeze(list), graphql: node.selectionSet ? print(node.selectionSet) : '' };
    cache.set(node, info);
  }
  return info;
}

function collect(set: SelectionSetNode | undefined, prefix: string, fragments: Readonly<Record<string, FragmentDefinitionNode>>, out: string[], seen: Set<string>): void {
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === '__typename') continue;
      const path = prefix + sel.name.value;
      if (!out.includes(path)) out.push(path);
      collect(sel.selectionSet, `${path}/`, fragments, out, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, prefix, fragments, out, seen);
    } else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      collect(fragments[sel.name.value]?.selectionSet, prefix, fragments, out, seen);
      seen.delete(sel.name.value);
    }
  }
}
