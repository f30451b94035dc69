/**
 * EVENT_BUS: AppSync's EventBridge data source. `{operation: 'PutEvents', events: [...]}` with 1-10
 * entries in AppSync's camelCase shape (`detail` may be an object); each entry is checked and
 * turned into an envelope by the bus's own PutEvents rules (`bus/envelope`), so the data source
 * and the EventBridge API accept and produce exactly the same events. Valid envelopes are
 * appended durably to the bus's event log stream before the call returns. The result has AWS's
 * shape: `Entries` in request order, each `{EventId}` or `{ErrorCode, ErrorMessage}`, and
 * `FailedEntryCount`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Mutable } from '../../core/index.ts';
import type { EventLog, NewLogRecord } from '../../storage/index.ts';
import { busStream, DEFAULT_PUT_EVENTS_LIMITS, toEnvelope, validatePutEventsEntry, validatePutEventsRequest, type PutEventsEntry } from '../../bus/index.ts';
import { DataSourceError, type DataSource } from '../types.ts';

export interface EventBusDataSourceOptions {
  readonly bus: string;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly account?: string;
  readonly region?: string;
}

type EntryResult = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** AppSync's entry shape to the API's: `detail` as an object becomes its JSON text, `time` (RFC 3339) epoch seconds. */
function toPutEventsEntry(raw: unknown): PutEventsEntry {
  const e = (raw ?? {}) as Record<string, unknown>;
  const detail = e['detail'];
  const time = typeof e['time'] === 'string' ? Date.parse(e['time']) : Number.NaN;
  // Built member by member: a literal that starts with a spread is slow to collect (core/objects.ts).
  const entry: Mutable<PutEventsEntry> = {};
  if (typeof e['source'] === 'string') entry.Source = e['source'];
  if (typeof e['detailType'] === 'string') entry.DetailType = e['detailType'];
  entry.Detail = typeof detail === 'string' ? detail : JSON.stringify(detail ?? {});
  if (Array.isArray(e['resources'])) entry.Resources = e['resources'] as string[];
  // An unreadable time falls back to the call time, as before.
  if (!Number.isNaN(time)) entry.Time = time / 1000;
  return entry;
}

export function createEventBusDataSource(options: EventBusDataSourceOptions): DataSource {
  const account = options.account ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  return {
    type: 'EVENT_BUS',
    async invoke(request) {
      const req = (request ?? {}) as { operation?: unknown; events?: unknown };
      if (req.operation !== 'PutEvents') throw new DataSourceError('BadRequestException', `Unsupported operation '${String(req.operation)}'. Only PutEvents is supported.`);
      if (!Array.isArray(req.events) || req.events.length < 1 || req.events.length > 10) {
        throw new DataSourceError('ValidationException', "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1");
      }
      const checks = (req.events as unknown[]).map((e) => validatePutEventsEntry(toPutEventsEntry(e)));
      const tooLarge = validatePutEventsRequest(checks.length, checks.map((c) => (c.ok ? c.entry.size : 0)), DEFAULT_PUT_EVENTS_LIMITS);
      if (tooLarge !== undefined) throw new DataSourceError(tooLarge.type, tooLarge.message);
      const now = options.clock.now();
      const records: NewLogRecord[] = [];
      const results: EntryResult[] = checks.map((check) => {
        if (!check.ok) return { ErrorCode: check.errorCode, ErrorMessage: check.errorMessage };
        const id = randomUUID();
        records.push({ id, time: now, payload: JSON.stringify(toEnvelope(check.entry, { id, now: new Date(now), account, region })) });
        return { EventId: id };
      });
      if (records.length > 0) await options.eventLog.append(busStream(options.bus), records);
      return { Entries: results, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length };
    },
  };
}
