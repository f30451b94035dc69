/**
 * ProjectionExpression: a comma-separated list of document paths. The projected item keeps the
 * nesting of each path; elements picked out of a list come back as a shorter list in their
 * original order (DynamoDB compacts: projecting `l[1], l[3]` gives a two-element list).
 */
import type { AttributeValue, Item } from '../attribute-value.ts';
import type { PathElement, PathNode } from './ast.ts';
import type { Compiled, ExpressionInput } from './compiled.ts';
import { checkOverlaps } from './path-overlap.ts';
import { Parser } from './parser.ts';

export interface CompiledProjection extends Compiled {
  readonly paths: readonly (readonly PathElement[])[];
  project(item: Item): Record<string, AttributeValue>;
}

/** A tree of the projected paths; a terminal node keeps its whole value. */
interface Selection {
  terminal: boolean;
  readonly names: Map<string, Selection>;
  readonly indexes: Map<number, Selection>;
}

export function compileProjection(input: Pick<ExpressionInput, 'expression' | 'names'>): CompiledProjection {
  const parser = new Parser(input.expression, 'ProjectionExpression', input.names === undefined ? {} : { names: input.names });
  const paths: PathNode[] = [parser.parsePath()];
  while (parser.isPunct(',')) {
    parser.next();
    paths.push(parser.parsePath());
  }
  checkOverlaps(parser, paths);
  parser.finish();
  const root = selection();
  for (const path of paths) {
    let node = root;
    for (const step of path.elements) {
      const map: Map<string | number, Selection> = step.kind === 'name' ? node.names : node.indexes;
      const key = step.kind === 'name' ? step.name : step.index;
      let next = map.get(key);
      if (next === undefined) map.set(key, (next = selection()));
      node = next;
    }
    node.terminal = true;
  }
  return {
    usedNames: parser.usedNames,
    usedValues: parser.usedValues,
    paths: paths.map((p) => p.elements),
    project: (item) => projectMap(item, root),
  };
}

function selection(): Selection {
  return { terminal: false, names: new Map(), indexes: new Map() };
}

function projectMap(map: Item, node: Selection): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, child] of node.names) {
    const value = map[name];
    const projected = value === undefined ? undefined : project(value, child);
    if (projected !== undefined) out[name] = projected;
  }
  return out;
}

function project(value: AttributeValue, node: Selection): AttributeValue | undefined {
  if (node.terminal) return value;
  if ('M' in value && node.names.size > 0) {
    const m = projectMap(value.M, node);
    return Object.keys(m).length > 0 ? { M: m } : undefined;
  }
  if ('L' in value && node.indexes.size > 0) {
    const list: AttributeValue[] = [];
    for (const index of [...node.indexes.keys()].sort((a, b) => a - b)) {
      const element = value.L[index];
      const projected = element === undefined ? undefined : project(element, node.indexes.get(index) as Selection);
      if (projected !== undefined) list.push(projected);
    }
    return list.length > 0 ? { L: list } : undefined;
  }
  return undefined;
}
