/**
 * `SwitchboardEvents.ForwardEvents`: how one Switchboard hands bus events to another over a link
 * (the two-region pub/sub of seed 004). Not an AWS operation: it is served beside them on the same
 * SigV4-signed endpoint. Each entry is an envelope as the sending bus received it (same id, same
 * `region` and `account`, as EventBridge keeps them across buses), its origin region and hop count,
 * which are kept beside it in the log (`LogRecord.meta`) so this side does not send it back.
 *
 *   {"EventBusName": "default", "Entries": [{"Event": "<envelope JSON>", "Origin": "us-west-2", "Hops": 1}]}
 *   → {"FailedEntryCount": 0, "Entries": [{"EventId": "..."}]}
 *
 * An id already in the bus is not appended again (a loop or a retried forward), and answers OK.
 */
import type { NewLogRecord } from '../../storage/index.ts';
import { BusRequestError, busNameFrom, constraintError } from '../rules/index.ts';
import { busStream, type Operation } from './context.ts';
import { isStructure, optionalList, optionalString } from './members.ts';
import { requireBus } from './require-resource.ts';

/** Links a forwarded event may cross in all; a guard against a misconfigured chain. */
export const MAX_LINK_HOPS = 8;
const MAX_ENTRIES = 10;

type ResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export const forwardEvents: Operation = async (input, ctx) => {
  const bus = busNameFrom('eventBusName', optionalString(input, 'EventBusName'));
  const entries = optionalList(input, 'Entries');
  if (entries === undefined) throw constraintError('entries', entries, 'Member must not be null');
  if (entries.length < 1 || entries.length > MAX_ENTRIES) throw constraintError('entries', entries, `Member must have length between 1 and ${MAX_ENTRIES}`);
  if (!entries.every(isStructure)) throw new BusRequestError('SerializationException', 'Unexpected value for Entries: expected a list of structures');
  await requireBus(ctx, bus);
  const results: ResultEntry[] = [];
  const records: NewLogRecord[] = [];
  for (const entry of entries) {
    const text = typeof entry['Event'] === 'string' ? entry['Event'] : '';
    const origin = typeof entry['Origin'] === 'string' ? entry['Origin'] : '';
    const hops = entry['Hops'];
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    const id = isStructure(envelope) && typeof envelope['id'] === 'string' ? envelope['id'] : undefined;
    const time = isStructure(envelope) && typeof envelope['time'] === 'string' ? Date.parse(envelope['time']) : Number.NaN;
    if (id === undefined || Number.isNaN(time)) {
      results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Event must be an event envelope (JSON text with id and time).' });
    } else if (typeof hops !== 'number' || !Number.isInteger(hops) || hops < 1 || hops > MAX_LINK_HOPS || origin === '') {
      results.push({ ErrorCode: 'InvalidArgument', ErrorMessage: `Origin must be a region and Hops an integer from 1 to ${MAX_LINK_HOPS}.` });
    } else {
      results.push({ EventId: id });
      records.push({ id, time: ctx.clock.now(), payload: text, meta: JSON.stringify({ origin, hops }) });
    }
  }
  if (records.length > 0) await ctx.eventLog.append(busStream(bus), records);
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};
