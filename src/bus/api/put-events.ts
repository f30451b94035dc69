/**
 * PutEvents: 1..10 entries, checked as AWS checks them (the count and summed size fail the whole
 * request; each entry then fails or succeeds alone). Valid entries become envelopes appended to
 * `bus:<bus>` and the call answers only after that append is durable, so an acknowledged event
 * survives `kill -9`. Like AWS, an entry for a bus that does not exist gets an EventId and is
 * dropped.
 */
import type { NewLogRecord } from '../../storage/index.ts';
import {
  putEventsEntrySize,
  toEnvelope,
  validatePutEventsEntry,
  validatePutEventsRequest,
  type PutEventsEntry,
} from '../envelope/index.ts';
import { BusRequestError, busNameFrom, constraintError, validationError } from '../rules/index.ts';
import { busStream, type Operation } from './context.ts';
import { isStructure, optionalList } from './members.ts';

type ResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export const putEvents: Operation = async (input, ctx) => {
  const entries = optionalList(input, 'Entries');
  if (entries === undefined) throw constraintError('entries', entries, 'Member must not be null');
  if (entries.length < 1) throw constraintError('entries', entries, 'Member must have length greater than or equal to 1');
  if (!entries.every(isStructure)) throw new BusRequestError('SerializationException', 'Unexpected value for Entries: expected a list of structures');
  const typed = entries as readonly PutEventsEntry[];
  const refused = validatePutEventsRequest(typed.length, typed.map(putEventsEntrySize), ctx.putEventsLimits);
  if (refused !== undefined) throw validationError(refused.message);
  // Bus names are model-constrained members: a bad one fails the request, not the entry.
  const buses = typed.map((e, i) =>
    busNameFrom(`entries.${i + 1}.member.eventBusName`, typeof e.EventBusName === 'string' ? e.EventBusName : undefined),
  );

  const now = new Date(ctx.clock.now());
  const exists = new Map<string, Promise<boolean>>();
  const busExists = (bus: string): Promise<boolean> => {
    let known = exists.get(bus);
    if (known === undefined) {
      known = ctx.store.getBus(bus).then((b) => b !== undefined);
      exists.set(bus, known);
    }
    return known;
  };

  const results: ResultEntry[] = [];
  const streams = new Map<string, NewLogRecord[]>();
  for (const [i, entry] of typed.entries()) {
    const check = validatePutEventsEntry(entry);
    if (!check.ok) {
      results.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
      continue;
    }
    const id = ctx.newId();
    results.push({ EventId: id });
    const bus = buses[i] ?? 'default';
    if (!(await busExists(bus))) continue;
    const envelope = toEnvelope(check.entry, { id, now, account: ctx.caller.accountId, region: ctx.caller.region });
    const records = streams.get(bus) ?? [];
    records.push({ id, time: now.getTime(), payload: JSON.stringify(envelope) });
    streams.set(bus, records);
  }
  // All appends are queued in this turn, so the write batcher commits them together.
  await Promise.all([...streams].map(([bus, records]) => ctx.eventLog.append(busStream(bus), records)));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
};
