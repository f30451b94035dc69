/** Reads of the bus configuration the views share (through the console's operation call). */
import { events, switchboardEvents } from './api.ts';
import type { DeadLetter, EventBus, Rule, Target } from './types.ts';

export interface RuleWithTargets {
  readonly rule: Rule;
  readonly targets: readonly Target[];
}

async function paged<T>(load: (token: string | undefined) => Promise<{ items: readonly T[]; next?: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  for (let token: string | undefined, pages = 0; pages < 50; pages++) {
    const page = await load(token);
    out.push(...page.items);
    if (page.next === undefined) break;
    token = page.next;
  }
  return out;
}

export function listBuses(): Promise<EventBus[]> {
  return paged(async (token) => {
    const r = await events<{ EventBuses: EventBus[]; NextToken?: string }>('ListEventBuses', token === undefined ? {} : { NextToken: token });
    return { items: r.EventBuses, next: r.NextToken };
  });
}

export async function listRulesWithTargets(bus: string): Promise<RuleWithTargets[]> {
  const rules = await paged(async (token) => {
    const r = await events<{ Rules: Rule[]; NextToken?: string }>('ListRules', { EventBusName: bus, ...(token === undefined ? {} : { NextToken: token }) });
    return { items: r.Rules, next: r.NextToken };
  });
  return Promise.all(
    rules.map(async (rule) => ({
      rule,
      targets: (await events<{ Targets: Target[] }>('ListTargetsByRule', { Rule: rule.Name, EventBusName: bus })).Targets,
    })),
  );
}

export function listDeadLetters(bus: string): Promise<DeadLetter[]> {
  return paged(async (token) => {
    const r = await switchboardEvents<{ DeadLetters: DeadLetter[]; NextToken?: string }>('ListDeadLetters', { EventBusName: bus, ...(token === undefined ? {} : { NextToken: token }) });
    return { items: r.DeadLetters, next: r.NextToken };
  });
}
