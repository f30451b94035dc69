/**
 * PutTargets, ListTargetsByRule, RemoveTargets. Targets are validated (inputs compiled) at
 * PutTargets and kept as received; nothing is delivered to them yet (the next slice).
 */
import { BusRequestError, checkName, constraintError, defineTargets, LIMIT_EXCEEDED_MESSAGE } from '../rules/index.ts';
import type { Operation } from './context.ts';
import { optionalList } from './members.ts';
import { pageOf, readPage } from './pagination.ts';
import { requireBus, requireRule, ruleNotFound } from './require-resource.ts';
import { ruleRef } from './rule-operations.ts';

export const putTargets: Operation = async (input, ctx) => {
  const { bus, name } = ruleRef(input, 'Rule');
  const targets = defineTargets(input['Targets']);
  await requireBus(ctx, bus);
  const outcome = await ctx.store.putTargets(bus, name, targets, ctx.limits.maxTargetsPerRule);
  if (outcome === 'no-rule') throw ruleNotFound(bus, name);
  if (outcome === 'limit') throw new BusRequestError('LimitExceededException', LIMIT_EXCEEDED_MESSAGE);
  // Every failure found so far fails the whole request (AWS's recorded behaviour for invalid
  // inputs); FailedEntries stays empty until delivery adds per-target failures.
  return { FailedEntryCount: 0, FailedEntries: [] };
};

export const listTargetsByRule: Operation = async (input, ctx) => {
  const { bus, name } = ruleRef(input, 'Rule');
  const page = readPage(input);
  await requireRule(ctx, bus, name);
  const targets = (await ctx.store.listTargets(bus, name)) ?? [];
  const after = targets.filter((t) => t.id > page.after);
  const shown = pageOf(after, page, (t) => t.id);
  return {
    Targets: shown.items.map((t) => JSON.parse(t.config) as unknown),
    ...(shown.nextToken !== undefined ? { NextToken: shown.nextToken } : {}),
  };
};

export const removeTargets: Operation = async (input, ctx) => {
  const { bus, name } = ruleRef(input, 'Rule');
  const ids = optionalList(input, 'Ids');
  if (ids === undefined) throw constraintError('ids', ids, 'Member must not be null');
  if (ids.length < 1) throw constraintError('ids', ids, 'Member must have length greater than or equal to 1');
  if (ids.length > 100) throw constraintError('ids', ids, 'Member must have length less than or equal to 100');
  const checked = ids.map((id, i) => checkName(`ids.${i + 1}.member`, typeof id === 'string' ? id : undefined));
  await requireBus(ctx, bus);
  if (!(await ctx.store.removeTargets(bus, name, checked))) throw ruleNotFound(bus, name);
  return { FailedEntryCount: 0, FailedEntries: [] };
};
