/**
 * A bus's enabled rules compiled into one matcher, with their targets. Rebuilt only when the
 * store's `configVersion` moved, so matching per event never re-reads or recompiles rules.
 */
import type { BusStore, StoredTarget } from '../../storage/index.ts';
import { compileRules, parsePattern, type Matcher, type RuleInput } from '../patterns/index.ts';

export interface RuleSet {
  readonly version: number;
  readonly matcher: Matcher;
  /** Targets by rule name. */
  readonly targets: ReadonlyMap<string, readonly StoredTarget[]>;
  /** Targets of the enabled schedule rules, by rule name: they get only their scheduled events. */
  readonly scheduled: ReadonlyMap<string, readonly StoredTarget[]>;
}

const PAGE = 100;

/** Rule states that deliver events (the CloudTrail variant is ENABLED plus management events). */
export const isEnabled = (state: string): boolean => state === 'ENABLED' || state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export async function loadRuleSet(store: BusStore, bus: string): Promise<RuleSet> {
  // Read the version first: a change committed while loading makes the next call load again.
  const version = store.configVersion();
  const inputs: RuleInput[] = [];
  const targets = new Map<string, readonly StoredTarget[]>();
  const scheduled = new Map<string, readonly StoredTarget[]>();
  let after = '';
  for (;;) {
    const page = await store.listRules(bus, { after, limit: PAGE });
    for (const rule of page) {
      if (!isEnabled(rule.state)) continue;
      const ruleTargets = (await store.listTargets(bus, rule.name)) ?? [];
      if (ruleTargets.length === 0) continue;
      if (rule.scheduleExpression !== undefined) scheduled.set(rule.name, ruleTargets);
      // Schedule-only rules match no event.
      if (rule.eventPattern === undefined) continue;
      inputs.push({ id: rule.name, pattern: parsePattern(rule.eventPattern) });
      targets.set(rule.name, ruleTargets);
    }
    const last = page[page.length - 1];
    if (page.length < PAGE || last === undefined) break;
    after = last.name;
  }
  return { version, matcher: compileRules(inputs), targets, scheduled };
}
