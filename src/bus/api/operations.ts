/** The AWSEvents operations served, by name (the part after `AWSEvents.` in `X-Amz-Target`). */
import { createArchive, deleteArchive, describeArchive, listArchives, updateArchive } from './archive-operations.ts';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses } from './bus-operations.ts';
import type { Operation } from './context.ts';
import { deleteDeadLetters, getDeadLetter, listDeadLetters, redriveDeadLetters } from './dead-letter-operations.ts';
import { forwardEvents } from './forward-events.ts';
import { getEventTrace } from './trace-operation.ts';
import { putEvents } from './put-events.ts';
import { cancelReplay, describeReplay, listReplays, startReplay } from './replay-operations.ts';
import { deleteRule, describeRule, disableRule, enableRule, listRules, putRule } from './rule-operations.ts';
import { listTargetsByRule, putTargets, removeTargets } from './target-operations.ts';
import { testEventPattern } from './test-event-pattern.ts';

export const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['PutEvents', putEvents],
  ['TestEventPattern', testEventPattern],
  ['PutRule', putRule],
  ['DescribeRule', describeRule],
  ['ListRules', listRules],
  ['DeleteRule', deleteRule],
  ['EnableRule', enableRule],
  ['DisableRule', disableRule],
  ['PutTargets', putTargets],
  ['ListTargetsByRule', listTargetsByRule],
  ['RemoveTargets', removeTargets],
  ['CreateEventBus', createEventBus],
  ['DescribeEventBus', describeEventBus],
  ['ListEventBuses', listEventBuses],
  ['DeleteEventBus', deleteEventBus],
  ['CreateArchive', createArchive],
  ['DescribeArchive', describeArchive],
  ['ListArchives', listArchives],
  ['UpdateArchive', updateArchive],
  ['DeleteArchive', deleteArchive],
  ['StartReplay', startReplay],
  ['DescribeReplay', describeReplay],
  ['ListReplays', listReplays],
  ['CancelReplay', cancelReplay],
]);

/** Switchboard's own operations (after `SwitchboardEvents.`). */
export const SWITCHBOARD_OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['ForwardEvents', forwardEvents],
  ['ListDeadLetters', listDeadLetters],
  ['GetDeadLetter', getDeadLetter],
  ['RedriveDeadLetters', redriveDeadLetters],
  ['DeleteDeadLetters', deleteDeadLetters],
  ['GetEventTrace', getEventTrace],
]);
