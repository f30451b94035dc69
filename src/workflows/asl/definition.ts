/**
 * The shape of an Amazon States Language definition, as `validateDefinition` guarantees it. One
 * interface per level rather than per state type: each state handler reads the fields its type
 * allows, and the validator has already refused the fields it does not.
 */
import type { Json, JsonObject } from './json.ts';

export const QUERY_LANGUAGES = ['JSONPath', 'JSONata'] as const;
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

export const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
export type StateType = (typeof STATE_TYPES)[number];

export interface Definition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, StateDefinition>>;
  readonly Comment?: string;
  readonly Version?: string;
  readonly TimeoutSeconds?: number;
  readonly QueryLanguage?: QueryLanguage;
}

/** A nested state machine: a Parallel branch or a Map's ItemProcessor (legacy `Iterator`). */
export interface SubMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, StateDefinition>>;
  readonly Comment?: string;
  readonly ProcessorConfig?: { readonly Mode?: 'INLINE' | 'DISTRIBUTED'; readonly ExecutionType?: string };
}

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
  readonly Comment?: string;
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
  readonly Output?: Json;
  readonly Assign?: JsonObject;
  readonly Comment?: string;
}

/** A Choice rule: a data test (`Variable` + one operator), a boolean combination, or a JSONata `Condition`. */
export interface ChoiceRule {
  readonly Variable?: string;
  readonly And?: readonly ChoiceRule[];
  readonly Or?: readonly ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly Condition?: Json;
  readonly Next?: string;
  readonly Assign?: JsonObject;
  readonly Output?: Json;
  readonly Comment?: string;
  readonly [operator: string]: Json | readonly ChoiceRule[] | ChoiceRule | undefined;
}

export interface StateDefinition {
  readonly Type: StateType;
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly Next?: string;
  readonly End?: boolean;
  // JSONPath data flow
  readonly InputPath?: string | null;
  readonly Parameters?: Json;
  readonly ResultSelector?: JsonObject;
  readonly ResultPath?: string | null;
  readonly OutputPath?: string | null;
  // JSONata data flow
  readonly Arguments?: Json;
  readonly Output?: Json;
  // both
  readonly Assign?: JsonObject;
  // Pass
  readonly Result?: Json;
  // Task
  readonly Resource?: string;
  readonly TimeoutSeconds?: number | string;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number | string;
  readonly HeartbeatSecondsPath?: string;
  readonly Credentials?: Json;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  // Choice
  readonly Choices?: readonly ChoiceRule[];
  readonly Default?: string;
  // Wait
  readonly Seconds?: number | string;
  readonly Timestamp?: string;
  readonly SecondsPath?: string;
  readonly TimestampPath?: string;
  // Fail
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  // Parallel
  readonly Branches?: readonly SubMachine[];
  // Map
  readonly ItemProcessor?: SubMachine;
  readonly Iterator?: SubMachine;
  readonly ItemsPath?: string;
  readonly Items?: Json;
  readonly ItemSelector?: Json;
  readonly MaxConcurrency?: number | string;
  readonly MaxConcurrencyPath?: string;
  readonly ToleratedFailureCount?: number | string;
  readonly ToleratedFailureCountPath?: string;
  readonly ToleratedFailurePercentage?: number | string;
  readonly ToleratedFailurePercentagePath?: string;
  readonly ItemReader?: Json;
  readonly ItemBatcher?: Json;
  readonly ResultWriter?: Json;
  readonly Label?: string;
}
