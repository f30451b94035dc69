/**
 * The EventBridge event-pattern language: parse + validate (AWS's messages), a compiled matcher
 * for many rules, a naive reference matcher, and TestEventPattern.
 */
export { parsePattern } from './parse-pattern.ts';
export { PatternError, PATTERN_ERROR_CODE } from './pattern-error.ts';
export type { Pattern, PatternGroup, PatternField, Condition, AnythingBut, NumericBound, SubRule } from './pattern.ts';
export { MAX_SUB_RULES, MAX_FIELDS_PER_SUB_RULE } from './pattern.ts';
export { expandPattern } from './expand-pattern.ts';
export { compileRules, newMatchStats } from './compile-rules.ts';
export type { Matcher, MatchStats, RuleInput } from './compile-rules.ts';
export { matchesNaive } from './matches-naive.ts';
export { matchesPattern } from './matches-pattern.ts';
export { parseEventText } from './json-text.ts';
export { JsonNumber } from './number-text.ts';
