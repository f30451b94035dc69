/**
 * Names and ARNs of buses and rules, with the API model's constraints (botocore `RuleName`,
 * `EventBusName`, `EventBusNameOrArn`, `TargetId`).
 */
import { constraintError, matchesPattern, maxLength, minLength, MUST_NOT_BE_NULL } from './bus-request-error.ts';

const NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';
const BUS_NAME_PATTERN = '[/\\.\\-_A-Za-z0-9]+';
const BUS_NAME_OR_ARN_PATTERN = '(arn:aws[\\w-]*:events:[a-z]{2}-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+';
const NAME = new RegExp(`^${NAME_PATTERN}$`);
const BUS_NAME = new RegExp(`^${BUS_NAME_PATTERN}$`);
const BUS_NAME_OR_ARN = new RegExp(`^${BUS_NAME_OR_ARN_PATTERN}$`);

export const DEFAULT_BUS_NAME = 'default';

/** Where ARNs point: the caller's account and the region it signed for. */
export interface ArnScope {
  readonly accountId: string;
  readonly region: string;
}

/** Rule and target ids: 1..64 characters of `[.\-_A-Za-z0-9]`. */
export function checkName(member: string, value: unknown): string {
  if (value === undefined || value === null) throw constraintError(member, value, MUST_NOT_BE_NULL);
  const text = String(value);
  if (text.length < 1) throw constraintError(member, text, minLength(1));
  if (text.length > 64) throw constraintError(member, text, maxLength(64));
  if (!NAME.test(text)) throw constraintError(member, text, matchesPattern(NAME_PATTERN));
  return text;
}

/** A bus name as CreateEventBus takes it (1..256; `/` only for partner buses, refused later). */
export function checkBusName(member: string, value: unknown): string {
  if (value === undefined || value === null) throw constraintError(member, value, MUST_NOT_BE_NULL);
  const text = String(value);
  if (text.length < 1) throw constraintError(member, text, minLength(1));
  if (text.length > 256) throw constraintError(member, text, maxLength(256));
  if (!BUS_NAME.test(text)) throw constraintError(member, text, matchesPattern(BUS_NAME_PATTERN));
  return text;
}

/** `EventBusName` members that take a name or an ARN (1..1600); absent means the default bus. */
export function busNameFrom(member: string, value: string | undefined): string {
  if (value === undefined) return DEFAULT_BUS_NAME;
  if (value.length < 1) throw constraintError(member, value, minLength(1));
  if (value.length > 1600) throw constraintError(member, value, maxLength(1600));
  if (!BUS_NAME_OR_ARN.test(value)) throw constraintError(member, value, matchesPattern(BUS_NAME_OR_ARN_PATTERN));
  const marker = ':event-bus/';
  const at = value.indexOf(marker);
  return value.startsWith('arn:') && at !== -1 ? value.slice(at + marker.length) : value;
}

export function busArn(scope: ArnScope, bus: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${bus}`;
}

/** AWS leaves the bus out of the ARN of a rule on the default bus. */
export function ruleArn(scope: ArnScope, bus: string, rule: string): string {
  const path = bus === DEFAULT_BUS_NAME ? rule : `${bus}/${rule}`;
  return `arn:aws:events:${scope.region}:${scope.accountId}:rule/${path}`;
}
