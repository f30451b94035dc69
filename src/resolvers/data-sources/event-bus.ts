/**
 * EVENT_BUS: AppSync's EventBridge data source. `{operation: 'PutEvents', events: [...]}` with 1-10
 * entries; each valid entry becomes an EventBridge envelope appended durably to the bus's event
 * log stream (`bus:<name>`) before the call returns. The result has AWS's shape: `Entries` in
 * request order, each `{EventId}` or `{ErrorCode, ErrorMessage}`, and `FailedEntryCount`.
 * Rule matching and delivery consume that stream (the event-bus issue).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.ts';
import type { EventLog, NewLogRecord } from '../../storage/index.ts';
import { DataSourceError, type DataSource } from '../types.ts';

export interface EventBusDataSourceOptions {
  readonly bus: string;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly account?: string;
  readonly region?: string;
}

const MAX_ENTRY_BYTES = 256 * 1024;

export function busStream(bus: string): string {
  return `bus:${bus}`;
}

type EntryResult = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export function createEventBusDataSource(options: EventBusDataSourceOptions): DataSource {
  const account = options.account ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  return {
    type: 'EVENT_BUS',
    async invoke(request) {
      const req = (request ?? {}) as { operation?: unknown; events?: unknown };
      if (req.operation !== 'PutEvents') throw new DataSourceError('BadRequestException', `Unsupported operation '${String(req.operation)}'. Only PutEvents is supported.`);
      if (!Array.isArray(req.events) || req.events.length < 1 || req.events.length > 10) {
        throw new DataSourceError('ValidationException', '1 validation error detected: Value at \'entries\' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1');
      }
      const results: EntryResult[] = [];
      const records: NewLogRecord[] = [];
      const now = options.clock.now();
      for (const raw of req.events as unknown[]) {
        const entry = (raw ?? {}) as Record<string, unknown>;
        const problem = checkEntry(entry);
        if (problem !== undefined) {
          results.push(problem);
          continue;
        }
        const id = randomUUID();
        const time = typeof entry['time'] === 'string' && !Number.isNaN(Date.parse(entry['time'])) ? new Date(Date.parse(entry['time'])) : new Date(now);
        const envelope = {
          version: '0',
          id,
          'detail-type': entry['detailType'],
          source: entry['source'],
          account,
          time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region,
          resources: Array.isArray(entry['resources']) ? entry['resources'] : [],
          detail: typeof entry['detail'] === 'string' ? JSON.parse(entry['detail']) as unknown : entry['detail'] ?? {},
        };
        const payload = JSON.stringify(envelope);
        if (Buffer.byteLength(payload) > MAX_ENTRY_BYTES) {
          results.push({ ErrorCode: 'ValidationException', ErrorMessage: 'Total size of the entries in the request is over the limit.' });
          continue;
        }
        records.push({ id, time: now, payload });
        results.push({ EventId: id });
      }
      if (records.length > 0) await options.eventLog.append(busStream(options.bus), records);
      return { Entries: results, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length };
    },
  };
}

function checkEntry(entry: Record<string, unknown>): EntryResult | undefined {
  if (typeof entry['source'] !== 'string' || entry['source'] === '') {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' };
  }
  if (typeof entry['detailType'] !== 'string' || entry['detailType'] === '') {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' };
  }
  const detail = entry['detail'];
  if (typeof detail === 'string') {
    try {
      const parsed: unknown = JSON.parse(detail);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
  } else if (detail !== undefined && (detail === null || typeof detail !== 'object' || Array.isArray(detail))) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  return undefined;
}
