/**
 * PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule. Rules are stored with
 * their pattern text exactly as given (AWS echoes it unchanged). They are not evaluated against
 * events yet: matching and delivery are the next slice.
 */
import type { StoredRule } from '../../storage/index.ts';
import { BusRequestError, busNameFrom, checkName, defineRule, LIMIT_EXCEEDED_MESSAGE, ruleArn, validationError, type ArnScope } from '../rules/index.ts';
import type { Operation, OperationContext } from './context.ts';
import { optionalString, type Input } from './members.ts';
import { pageOf, readPage } from './pagination.ts';
import { busNotFound, requireBus, requireRule, ruleNotFound } from './require-resource.ts';

function ruleJson(rule: StoredRule, scope: ArnScope) {
  return {
    Name: rule.name,
    Arn: ruleArn(scope, rule.bus, rule.name),
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: rule.bus,
  };
}

/** `Name` (or `Rule` for target operations) and `EventBusName`, validated. */
export function ruleRef(input: Input, nameMember: 'Name' | 'Rule'): { readonly bus: string; readonly name: string } {
  const name = checkName(nameMember === 'Name' ? 'name' : 'rule', optionalString(input, nameMember));
  return { bus: busNameFrom('eventBusName', optionalString(input, 'EventBusName')), name };
}

export const putRule: Operation = async (input, ctx) => {
  const { bus, name } = ruleRef(input, 'Name');
  const scheduleExpression = optionalString(input, 'ScheduleExpression');
  const eventPattern = optionalString(input, 'EventPattern');
  const state = optionalString(input, 'State');
  const description = optionalString(input, 'Description');
  const roleArn = optionalString(input, 'RoleArn');
  const definition = defineRule({
    bus,
    ...(eventPattern !== undefined ? { eventPattern } : {}),
    ...(scheduleExpression !== undefined ? { scheduleExpression } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
  });
  const now = ctx.clock.now();
  // Create-or-replace: members left out are reset, as in AWS; targets stay.
  const outcome = await ctx.store.putRule({ bus, name, ...definition, createdAt: now, updatedAt: now }, ctx.limits.maxRulesPerBus);
  if (outcome === 'no-bus') throw busNotFound(bus);
  if (outcome === 'limit') throw new BusRequestError('LimitExceededException', LIMIT_EXCEEDED_MESSAGE);
  return { RuleArn: ruleArn(ctx.caller, bus, name) };
};

export const describeRule: Operation = async (input, ctx) => {
  const { bus, name } = ruleRef(input, 'Name');
  const rule = await requireRule(ctx, bus, name);
  return { ...ruleJson(rule, ctx.caller), CreatedBy: ctx.caller.accountId };
};

export const listRules: Operation = async (input, ctx) => {
  const prefix = optionalString(input, 'NamePrefix');
  if (prefix !== undefined) checkName('namePrefix', prefix);
  const bus = busNameFrom('eventBusName', optionalString(input, 'EventBusName'));
  const page = readPage(input);
  await requireBus(ctx, bus);
  const rules = await ctx.store.listRules(bus, { ...(prefix !== undefined ? { prefix } : {}), after: page.after, limit: page.limit + 1 });
  const shown = pageOf(rules, page, (r) => r.name);
  return { Rules: shown.items.map((r) => ruleJson(r, ctx.caller)), ...(shown.nextToken !== undefined ? { NextToken: shown.nextToken } : {}) };
};

export const deleteRule: Operation = async (input, ctx) => {
  const { bus, name } = ruleRef(input, 'Name');
  await requireBus(ctx, bus);
  // Deleting a rule that does not exist succeeds, as in AWS.
  if ((await ctx.store.deleteRule(bus, name)) === 'has-targets') throw validationError("Rule can't be deleted since it has targets.");
  return {};
};

function setState(state: 'ENABLED' | 'DISABLED'): Operation {
  return async (input: Input, ctx: OperationContext) => {
    const { bus, name } = ruleRef(input, 'Name');
    await requireBus(ctx, bus);
    if (!(await ctx.store.setRuleState(bus, name, state, ctx.clock.now()))) throw ruleNotFound(bus, name);
    return {};
  };
}

export const enableRule = setState('ENABLED');
export const disableRule = setState('DISABLED');
