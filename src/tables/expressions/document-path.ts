/** Reading a document path (`a.b[2].c`) out of an item. */
import type { AttributeValue, Item } from '../attribute-value.ts';
import type { PathElement } from './ast.ts';

/** The value at `elements`, or undefined when any step is missing or of the wrong type. */
export function resolvePath(item: Item | undefined, elements: readonly PathElement[]): AttributeValue | undefined {
  const [first, ...rest] = elements;
  if (item === undefined || first?.kind !== 'name') return undefined;
  let current: AttributeValue | undefined = item[first.name];
  for (const step of rest) {
    if (current === undefined) return undefined;
    current = child(current, step);
  }
  return current;
}

export function child(value: AttributeValue, step: PathElement): AttributeValue | undefined {
  if (step.kind === 'name') return 'M' in value ? value.M[step.name] : undefined;
  return 'L' in value ? value.L[step.index] : undefined;
}
