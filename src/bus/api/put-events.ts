/**
 * PutEvents: 1..10 entries, checked as AWS checks them (the count and summed size fail the whole
 * request; each entry then fails or succeeds alone). Valid entries become envelopes appended to
 * `bus:<bus>` and the call answers only after that append is durable, so an acknowledged event
 * survives `kill -9`. Like AWS, an entry for a bus that does not exist gets an EventId and is
 * dropped.
 */
import type { BusStore, NewLogRecord } from '../../storage/index.ts';
import {
  idempotentEventId,
  putEventsEntrySize,
  toEnvelopeText,
  validatePutEventsEntry,
  validatePutEventsRequest,
  type PutEventsEntry,
} from '../envelope/index.ts';
import { BusRequestError, DEFAULT_BUS_NAME, busNameFrom, constraintError, validationError } from '../rules/index.ts';
import { busStream, type Operation } from './context.ts';
import { isStructure, optionalList } from './members.ts';

type ResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export const putEvents: Operation = async (input, ctx) => {
  const entries = optionalList(input, 'Entries');
  if (entries === undefined) throw constraintError('entries', entries, 'Member must not be null');
  if (entries.length < 1) throw constraintError('entries', entries, 'Member must have length greater than or equal to 1');
  if (!entries.every(isStructure)) throw new BusRequestError('SerializationException', 'Unexpected value for Entries: expected a list of structures');
  const typed = entries as readonly PutEventsEntry[];
  const sizes = typed.map(putEventsEntrySize);
  const refused = validatePutEventsRequest(typed.length, sizes, ctx.putEventsLimits);
  if (refused !== undefined) throw validationError(refused.message);
  // Bus names are model-constrained members: a bad one fails the request, not the entry.
  const buses = typed.map((e, i) => (typeof e.EventBusName === 'string' ? busNameFrom(`entries.${i + 1}.member.eventBusName`, e.EventBusName) : DEFAULT_BUS_NAME));

  const now = new Date(ctx.clock.now());
  const time = now.getTime();
  const known = knownBuses(ctx.store);
  const results: ResultEntry[] = [];
  let failed = 0;
  // Usually every entry goes to one bus: its records, and a map only for the others.
  let firstBus: string | undefined;
  const first: NewLogRecord[] = [];
  let others: Map<string, NewLogRecord[]> | undefined;
  for (let i = 0; i < typed.length; i++) {
    const check = validatePutEventsEntry(typed[i] as PutEventsEntry, sizes[i]);
    if (!check.ok) {
      failed++;
      results.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
      continue;
    }
    const bus = buses[i] ?? DEFAULT_BUS_NAME;
    // A keyed entry's id is derived from (bus, key): the log's per-id dedupe then keeps one event.
    const key = check.entry.idempotencyKey;
    const id = key === undefined ? ctx.newId() : idempotentEventId(bus, key);
    results.push({ EventId: id });
    if (!(known.exists.get(bus) ?? (await lookUpBus(ctx.store, known, bus)))) continue;
    const record: NewLogRecord = { id, time, payload: toEnvelopeText(check.entry, { id, now, account: ctx.caller.accountId, region: ctx.caller.region }) };
    if (firstBus === undefined || firstBus === bus) {
      firstBus = bus;
      first.push(record);
    } else {
      others ??= new Map();
      const records = others.get(bus);
      if (records === undefined) others.set(bus, [record]);
      else records.push(record);
    }
  }
  // All appends are queued in this turn, so the write batcher commits them together.
  if (firstBus !== undefined) {
    const appended = ctx.eventLog.append(busStream(firstBus), first);
    if (others === undefined) await appended;
    else await Promise.all([appended, ...[...others].map(([bus, records]) => ctx.eventLog.append(busStream(bus), records))]);
  }
  return { FailedEntryCount: failed, Entries: results };
};

/**
 * Which buses exist, per store, remembered until its configuration changes (`configVersion`):
 * the bus lookup is otherwise a query on every call. Bounded, because the names of buses that do
 * not exist come from the client. When the lookup itself fails (cluster mode: PostgreSQL briefly
 * unreachable, and its change listener bumps the version while it reconnects), the answer known
 * before the change is used: events for a bus known to exist are still taken into the log.
 */
interface KnownBuses {
  readonly version: number;
  readonly exists: Map<string, boolean>;
  /** The answers of the previous version, for when a lookup fails. */
  readonly before: Map<string, boolean>;
}
const busCache = new WeakMap<BusStore, KnownBuses>();
const MAX_KNOWN_BUSES = 1_000;

function knownBuses(store: BusStore): KnownBuses {
  const version = store.configVersion();
  let cache = busCache.get(store);
  if (cache === undefined || cache.version !== version) {
    const before = cache === undefined ? new Map<string, boolean>() : new Map([...cache.before, ...cache.exists]);
    cache = { version, exists: new Map(), before };
    busCache.set(store, cache);
  }
  return cache;
}

async function lookUpBus(store: BusStore, known: KnownBuses, bus: string): Promise<boolean> {
  let exists: boolean;
  try {
    exists = (await store.getBus(bus)) !== undefined;
  } catch (error) {
    const before = known.before.get(bus);
    if (before !== true) throw error;
    return true;
  }
  if (known.exists.size >= MAX_KNOWN_BUSES) known.exists.clear();
  if (known.before.size >= MAX_KNOWN_BUSES) known.before.clear();
  known.exists.set(bus, exists);
  return exists;
}
