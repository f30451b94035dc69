/**
 * "Why was this event not delivered?": for each group, the first rule that failed and the value
 * the event had there. Built from the same compiled rules as delivery, so it cannot disagree with
 * it; meant for traces and the console, not for the fan-out hot path.
 */
import { compileRule } from './compile-rule.ts';
import { compileFieldPath, isRecord } from './field-path.ts';
import type { FilterRule, SubscriptionFilter } from './types.ts';

export type FilterExplanation =
  | { readonly delivered: true; readonly group: number }
  | { readonly delivered: false; readonly reason: 'payload is not an object' }
  | { readonly delivered: false; readonly failures: readonly { readonly group: number; readonly rule: FilterRule; readonly actual: unknown }[] };

export function explainSubscriptionFilter(filter: SubscriptionFilter, payload: unknown): FilterExplanation {
  if (!isRecord(payload)) return { delivered: false, reason: 'payload is not an object' };
  const failures: { group: number; rule: FilterRule; actual: unknown }[] = [];
  for (const [group, { filters }] of filter.filterGroup.entries()) {
    const failed = filters.find((rule) => !compileRule(rule)(payload));
    if (failed === undefined) return { delivered: true, group };
    failures.push({ group, rule: failed, actual: compileFieldPath(failed.fieldName)(payload) });
  }
  return { delivered: false, failures };
}
