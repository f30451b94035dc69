/**
 * Quotas mirrored from AWS (research §1.5): per-account buses, rules per bus, targets per rule.
 * AWS counts them per account and region; Switchboard has one of each.
 */
export interface BusLimits {
  readonly maxBuses: number;
  readonly maxRulesPerBus: number;
  readonly maxTargetsPerRule: number;
}

export const DEFAULT_BUS_LIMITS: BusLimits = Object.freeze({ maxBuses: 100, maxRulesPerBus: 300, maxTargetsPerRule: 5 });

/** AWS's LimitExceededException text for all three. */
export const LIMIT_EXCEEDED_MESSAGE = 'The requested resource exceeds the maximum number allowed.';
