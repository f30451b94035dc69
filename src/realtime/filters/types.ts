/**
 * AppSync's enhanced subscription filter JSON (research/appsync.md §4.2), as it is after
 * validation: operator aliases resolved, each value of the type its operator takes.
 */

/** Operator names are case-sensitive on the wire, as in AppSync (§4.3). */
export const FILTER_OPERATORS = ['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** A list value: AppSync takes ints, floats and strings in lists (`in`, `notIn`, `containsAny`). */
export type FilterListValue = readonly (string | number)[];

interface RuleOf<Op extends FilterOperator, Value> {
  /** A field of the published object; `.` walks into nested objects (`location.address.country`). */
  readonly fieldName: string;
  readonly operator: Op;
  readonly value: Value;
}

export type FilterRule =
  /** `null` is a Switchboard extension: `eq null` matches a null or absent field. */
  | RuleOf<'eq' | 'ne', string | number | boolean | null>
  | RuleOf<'le' | 'lt' | 'ge' | 'gt' | 'contains' | 'notContains', string | number>
  | RuleOf<'beginsWith', string>
  | RuleOf<'in' | 'notIn' | 'containsAny', FilterListValue>
  | RuleOf<'between', readonly [number, number] | readonly [string, string]>;

export interface FilterGroup {
  /** AND: every rule must hold. */
  readonly filters: readonly FilterRule[];
}

export interface SubscriptionFilter {
  /** OR: the event is delivered when any group holds. */
  readonly filterGroup: readonly FilterGroup[];
}

/** AppSync's limits (§4.4). Defaults are AWS's; an app may raise them. */
export interface FilterLimits {
  /** Filter groups after expanding each `in` of n values into n groups, as AppSync counts them. */
  readonly maxFilterGroups: number;
  /** Distinct `fieldName`s in one group. */
  readonly maxFieldsPerGroup: number;
  /** Values in an `in` / `notIn` list. */
  readonly maxInValues: number;
  /** Values in a `containsAny` list. */
  readonly maxContainsAnyValues: number;
  /** Characters in a string value and in a `fieldName`. */
  readonly maxStringLength: number;
  /** Segments of a dotted `fieldName`; rules on deeper paths are ignored, not refused. */
  readonly maxNestingDepth: number;
}

export const APPSYNC_FILTER_LIMITS: FilterLimits = Object.freeze({
  maxFilterGroups: 10,
  maxFieldsPerGroup: 5,
  maxInValues: 5,
  maxContainsAnyValues: 20,
  maxStringLength: 256,
  maxNestingDepth: 5,
});
