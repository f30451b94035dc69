/**
 * The live event stream, read by the page every second or so: what each bus's event log got since
 * the page's cursor (one offset per bus, carried as an opaque token), newest first. The first read
 * (no cursor) returns the latest events of every bus. Reads only the log: no subscription, no
 * state kept per page on the server.
 */
import { busStream } from '../../bus/index.ts';
import type { BusStore, EventLog, LogRecord } from '../../storage/index.ts';
import type { StreamEvent, StreamPage } from './wire.ts';

export type { StreamEvent, StreamPage } from './wire.ts';


export const MAX_STREAM_LIMIT = 500;

export function decodeCursor(token: string | null): Map<string, number> | undefined {
  if (token === null || token === '') return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out = new Map<string, number>();
    for (const [bus, offset] of Object.entries(value)) if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) out.set(bus, offset);
    return out;
  } catch {
    return undefined;
  }
}

function encodeCursor(offsets: ReadonlyMap<string, number>): string {
  return Buffer.from(JSON.stringify(Object.fromEntries(offsets)), 'utf8').toString('base64url');
}

async function allBuses(store: BusStore): Promise<string[]> {
  const names: string[] = [];
  for (let after = ''; ; ) {
    const page = await store.listBuses({ after, limit: 100 });
    names.push(...page.map((b) => b.name));
    const last = page[page.length - 1];
    if (page.length < 100 || last === undefined) return names;
    after = last.name;
  }
}

function toStreamEvent(bus: string, record: LogRecord): StreamEvent | undefined {
  try {
    const e = JSON.parse(record.payload) as Record<string, unknown>;
    const text = (key: string): string => (typeof e[key] === 'string' ? e[key] : '');
    return {
      bus,
      offset: record.offset,
      id: record.id,
      receivedAt: new Date(record.time).toISOString(),
      time: text('time'),
      source: text('source'),
      detailType: text('detail-type'),
      account: text('account'),
      region: text('region'),
      resources: Array.isArray(e['resources']) ? e['resources'].filter((r): r is string => typeof r === 'string') : [],
      detail: e['detail'] ?? null,
    };
  } catch {
    return undefined;
  }
}

export async function readEventStream(deps: { readonly store: BusStore; readonly eventLog: EventLog }, cursorToken: string | null, limit: number): Promise<StreamPage> {
  const cursor = decodeCursor(cursorToken);
  const buses = await allBuses(deps.store);
  const next = new Map<string, number>();
  const events: StreamEvent[] = [];
  let more = false;
  for (const bus of buses) {
    const stream = busStream(bus);
    // First read: the latest `limit` events of each bus; then whatever came after the cursor.
    const after = cursor?.get(bus) ?? (cursor === undefined ? Math.max(0, (await deps.eventLog.head(stream)) - limit) : 0);
    const records = await deps.eventLog.read(stream, after, limit);
    if (records.length === limit) more = cursor !== undefined;
    next.set(bus, records[records.length - 1]?.offset ?? after);
    for (const r of records) {
      const event = toStreamEvent(bus, r);
      if (event !== undefined) events.push(event);
    }
  }
  events.sort((a, b) => (a.receivedAt === b.receivedAt ? b.offset - a.offset : a.receivedAt < b.receivedAt ? 1 : -1));
  // Later reads return all they read (the cursor moved past it); the first only the latest `limit`.
  return { events: cursor === undefined ? events.slice(0, limit) : events, cursor: encodeCursor(next), buses, more };
}
