/**
 * Choice: the first rule that matches names the next state, else `Default`, else
 * `States.NoChoiceMatched`. Its output is its (filtered) input. The state-level `Assign` applies
 * whichever way the state goes; a matching rule's own `Assign` (and, in JSONata, `Output`) is
 * applied on top of it.
 */
import { evaluateRule } from '../choice/evaluate-rule.ts';
import type { ChoiceRule, StateDefinition } from '../definition.ts';
import { afterInputPath, jsonataScope, pathScope, pathStateOutput, stateOutput } from '../data-flow.ts';
import { queryEvaluationError, StatesError, STATES_ERRORS } from '../errors.ts';
import { evaluateJsonataExpression, expressionBody, isJsonataExpression } from '../jsonata-mode/evaluate.ts';
import type { Json } from '../json.ts';
import type { StateCall } from '../run.ts';
import { merged } from '../../../core/index.ts';

export function executeChoice(call: StateCall): void | Promise<void> {
  if (call.language === 'JSONata') return executeJsonataChoice(call);
  const { def } = call;
  const rules = def.Choices ?? [];
  // The filtered input is both what the rules test and the state's result.
  const filtered = afterInputPath(call);
  const scope = pathScope(call, filtered);
  let matched: ChoiceRule | undefined;
  for (const rule of rules) {
    if (evaluateRule(rule, scope)) {
      matched = rule;
      break;
    }
  }
  const next = nextState(call, matched);
  const ruleAssign = matched?.Assign;
  const withAssign = ruleAssign === undefined ? call : merged(call, { def: merged(def, { Assign: merged(def.Assign, ruleAssign) }) });
  const { output, assigned } = pathStateOutput(withAssign, filtered, false);
  call.run.exit(call, output, assigned, next);
}

async function executeJsonataChoice(call: StateCall): Promise<void> {
  const { def } = call;
  const rules = def.Choices ?? [];
  let matched: ChoiceRule | undefined;
  const scope = jsonataScope(call);
  for (const rule of rules) {
    const condition = rule.Condition as Json;
    const value = isJsonataExpression(condition) ? await evaluateJsonataExpression(condition, scope, 'Condition') : condition;
    if (typeof value !== 'boolean') {
      const text = typeof condition === 'string' ? expressionBody(condition) : JSON.stringify(condition);
      throw queryEvaluationError(`The JSONata expression '${text}' specified for the field 'Condition' returned a non-boolean value: ${JSON.stringify(value)}`);
    }
    if (value) {
      matched = rule;
      break;
    }
  }
  const next = nextState(call, matched);
  const assign = matched?.Assign === undefined ? def.Assign : merged(def.Assign, matched.Assign);
  const outputField = matched?.Output !== undefined ? matched.Output : def.Output;
  const chosen: { Assign?: StateDefinition['Assign']; Output?: StateDefinition['Output'] } = {};
  if (assign !== undefined) chosen.Assign = assign;
  if (outputField !== undefined) chosen.Output = outputField;
  const effectiveDef: StateDefinition = merged(def, chosen);
  const { output, assigned } = await stateOutput(merged(call, { def: effectiveDef }), call.act.input, false);
  call.run.exit(call, output, assigned, next);
}

function nextState(call: StateCall, matched: ChoiceRule | undefined): string {
  const next = matched?.Next ?? call.def.Default;
  if (next === undefined) throw new StatesError(STATES_ERRORS.NoChoiceMatched, `No choice rule matched and the Choice state '${call.act.state}' has no Default.`, true);
  return next;
}
