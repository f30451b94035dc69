/** The rule shared by update and projection expressions: no two document paths may overlap. */
import { formatPath, type PathNode } from './ast.ts';
import type { Parser } from './parser.ts';

/**
 * Two paths overlap when one is a prefix of (or equal to) the other; they conflict when they
 * reach the same place as a map key in one and a list index in the other.
 */
export function checkOverlaps(p: Parser, paths: readonly PathNode[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i] as PathNode;
      const b = paths[j] as PathNode;
      const relation = relate(a, b);
      if (relation === 'independent') continue;
      p.defer(`Two document paths ${relation} with each other; must remove or rewrite one of these paths; path one: ${formatPath(a)}, path two: ${formatPath(b)}`);
      return;
    }
  }
}

function relate(a: PathNode, b: PathNode): 'overlap' | 'conflict' | 'independent' {
  const n = Math.min(a.elements.length, b.elements.length);
  for (let k = 0; k < n; k++) {
    const x = a.elements[k];
    const y = b.elements[k];
    if (x === undefined || y === undefined) break;
    if (x.kind !== y.kind) return 'conflict';
    if (x.kind === 'name' ? x.name !== (y as { name: string }).name : x.index !== (y as { index: number }).index) return 'independent';
  }
  return 'overlap';
}
