/**
 * `ctx.info.selectionSetList` and `selectionSetGraphQL` as AppSync computes them: the list holds
 * every selected field path below the resolved field by response key (an alias replaces the
 * name: `secondTitle`, `author/name`), fragments expanded, `__typename` left out. Only fields
 * that belong to the type at each level are listed: a fragment on another type (`... on Blog`
 * under an interface `Node`) is skipped. The GraphQL text is the printed selection set, fragment
 * spreads kept as written. Both depend only on the (cached) field node, so they are computed once
 * per node.
 */
import { getNamedType, isInterfaceType, isObjectType, Kind, print, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLOutputType, type SelectionSetNode } from 'graphql';

export interface SelectionInfo {
  readonly list: readonly string[];
  readonly graphql: string;
}

const cache = new WeakMap<FieldNode, SelectionInfo>();

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** `returnType`: the resolved field's type; without it no fragment is filtered out by type. */
export function selectionInfo(node: FieldNode, fragments: Fragments, returnType?: GraphQLOutputType): SelectionInfo {
  let info = cache.get(node);
  if (info === undefined) {
    const list: string[] = [];
    collect(node.selectionSet, '', returnType === undefined ? undefined : getNamedType(returnType), fragments, list, new Set());
    info = { list: Object.freeze(list), graphql: node.selectionSet ? print(node.selectionSet) : '' };
    cache.set(node, info);
  }
  return info;
}

/**
 * For all the nodes graphql-js merged into one field (`{ a { x } a { y } }` resolves `a` once):
 * their paths together. Merged sets are not cached, since `@skip`/`@include` may vary them per request.
 */
export function mergedSelectionInfo(nodes: readonly FieldNode[], fragments: Fragments, returnType?: GraphQLOutputType): SelectionInfo {
  const [first, ...rest] = nodes;
  if (first === undefined) return { list: [], graphql: '' };
  const info = selectionInfo(first, fragments, returnType);
  if (rest.length === 0) return info;
  const list = [...info.list];
  const type = returnType === undefined ? undefined : getNamedType(returnType);
  for (const node of rest) collect(node.selectionSet, '', type, fragments, list, new Set());
  return { list, graphql: info.graphql };
}

function belongs(typeCondition: string | undefined, type: GraphQLNamedType | undefined): boolean {
  return typeCondition === undefined || type === undefined || typeCondition === type.name;
}

function fieldType(type: GraphQLNamedType | undefined, name: string): GraphQLNamedType | undefined {
  if (type === undefined || !(isObjectType(type) || isInterfaceType(type))) return undefined;
  const field = type.getFields()[name];
  return field === undefined ? undefined : getNamedType(field.type);
}

function collect(set: SelectionSetNode | undefined, prefix: string, type: GraphQLNamedType | undefined, fragments: Fragments, out: string[], seen: Set<string>): void {
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === '__typename') continue;
      const path = prefix + (sel.alias?.value ?? sel.name.value);
      if (!out.includes(path)) out.push(path);
      collect(sel.selectionSet, `${path}/`, fieldType(type, sel.name.value), fragments, out, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (belongs(sel.typeCondition?.name.value, type)) collect(sel.selectionSet, prefix, type, fragments, out, seen);
    } else if (!seen.has(sel.name.value)) {
      const fragment = fragments[sel.name.value];
      if (fragment === undefined || !belongs(fragment.typeCondition.name.value, type)) continue;
      seen.add(sel.name.value);
      collect(fragment.selectionSet, prefix, type, fragments, out, seen);
      seen.delete(sel.name.value);
    }
  }
}

const fragmentsCache = new WeakMap<DocumentNode, Readonly<Record<string, FragmentDefinitionNode>>>();

/** The document's fragments by name; documents come from the cache, so this runs once per text. */
export function fragmentsOf(document: DocumentNode): Readonly<Record<string, FragmentDefinitionNode>> {
  let fragments = fragmentsCache.get(document);
  if (fragments === undefined) {
    const found: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) found[d.name.value] = d;
    fragments = Object.freeze(found);
    fragmentsCache.set(document, fragments);
  }
  return fragments;
}
