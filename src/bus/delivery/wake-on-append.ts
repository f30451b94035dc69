/**
 * An `EventLog` that calls `onAppend(bus)` once an append to `bus:<bus>` is durable, so delivery
 * wakes at once instead of polling. Every writer of bus events (PutEvents, the GraphQL EVENT_BUS
 * data source) appends through the one log the server builds, so wrapping it catches them all.
 */
import type { EventLog } from '../../storage/index.ts';

const BUS_PREFIX = 'bus:';

export function wakeOnAppend(log: EventLog, onAppend: (bus: string) => void): EventLog {
  return {
    async append(stream, records) {
      const offsets = await log.append(stream, records);
      if (stream.startsWith(BUS_PREFIX)) onAppend(stream.slice(BUS_PREFIX.length));
      return offsets;
    },
    read: (stream, after, limit) => log.read(stream, after, limit),
    find: (stream, id) => log.find(stream, id),
    head: (stream) => log.head(stream),
    trim: (stream, through) => log.trim(stream, through),
  };
}
