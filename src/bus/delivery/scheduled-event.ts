/**
 * The event a schedule rule sends its targets, as AWS sends it: `source: aws.events`,
 * `detail-type: Scheduled Event`, the rule's ARN in `resources`, an empty `detail`, `time` the
 * scheduled instant. It goes into the bus's event log (so trace finds it) with meta
 * `{"schedule": "<rule>"}` (`envelope/scheduled-meta.ts`): the dispatcher hands it to that rule's targets only, as AWS does
 * (no pattern rule ever sees a scheduled event).
 *
 * Its id is derived from (rule ARN, fire time): a scheduler that crashed after appending and
 * fires the same instant again appends the same id, which the log drops. Each fire time is
 * delivered once per target (at least once, never twice from the scheduler's side).
 */
import { createHash } from 'node:crypto';
import type { NewLogRecord } from '../../storage/index.ts';
import { formatEventTime, scheduledMeta } from '../envelope/index.ts';
import { ruleArn, type ArnScope } from '../rules/index.ts';

export function scheduledEventId(arn: string, fireAt: number): string {
  const h = createHash('sha256').update(`${arn}\n${fireAt}`).digest('hex');
  // UUID-shaped (version nibble 5-like, variant 8-b), as ids of ordinary events are UUIDs.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function scheduledEventRecord(scope: ArnScope, bus: string, rule: string, fireAt: number, now: number): NewLogRecord {
  const arn = ruleArn(scope, bus, rule);
  const id = scheduledEventId(arn, fireAt);
  const envelope = {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: scope.accountId,
    time: formatEventTime(fireAt),
    region: scope.region,
    resources: [arn],
    detail: {},
  };
  return { id, time: now, payload: JSON.stringify(envelope), meta: scheduledMeta(rule) };
}
