/** Counts appended events for `/metrics` without the storage adapters knowing about metrics. */
import type { EventLog } from '../storage/index.ts';
import type { MetricsRegistry } from './metrics.ts';

export function countingEventLog(inner: EventLog, metrics: MetricsRegistry): EventLog {
  const appended = metrics.counter('switchboard_events_appended_total', 'Events appended durably to the event log, by stream.');
  return {
    async append(stream, records, options) {
      const offsets = await inner.append(stream, records, options);
      appended.inc({ stream }, records.length);
      return offsets;
    },
    read: (stream, after, limit) => inner.read(stream, after, limit),
    find: (stream, id) => inner.find(stream, id),
    head: (stream) => inner.head(stream),
    trim: (stream, through) => inner.trim(stream, through),
    ...(inner.offsetAtTime !== undefined ? { offsetAtTime: inner.offsetAtTime.bind(inner) } : {}),
  };
}
