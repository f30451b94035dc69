/**
 * What PutRule accepts, checked in AWS's order: model constraints (lengths, enum), then the
 * rule's meaning (a pattern or a schedule, a valid pattern, schedules only on the default bus).
 * Invalid patterns throw `PatternError` (InvalidEventPatternException on the wire).
 */
import { parsePattern } from '../patterns/index.ts';
import { constraintError, maxLength, minLength, validationError } from './bus-request-error.ts';
import { DEFAULT_BUS_NAME } from './names.ts';
import { parseScheduleExpression, ScheduleExpressionError } from '../schedules/index.ts';

export const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
export type RuleStateValue = (typeof RULE_STATES)[number];

export interface PutRuleMembers {
  readonly bus: string;
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state?: string;
  readonly description?: string;
  readonly roleArn?: string;
}

export interface RuleDefinition {
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state: RuleStateValue;
  readonly description?: string;
  readonly roleArn?: string;
}

const MAX_PATTERN_LENGTH = 4096;

export function defineRule(members: PutRuleMembers): RuleDefinition {
  const { eventPattern, scheduleExpression, state, description, roleArn } = members;
  if (eventPattern !== undefined && eventPattern.length > MAX_PATTERN_LENGTH) throw constraintError('eventPattern', eventPattern, maxLength(MAX_PATTERN_LENGTH));
  if (scheduleExpression !== undefined && scheduleExpression.length > 256) throw constraintError('scheduleExpression', scheduleExpression, maxLength(256));
  if (state !== undefined && !(RULE_STATES as readonly string[]).includes(state)) {
    throw constraintError('state', state, `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`);
  }
  if (description !== undefined && description.length > 512) throw constraintError('description', description, maxLength(512));
  if (roleArn !== undefined && roleArn.length < 1) throw constraintError('roleArn', roleArn, minLength(1));
  if (roleArn !== undefined && roleArn.length > 1600) throw constraintError('roleArn', roleArn, maxLength(1600));

  if (eventPattern === undefined && scheduleExpression === undefined) {
    throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (eventPattern !== undefined) parsePattern(eventPattern);
  if (scheduleExpression !== undefined) {
    // AWS's grammar for rate(...) and cron(...); at(...) (EventBridge Scheduler's one-off) is
    // accepted too, a Switchboard extension (AWS's PutRule refuses it).
    try {
      parseScheduleExpression(scheduleExpression);
    } catch (error) {
      if (error instanceof ScheduleExpressionError) throw validationError(error.message);
      throw error;
    }
    if (members.bus !== DEFAULT_BUS_NAME) throw validationError('ScheduleExpression is supported only on the default event bus.');
  }
  return {
    ...(eventPattern !== undefined ? { eventPattern } : {}),
    ...(scheduleExpression !== undefined ? { scheduleExpression } : {}),
    state: (state ?? 'ENABLED') as RuleStateValue,
    ...(description !== undefined ? { description } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
  };
}
