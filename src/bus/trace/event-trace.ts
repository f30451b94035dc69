/**
 * The trace of one event on one bus: the envelope as stored, then every rule of the bus (as it is
 * configured now) with whether it matches and, if not, the first field that failed; for each target
 * of a matching rule, the input the transformer makes of the event and every recorded attempt
 * (delivered, failed and retried, dead-lettered, deferred), plus whether a delivery is still pending.
 */
import type { BusStore, EventLog } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import { parseTargetConfig } from '../delivery/index.ts';
import { scheduledRuleOf } from '../envelope/index.ts';
import type { EventEnvelope } from '../envelope/index.ts';
import { parsePattern } from '../patterns/index.ts';
import { ruleArn } from '../rules/index.ts';
import { compileTargetInput } from '../transform/index.ts';
import { explainMismatch } from './explain-mismatch.ts';

export interface TargetTrace {
  readonly id: string;
  readonly arn: string;
  /** What the target gets (JSON text), or null when the transformed text is not JSON and nothing is sent. */
  readonly input: string | null;
  readonly attempts: readonly { readonly attempt: number; readonly at: string; readonly outcome: string; readonly code?: string; readonly message?: string }[];
  readonly pending: boolean;
}

export interface RuleTrace {
  readonly name: string;
  readonly state: string;
  readonly matched: boolean;
  readonly failedField?: string;
  readonly targets?: readonly TargetTrace[];
}

export interface EventTrace {
  readonly eventId: string;
  readonly bus: string;
  readonly receivedAt: string;
  readonly event: EventEnvelope;
  readonly rules: readonly RuleTrace[];
}

const PAGE = 100;

export async function traceEvent(deps: { readonly store: BusStore; readonly eventLog: EventLog }, bus: string, eventId: string): Promise<EventTrace | undefined> {
  const record = await deps.eventLog.find(busStream(bus), eventId);
  if (record === undefined) return undefined;
  const event = JSON.parse(record.payload) as EventEnvelope;
  const scheduledFor = scheduledRuleOf(record.meta);
  const attempts = await deps.store.listAttempts(eventId);
  const pending = (await deps.store.pendingDeliveries()).filter((j) => j.eventId === eventId && j.bus === bus);
  const rules: RuleTrace[] = [];
  for (let after = ''; ; ) {
    const page = await deps.store.listRules(bus, { after, limit: PAGE });
    for (const rule of page) {
      // A scheduled event goes to its own rule only; a schedule-only rule matches no put event.
      const failed =
        scheduledFor !== undefined
          ? rule.name === scheduledFor
            ? undefined
            : `(a scheduled event of rule ${scheduledFor}: only that rule gets it)`
          : rule.eventPattern === undefined
            ? '(schedule rule: matches no events)'
            : explainMismatch(parsePattern(rule.eventPattern), event);
      if (failed !== undefined) {
        rules.push({ name: rule.name, state: rule.state, matched: false, failedField: failed });
        continue;
      }
      const targets: TargetTrace[] = [];
      for (const stored of (await deps.store.listTargets(bus, rule.name)) ?? []) {
        const target = parseTargetConfig(stored.config);
        const input = compileTargetInput(target.input)(event, {
          ruleArn: ruleArn({ accountId: event.account, region: event.region }, bus, rule.name),
          ruleName: rule.name,
          ingestionTime: new Date(record.time).toISOString(),
        });
        targets.push({
          id: target.id,
          arn: target.arn,
          input: input ?? null,
          attempts: attempts
            .filter((a) => a.bus === bus && a.rule === rule.name && a.targetId === target.id)
            .map((a) => ({ attempt: a.attempt, at: new Date(a.at).toISOString(), outcome: a.outcome, ...(a.code !== undefined ? { code: a.code } : {}), ...(a.message !== undefined ? { message: a.message } : {}) })),
          pending: pending.some((j) => j.rule === rule.name && j.targetId === target.id),
        });
      }
      rules.push({ name: rule.name, state: rule.state, matched: true, targets });
    }
    const last = page[page.length - 1];
    if (page.length < PAGE || last === undefined) break;
    after = last.name;
  }
  return { eventId, bus, receivedAt: new Date(record.time).toISOString(), event, rules };
}
