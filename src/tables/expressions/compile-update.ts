/** UpdateExpression: parsed once; `apply` returns the updated copy of an item. */
import type { AttributeValue, Item } from '../attribute-value.ts';
import { applyUpdate } from './apply-update.ts';
import type { Compiled, ExpressionInput } from './compiled.ts';
import { parseUpdate } from './parser-update.ts';
import { Parser } from './parser.ts';

export interface CompiledUpdate extends Compiled {
  /**
   * The item after the update (a new object; `item` is not modified). `item` undefined starts from
   * an empty item: the caller adds the key attributes. Throws `ExpressionError` when an action
   * targets one of `keyNames`, a path cannot be updated, or an operand has the wrong type.
   */
  apply(item: Item | undefined, keyNames: readonly string[]): Record<string, AttributeValue>;
}

export function compileUpdate(input: ExpressionInput): CompiledUpdate {
  const parser = new Parser(input.expression, 'UpdateExpression', input);
  const actions = parseUpdate(parser);
  return {
    usedNames: parser.usedNames,
    usedValues: parser.usedValues,
    apply: (item, keyNames) => applyUpdate(actions, item, keyNames),
  };
}
