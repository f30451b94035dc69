/**
 * A canonical text of a validated filter, so that subscriptions with equal filters share one
 * fan-out group (one evaluation, one execution per (selection set, filter) group). Two filters get
 * the same key when they differ only in the order of object keys, of rules in a group, of groups,
 * of values in an `in`/`notIn`/`containsAny` list, or by repeated rules or groups: none of these
 * change which events match.
 */
import type { FilterRule, SubscriptionFilter } from './types.ts';

export function filterKey(filter: SubscriptionFilter): string {
  return canonicalSet(filter.filterGroup.map((group) => canonicalSet(group.filters.map(ruleKey))));
}

function ruleKey(rule: FilterRule): string {
  const value = rule.operator === 'in' || rule.operator === 'notIn' || rule.operator === 'containsAny' ? canonicalSet(rule.value.map((v) => JSON.stringify(v))) : JSON.stringify(rule.value);
  return `[${JSON.stringify(rule.fieldName)},${JSON.stringify(rule.operator)},${value}]`;
}

/** Sorted, de-duplicated JSON texts, as a JSON list. */
function canonicalSet(texts: readonly string[]): string {
  return `[${[...new Set(texts)].sort().join(',')}]`;
}
