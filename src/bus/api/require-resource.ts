/**
 * The ResourceNotFoundException checks shared by rule and target operations, with AWS's texts
 * ("Event bus X does not exist.", "Rule X does not exist on EventBus Y.").
 */
import type { StoredRule } from '../../storage/index.ts';
import { BusRequestError } from '../rules/index.ts';
import type { OperationContext } from './context.ts';

export const busNotFound = (bus: string): BusRequestError => new BusRequestError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
export const ruleNotFound = (bus: string, rule: string): BusRequestError =>
  new BusRequestError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);

export async function requireBus(ctx: OperationContext, bus: string): Promise<void> {
  if ((await ctx.store.getBus(bus)) === undefined) throw busNotFound(bus);
}

export async function requireRule(ctx: OperationContext, bus: string, rule: string): Promise<StoredRule> {
  await requireBus(ctx, bus);
  const stored = await ctx.store.getRule(bus, rule);
  if (stored === undefined) throw ruleNotFound(bus, rule);
  return stored;
}
