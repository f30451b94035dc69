/**
 * Per-state validation: which fields each state type accepts, which belong to one query language,
 * transitions, paths and expressions that must parse, Choice rules, Retry/Catch. See
 * `validate.ts` for which messages are AWS's verbatim.
 */
import type { QueryLanguage } from './definition.ts';
import { QUERY_LANGUAGES, STATE_TYPES } from './definition.ts';
import { isObject, type Json, type JsonObject } from './json.ts';
import { compileDynamic, compilePath } from './jsonpath-mode/dynamic.ts';
import { isReferencePath } from './jsonpath/reference-path.ts';
import { compileJsonata, expressionBody, isJsonataExpression } from './jsonata-mode/evaluate.ts';
import { COMPARISON_OPERATORS, TYPE_TESTS } from './choice/operators.ts';
import { diagnostic, type Diagnostic } from './validate.ts';

export interface StateScope {
  readonly machineLanguage: QueryLanguage;
  readonly out: Diagnostic[];
  /** Records a transition and checks that its target exists in the same graph. */
  readonly target: (from: string, target: string, location: string) => void;
  readonly subGraph: (graph: JsonObject, location: string) => void;
}

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  Pass: ['Next', 'End', 'InputPath', 'OutputPath', 'Parameters', 'Result', 'ResultPath', 'Assign', 'Output'],
  Task: ['Next', 'End', 'InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'Resource', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials', 'Retry', 'Catch', 'Assign', 'Arguments', 'Output'],
  Choice: ['InputPath', 'OutputPath', 'Choices', 'Default', 'Assign', 'Output'],
  Wait: ['Next', 'End', 'InputPath', 'OutputPath', 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Assign', 'Output'],
  Succeed: ['InputPath', 'OutputPath', 'Output'],
  Fail: ['Error', 'Cause', 'ErrorPath', 'CausePath'],
  Parallel: ['Next', 'End', 'InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'Branches', 'Retry', 'Catch', 'Assign', 'Arguments', 'Output'],
  Map: ['Next', 'End', 'InputPath', 'OutputPath', 'ItemsPath', 'Items', 'ItemSelector', 'Parameters', 'ResultSelector', 'ResultPath', 'ItemProcessor', 'Iterator', 'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'Label', 'Retry', 'Catch', 'Assign', 'Output'],
};
const JSONATA_ONLY = new Set(['Arguments', 'Output', 'Items']);
const JSONPATH_ONLY = new Set(['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'Result', 'ItemsPath', 'SecondsPath', 'TimestampPath', 'ErrorPath', 'CausePath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath']);
const PATH_FIELDS = ['InputPath', 'OutputPath', 'ItemsPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'];
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials'];

/** Validates one state; returns whether it can end its graph (End, Succeed, Fail). */
export function validateState(name: string, state: JsonObject, at: string, scope: StateScope): boolean {
  const { out } = scope;
  const fail = (message: string, location = at): void => void out.push(diagnostic('SCHEMA_VALIDATION_FAILED', message, location));
  const type = state['Type'];
  if (type === undefined) {
    fail('These fields are required: [Type]');
    return false;
  }
  if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
    fail(`The value for the field 'Type' must be one of ${STATE_TYPES.join(', ')}`, `${at}/Type`);
    return false;
  }
  const ownLanguage = state['QueryLanguage'];
  if (ownLanguage !== undefined && !(QUERY_LANGUAGES as readonly Json[]).includes(ownLanguage)) fail(`The value '${String(ownLanguage)}' is not a valid QueryLanguage`);
  if (scope.machineLanguage === 'JSONata' && ownLanguage === 'JSONPath') fail("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  const language: QueryLanguage = ownLanguage === 'JSONata' || (ownLanguage === undefined && scope.machineLanguage === 'JSONata') ? 'JSONata' : 'JSONPath';

  const allowed = new Set([...COMMON, ...(FIELDS[type] ?? [])]);
  for (const field of Object.keys(state)) {
    if (!allowed.has(field)) fail(`Field '${field}' is not supported`);
    else if (language === 'JSONPath' && JSONATA_ONLY.has(field)) fail(`The QueryLanguage is set to 'JSONPath', but field '${field}' is only supported for the 'JSONata' QueryLanguage`);
    else if (language === 'JSONata' && JSONPATH_ONLY.has(field)) fail(`The QueryLanguage is set to 'JSONata', but field '${field}' is only supported for the 'JSONPath' QueryLanguage`);
  }

  // Transitions.
  let terminal = type === 'Succeed' || type === 'Fail';
  if (type !== 'Choice' && !terminal) {
    const next = state['Next'];
    const end = state['End'];
    if (next !== undefined && end !== undefined) fail("Only one of the fields 'Next' and 'End' can be set");
    else if (typeof next === 'string') scope.target(name, next, `${at}/Next`);
    else if (end === true) terminal = true;
    else fail("One of the fields 'Next' or 'End' is required");
  }
  if (type === 'Choice') validateChoice(name, state, at, language, scope);
  const catchers = state['Catch'];
  if (Array.isArray(catchers)) {
    catchers.forEach((c, i) => {
      if (isObject(c) && typeof c['Next'] === 'string') scope.target(name, c['Next'], `${at}/Catch[${i}]/Next`);
      validateErrorEquals(isObject(c) ? c['ErrorEquals'] : undefined, `${at}/Catch[${i}]`, fail);
      if (isObject(c) && c['ResultPath'] !== undefined && c['ResultPath'] !== null) checkReferencePath(c['ResultPath'], `${at}/Catch[${i}]/ResultPath`, fail);
    });
  }
  const retriers = state['Retry'];
  if (Array.isArray(retriers)) retriers.forEach((r, i) => validateRetrier(r, `${at}/Retry[${i}]`, fail));

  // Paths and templates (JSONPath), expressions (JSONata).
  if (language === 'JSONPath') {
    for (const field of PATH_FIELDS) {
      const value = state[field];
      if (value !== undefined && value !== null) checkPath(value, field, `${at}/${field}`, fail);
    }
    if (state['ResultPath'] !== undefined && state['ResultPath'] !== null) checkReferencePath(state['ResultPath'], `${at}/ResultPath`, fail);
    for (const field of TEMPLATE_FIELDS) if (state[field] !== undefined) checkTemplate(state[field] as Json, `${at}/${field}`, fail);
    for (const field of ['ErrorPath', 'CausePath']) if (state[field] !== undefined) checkDynamic(state[field], field, `${at}/${field}`, fail);
  } else {
    checkExpressions(state, at, fail);
  }
  if (type === 'Wait') {
    const set = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined);
    if (set.length !== 1) fail("Exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' is required");
    const seconds = state['Seconds'];
    if (typeof seconds === 'number' && !(Number.isInteger(seconds) && seconds >= 0)) fail("The value for the field 'Seconds' must be a non-negative integer", `${at}/Seconds`);
  }
  if (type === 'Fail') {
    if (state['Error'] !== undefined && state['ErrorPath'] !== undefined) fail("Only one of the fields 'Error' and 'ErrorPath' can be set");
    if (state['Cause'] !== undefined && state['CausePath'] !== undefined) fail("Only one of the fields 'Cause' and 'CausePath' can be set");
  }
  if (type === 'Task') {
    if (typeof state['Resource'] !== 'string') fail('These fields are required: [Resource]');
    const timeout = state['TimeoutSeconds'];
    const heartbeat = state['HeartbeatSeconds'];
    if (typeof timeout === 'number' && !(Number.isInteger(timeout) && timeout > 0)) fail("The value for the field 'TimeoutSeconds' must be a positive integer", `${at}/TimeoutSeconds`);
    if (typeof heartbeat === 'number' && !(Number.isInteger(heartbeat) && heartbeat > 0)) fail("The value for the field 'HeartbeatSeconds' must be a positive integer", `${at}/HeartbeatSeconds`);
    if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) fail("The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'", `${at}/HeartbeatSeconds`);
  }
  if (type === 'Parallel') {
    const branches = state['Branches'];
    if (!Array.isArray(branches) || branches.length === 0) fail('These fields are required: [Branches]');
    else branches.forEach((b, i) => (isObject(b) ? scope.subGraph(b, `${at}/Branches[${i}]`) : fail('A branch must be a JSON object', `${at}/Branches[${i}]`)));
  }
  if (type === 'Map') {
    const processor = state['ItemProcessor'] ?? state['Iterator'];
    const field = state['ItemProcessor'] === undefined ? 'Iterator' : 'ItemProcessor';
    if (!isObject(processor)) fail('These fields are required: [ItemProcessor]');
    else scope.subGraph(processor, `${at}/${field}`);
    const max = state['MaxConcurrency'];
    if (typeof max === 'number' && !(Number.isInteger(max) && max >= 0)) fail("The value for the field 'MaxConcurrency' must be a non-negative integer", `${at}/MaxConcurrency`);
  }
  return terminal;
}

function validateChoice(name: string, state: JsonObject, at: string, language: QueryLanguage, scope: StateScope): void {
  const fail = (message: string, location = at): void => void scope.out.push(diagnostic('SCHEMA_VALIDATION_FAILED', message, location));
  const choices = state['Choices'];
  if (!Array.isArray(choices) || choices.length === 0) {
    fail('These fields are required: [Choices]');
  } else {
    choices.forEach((rule, i) => {
      const location = `${at}/Choices[${i}]`;
      if (!isObject(rule)) return fail('A choice rule must be a JSON object', location);
      if (typeof rule['Next'] === 'string') scope.target(name, rule['Next'], `${location}/Next`);
      else fail('These fields are required: [Next]', location);
      if (language === 'JSONata') {
        if (rule['Condition'] === undefined) fail('These fields are required: [Condition]', location);
      } else {
        validateRule(rule, location, fail, true);
      }
    });
  }
  if (typeof state['Default'] === 'string') scope.target(name, state['Default'], `${at}/Default`);
}

function validateRule(rule: JsonObject, at: string, fail: (m: string, l?: string) => void, top: boolean): void {
  const allowed = new Set(['Variable', 'Comment', ...(top ? ['Next', 'Assign', 'Output'] : [])]);
  const combinators = ['And', 'Or', 'Not'].filter((k) => rule[k] !== undefined);
  const operators = Object.keys(rule).filter((k) => k in COMPARISON_OPERATORS || TYPE_TESTS.includes(k));
  for (const key of Object.keys(rule)) {
    if (!allowed.has(key) && !combinators.includes(key) && !operators.includes(key)) fail(`Field '${key}' is not supported`, at);
  }
  if (combinators.length + operators.length !== 1) return fail('A choice rule must have exactly one comparison operator or one of And, Or, Not', at);
  const combinator = combinators[0];
  if (combinator === 'Not') {
    const inner = rule['Not'];
    return isObject(inner) ? validateRule(inner, `${at}/Not`, fail, false) : fail("The value for the field 'Not' must be a choice rule", at);
  }
  if (combinator !== undefined) {
    const list = rule[combinator];
    if (!Array.isArray(list) || list.length === 0) return fail(`The value for the field '${combinator}' must be a non-empty array`, at);
    return list.forEach((r, i) => (isObject(r) ? validateRule(r, `${at}/${combinator}[${i}]`, fail, false) : fail('A choice rule must be a JSON object', `${at}/${combinator}[${i}]`)));
  }
  const variable = rule['Variable'];
  if (typeof variable !== 'string') return fail('These fields are required: [Variable]', at);
  checkPath(variable, 'Variable', `${at}/Variable`, fail);
  const op = operators[0] as string;
  const value = rule[op];
  if (TYPE_TESTS.includes(op)) {
    if (typeof value !== 'boolean') fail(`The value for the field '${op}' must be a BOOLEAN`, `${at}/${op}`);
  } else if (op.endsWith('Path')) {
    checkPath(value, op, `${at}/${op}`, fail);
  } else {
    const expected = COMPARISON_OPERATORS[op];
    const ok = expected === 'number' ? typeof value === 'number' : expected === 'boolean' ? typeof value === 'boolean' : typeof value === 'string';
    if (!ok) fail(`The value for the field '${op}' must be a ${expected === 'timestamp' ? 'STRING' : (expected ?? 'string').toUpperCase()}`, `${at}/${op}`);
  }
}

function validateRetrier(r: Json, at: string, fail: (m: string, l?: string) => void): void {
  if (!isObject(r)) return fail('A retrier must be a JSON object', at);
  validateErrorEquals(r['ErrorEquals'], at, fail);
  const positive = (field: string, min: number, integer: boolean): void => {
    const v = r[field];
    if (v === undefined) return;
    if (typeof v !== 'number' || v < min || (integer && !Number.isInteger(v))) fail(`The value for the field '${field}' must be ${integer ? 'an integer' : 'a number'} >= ${min}`, `${at}/${field}`);
  };
  positive('IntervalSeconds', 1, true);
  positive('MaxAttempts', 0, true);
  positive('BackoffRate', 1, false);
  positive('MaxDelaySeconds', 1, true);
  const jitter = r['JitterStrategy'];
  if (jitter !== undefined && jitter !== 'FULL' && jitter !== 'NONE') fail("The value for the field 'JitterStrategy' must be FULL or NONE", `${at}/JitterStrategy`);
}

function validateErrorEquals(list: Json | undefined, at: string, fail: (m: string, l?: string) => void): void {
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string')) return fail('These fields are required: [ErrorEquals]', at);
  if (list.includes('States.ALL') && list.length > 1) fail("'States.ALL' must be the only element of 'ErrorEquals'", `${at}/ErrorEquals`);
}

function checkPath(value: Json | undefined, field: string, at: string, fail: (m: string, l?: string) => void): void {
  try {
    if (typeof value !== 'string') throw new Error('not a string');
    compilePath(value);
  } catch {
    fail(`The value for the field '${field}' must be a valid JSONPath`, at);
  }
}

function checkReferencePath(value: Json, at: string, fail: (m: string, l?: string) => void): void {
  try {
    if (typeof value !== 'string' || !isReferencePath(compilePath(value))) throw new Error('not a reference path');
  } catch {
    fail("The value for the field 'ResultPath' must be a valid ReferencePath", at);
  }
}

function checkDynamic(value: Json | undefined, field: string, at: string, fail: (m: string, l?: string) => void): void {
  try {
    if (typeof value !== 'string') throw new Error('not a string');
    compileDynamic(value);
  } catch {
    fail(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`, at);
  }
}

function checkTemplate(template: Json, at: string, fail: (m: string, l?: string) => void): void {
  if (Array.isArray(template)) return template.forEach((t, i) => checkTemplate(t, `${at}[${i}]`, fail));
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) checkDynamic(value, key, `${at}/${key}`, fail);
    else checkTemplate(value, `${at}/${key}`, fail);
  }
}

/** Every `{% %}` string anywhere in a JSONata state must parse. */
function checkExpressions(value: Json, at: string, fail: (m: string, l?: string) => void): void {
  if (isJsonataExpression(value)) {
    try {
      compileJsonata(expressionBody(value));
    } catch (error) {
      fail(`The JSONata expression '${expressionBody(value)}' is not valid: ${(error as Error).message}`, at);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkExpressions(v, `${at}[${i}]`, fail));
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Branches' || key === 'ItemProcessor' || key === 'Iterator') continue;
      checkExpressions(v, `${at}/${key}`, fail);
    }
  }
}
