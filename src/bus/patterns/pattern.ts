/**
 * A parsed, validated event pattern. Nested pattern objects are flattened into dotted paths at
 * parse time (event-ruler joins keys with `.`, so `{"a":{"b":..}}` and `{"a.b":..}` are the same
 * field); `$or` groups stay as groups and are expanded into sub-rules by `expandPattern`.
 */
import type { IpBytes, IpRange } from './ip.ts';
import type { NumberValue } from './number-text.ts';
import type { Wildcard } from './wildcard.ts';

export interface NumericBound {
  readonly value: number;
  readonly inclusive: boolean;
}

/** One alternative in a field's list. Every kind but `exists: false` is a test on one leaf value. */
export type Condition =
  /** An exact string; `ip` is set when the string is an IP address (matched as that address). */
  | { readonly kind: 'string'; readonly value: string; readonly ip: IpBytes | undefined }
  | { readonly kind: 'number'; readonly number: NumberValue }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly wildcard: Wildcard }
  | { readonly kind: 'numeric'; readonly lower: NumericBound | undefined; readonly upper: NumericBound | undefined }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'anything-but'; readonly but: AnythingBut };

/** What an `anything-but` excludes. It matches any present leaf that is not excluded. */
export type AnythingBut =
  | { readonly kind: 'strings'; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly values: readonly NumberValue[] }
  | { readonly kind: 'prefix'; readonly values: readonly string[] }
  | { readonly kind: 'suffix'; readonly values: readonly string[] }
  | { readonly kind: 'equals-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'wildcard'; readonly values: readonly Wildcard[] };

export interface PatternField {
  /** Keys joined with `.`, as event fields are flattened. */
  readonly path: string;
  /** Alternatives (OR); never empty. */
  readonly conditions: readonly Condition[];
}

export interface PatternGroup {
  readonly fields: readonly PatternField[];
  /** Each `$or` is a list of >= 2 branches; one branch of every `$or` must match (AND across). */
  readonly ors: readonly (readonly PatternGroup[])[];
}

export interface Pattern extends PatternGroup {
  /** The JSON text the pattern was parsed from. */
  readonly source: string;
}

/** One conjunction after `$or` expansion: every field must be satisfied. */
export interface SubRule {
  readonly fields: readonly PatternField[];
}

/** AWS refuses patterns whose `$or` expansion exceeds this many combinations. */
export const MAX_SUB_RULES = 1000;
/** event-ruler's `GenericMachine.MAXIMUM_RULE_SIZE`: fields in one sub-rule. */
export const MAX_FIELDS_PER_SUB_RULE = 256;
