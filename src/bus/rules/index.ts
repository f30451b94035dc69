/**
 * Rules and targets as the API defines them: names and ARNs, PutRule and PutTargets validation,
 * quotas. Pure: storage is the `BusStore` port's business, the wire the API's.
 */
export { BusRequestError, validationError, constraintError, maxLength, minLength, matchesPattern as matchesRegexConstraint } from './bus-request-error.ts';
export { checkName, checkBusName, busNameFrom, busArn, ruleArn, DEFAULT_BUS_NAME, type ArnScope } from './names.ts';
export { DEFAULT_BUS_LIMITS, LIMIT_EXCEEDED_MESSAGE, type BusLimits } from './limits.ts';
export { defineRule, RULE_STATES, type PutRuleMembers, type RuleDefinition, type RuleStateValue } from './rule-definition.ts';
export { defineTargets, type TargetDefinition } from './target-definition.ts';
