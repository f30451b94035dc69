/**
 * A validated filter compiled once into closures: per event only field reads and comparisons
 * run, never a walk over the filter JSON. Groups are OR, the rules of a group AND (§4.2).
 */
import { compileRule, type RecordPredicate } from './compile-rule.ts';
import { isRecord } from './field-path.ts';
import type { SubscriptionFilter } from './types.ts';

export type PayloadPredicate = (payload: unknown) => boolean;

/**
 * The enhanced filter of a subscription, tested against each published result. A payload that is
 * not an object (a list, a scalar, `null`) is never delivered: AppSync ignores published lists.
 */
export function compileSubscriptionFilter(filter: SubscriptionFilter): PayloadPredicate {
  const matches = anyOf(filter.filterGroup.map((group) => allOf(group.filters.map(compileRule))));
  return (payload) => isRecord(payload) && matches(payload);
}

/**
 * The invalidation filter of a subscription (§5): the same language, tested against the payload
 * of `extensions.invalidateSubscriptions({subscriptionField, payload})`, never against published
 * results. True means the subscription is ended.
 */
export function compileInvalidationFilter(filter: SubscriptionFilter): PayloadPredicate {
  return compileSubscriptionFilter(filter);
}

function allOf(rules: readonly RecordPredicate[]): RecordPredicate {
  const [a, b] = rules;
  if (a === undefined) return () => true;
  if (rules.length === 1) return a;
  if (rules.length === 2 && b !== undefined) return (p) => a(p) && b(p);
  return (p) => {
    for (const rule of rules) if (!rule(p)) return false;
    return true;
  };
}

function anyOf(groups: readonly RecordPredicate[]): RecordPredicate {
  const [a] = groups;
  if (a === undefined) return () => false;
  if (groups.length === 1) return a;
  return (p) => {
    for (const group of groups) if (group(p)) return true;
    return false;
  };
}
