/**
 * The `ChangeSink`s of the tables declared with `changes`: the store calls them inside each
 * write's transaction, so the Pipe event of a change is appended to the bus's event-log stream
 * together with the item write it records. The record's sequence number is its offset in that
 * stream, which the store hands over and which only grows.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.ts';
import type { TableDefinition } from '../app/index.ts';
import type { ChangeSink } from '../storage/index.ts';
import { busStream } from '../bus/index.ts';
import { formatSequenceNumber, tableChange, toPipeEnvelope } from './change-record.ts';
import { parseStored } from './operations/context.ts';

/** AWS's streams carry their creation time here; ours are as old as the table, so a fixed label keeps ARNs stable across restarts. */
export const STREAM_LABEL = '1970-01-01T00:00:00.000';

export interface ChangeSinkOptions {
  readonly clock: Clock;
  /** Event ids and stream record ids; default `crypto.randomUUID`. */
  readonly newId?: () => string;
  /** Default `000000000000`, the account of the local bus's own events. */
  readonly account?: string;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Called after a commit that appended change events to `bus` (to wake its delivery). */
  readonly onAppend?: (bus: string) => void;
}

/** One sink per table with `changes`, keyed by table name (`TableStore.withChanges`). */
export function createChangeSinks(tables: Readonly<Record<string, TableDefinition>>, options: ChangeSinkOptions): Record<string, ChangeSink> {
  const newId = options.newId ?? randomUUID;
  const account = options.account ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  const sinks: Record<string, ChangeSink> = {};
  for (const table of Object.values(tables)) {
    const changes = table.changes;
    if (changes === undefined) continue;
    const onAppend = options.onAppend;
    sinks[table.name] = {
      stream: busStream(changes.bus),
      record(change, offset) {
        const found = tableChange(table, parseStored(change.before), parseStored(change.after));
        if (found === undefined) return undefined;
        const now = options.clock.now();
        const id = newId();
        const envelope = toPipeEnvelope(found, {
          table: table.name,
          pipeName: changes.pipeName,
          viewType: changes.viewType,
          id,
          // AWS's eventIDs are 32 hex digits.
          eventId: newId().replaceAll('-', ''),
          now,
          sequenceNumber: formatSequenceNumber(offset),
          account,
          region,
          streamLabel: STREAM_LABEL,
        });
        return { id, time: now, payload: JSON.stringify(envelope) };
      },
      ...(onAppend !== undefined ? { onCommit: () => onAppend(changes.bus) } : {}),
    };
  }
  return sinks;
}
