/**
 * An `EventLog` that hands appends to `bus:<bus>` to delivery: `dispatch` is offered each append
 * as it is queued, to record its delivery jobs in the same transaction; when it declines,
 * `onAppend(bus)` is called once the append is durable, so delivery wakes at once instead of
 * polling. Every writer of bus events (PutEvents, the GraphQL EVENT_BUS data source, schedules)
 * appends through the one log the server builds, so wrapping it catches them all.
 */
import type { EventLog, NewLogRecord } from '../../storage/index.ts';

const BUS_PREFIX = 'bus:';

/** `DeliveryService.dispatchAppended`: true when it took the append over. */
export type InlineDispatch = (bus: string, records: readonly NewLogRecord[], offsets: () => readonly number[] | undefined) => boolean;

export function wakeOnAppend(log: EventLog, onAppend: (bus: string) => void, dispatch?: InlineDispatch): EventLog {
  return {
    async append(stream, records, options) {
      if (!stream.startsWith(BUS_PREFIX)) return log.append(stream, records, options);
      const bus = stream.slice(BUS_PREFIX.length);
      if (dispatch === undefined || records.length === 0) {
        const offsets = await log.append(stream, records, options);
        onAppend(bus);
        return offsets;
      }
      let written: readonly number[] | undefined;
      const caller = options?.onOffsets;
      // Queued first; `dispatch` queues its write right behind it, in this same turn.
      const appended = log.append(stream, records, {
        onOffsets: (offsets) => {
          written = offsets;
          caller?.(offsets);
        },
      });
      const taken = dispatch(bus, records, () => written);
      const offsets = await appended;
      if (!taken) onAppend(bus);
      return offsets;
    },
    read: (stream, after, limit) => log.read(stream, after, limit),
    find: (stream, id) => log.find(stream, id),
    head: (stream) => log.head(stream),
    trim: (stream, through) => log.trim(stream, through),
    ...(log.offsetAtTime !== undefined ? { offsetAtTime: log.offsetAtTime.bind(log) } : {}),
  };
}
