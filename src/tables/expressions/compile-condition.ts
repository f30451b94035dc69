/** ConditionExpression / FilterExpression: parsed once, evaluated against any number of items. */
import type { Item } from '../attribute-value.ts';
import type { Compiled, ExpressionInput } from './compiled.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import { parseCondition } from './parser-condition.ts';
import { Parser } from './parser.ts';

export interface CompiledCondition extends Compiled {
  /** `item` undefined means "no item" (a conditional put on a new key): only negative checks pass. */
  evaluate(item: Item | undefined): boolean;
}

export function compileCondition(
  input: ExpressionInput,
  kind: 'ConditionExpression' | 'FilterExpression' = 'ConditionExpression',
): CompiledCondition {
  const parser = new Parser(input.expression, kind, input);
  const ast = parseCondition(parser);
  return {
    usedNames: parser.usedNames,
    usedValues: parser.usedValues,
    evaluate: (item) => evaluateCondition(ast, item),
  };
}
