/**
 * Checks the filter a subscription resolver set (`extensions.setSubscriptionFilter` or
 * `setSubscriptionInvalidationFilter`) once, at subscribe time, against the JSON shape (§4.2) and
 * AppSync's limits (§4.4). The result is the normalised filter the compiler takes.
 */
import { merged } from '../../core/index.ts';
import { APPSYNC_FILTER_LIMITS, type FilterGroup, type FilterLimits, type FilterRule, type SubscriptionFilter } from './types.ts';
import { checkRule } from './validate-rule.ts';

export type FilterValidation =
  /** `warnings` lists rules dropped the way AppSync drops them (nested too deep). */
  | { readonly ok: true; readonly filter: SubscriptionFilter; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Accepts the object a resolver passes, or its JSON text (VTL templates and client-supplied
 * filters arrive as strings, §4.1). `limits` overrides AppSync's defaults field by field.
 */
export function validateSubscriptionFilter(json: unknown, limits: Partial<FilterLimits> = {}): FilterValidation {
  const max: FilterLimits = merged(APPSYNC_FILTER_LIMITS, limits);
  let input = json;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input) as unknown;
    } catch {
      return { ok: false, message: 'Subscription filter is not valid JSON.' };
    }
  }
  const groups = isObject(input) ? input['filterGroup'] : undefined;
  // An empty filterGroup would be an OR of nothing: refused rather than silently matching nothing.
  if (!Array.isArray(groups) || groups.length === 0) return { ok: false, message: 'Subscription filter must be an object with a non-empty filterGroup list.' };
  const out: FilterGroup[] = [];
  const warnings: string[] = [];
  let expanded = 0;
  for (const [g, group] of groups.entries()) {
    const filters = isObject(group) ? group['filters'] : undefined;
    if (!Array.isArray(filters) || filters.length === 0) return { ok: false, message: `filterGroup[${g}] must be an object with a non-empty filters list.` };
    const rules: FilterRule[] = [];
    for (const [f, raw] of filters.entries()) {
      const checked = checkRule(raw, `filterGroup[${g}].filters[${f}]`, max);
      if ('error' in checked) return { ok: false, message: checked.error };
      if ('ignored' in checked) warnings.push(checked.ignored);
      else rules.push(checked.rule);
    }
    const fields = new Set(rules.map((r) => r.fieldName)).size;
    // AppSync's own text (aws-amplify/amplify-flutter#6142).
    if (fields > max.maxFieldsPerGroup) return { ok: false, message: `Filters exceed maximum attributes limit ${max.maxFieldsPerGroup} for subscription.` };
    expanded += expandedSize(rules);
    out.push({ filters: rules });
  }
  if (expanded > max.maxFilterGroups) {
    return { ok: false, message: `Filters exceed maximum filter groups limit ${max.maxFilterGroups} for subscription: they expand to ${expanded} (an \`in\` of n values counts as n groups).` };
  }
  return { ok: true, filter: { filterGroup: out }, warnings };
}

/** AppSync rewrites `in` into OR before counting groups (§4.4), so a group counts as the product. */
function expandedSize(rules: readonly FilterRule[]): number {
  let n = 1;
  for (const rule of rules) if (rule.operator === 'in') n *= Math.max(1, rule.value.length);
  return n;
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
