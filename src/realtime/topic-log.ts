/**
 * The durable history of each subscription topic, for resume: every payload published to a
 * subscription field is appended to the event-log stream `sub:<field>` before it is fanned out,
 * and its log offset is the message's offset. The newest `retention` messages per topic stay
 * resumable; older ones are trimmed in the background.
 */
import { createTimeOrderedIdGenerator, type Clock, type Logger } from '../core/index.ts';
import type { EventLog, LogRecord } from '../storage/index.ts';

export interface TopicLog {
  /** Appends payloads in order in one durable write; resolves with their offsets. */
  append(field: string, payloads: readonly unknown[]): Promise<readonly number[]>;
  /** Records after `offset`, oldest first, and the oldest offset still held (0 when empty). */
  since(field: string, offset: number, limit: number): Promise<{ readonly records: readonly LogRecord[]; readonly oldest: number; readonly head: number }>;
}

export const topicStream = (field: string): string => `sub:${field}`;

export function createTopicLog(eventLog: EventLog, clock: Clock, logger: Logger, retention: number): TopicLog {
  const appendsSinceTrim = new Map<string, number>();
  // Time-ordered: each message's id lands at the right edge of the event log's id index, not on a
  // random page of it (core/time-ordered-ids.ts).
  const newId = createTimeOrderedIdGenerator(clock);
  return {
    async append(field, payloads) {
      const stream = topicStream(field);
      const now = clock.now();
      const offsets = await eventLog.append(stream, payloads.map((payload) => ({ id: newId(), time: now, payload: JSON.stringify(payload ?? null) })));
      const offset = offsets[offsets.length - 1] ?? 0;
      const n = (appendsSinceTrim.get(field) ?? 0) + payloads.length;
      // Trim in steps, not on every append: one DELETE per `retention / 10` messages.
      if (n >= Math.max(100, Math.floor(retention / 10))) {
        appendsSinceTrim.set(field, 0);
        if (offset > retention) eventLog.trim(stream, offset - retention).catch((error: unknown) => logger.log('warn', 'topic trim failed', { field, error }));
      } else appendsSinceTrim.set(field, n);
      return offsets;
    },
    async since(field, offset, limit) {
      const stream = topicStream(field);
      const head = await eventLog.head(stream);
      const first = await eventLog.read(stream, 0, 1);
      const oldest = first[0]?.offset ?? head + 1;
      // Everything past the retention window counts as gone, even if not trimmed yet.
      const floor = Math.max(oldest, head - retention + 1);
      const records = (await eventLog.read(stream, Math.max(offset, floor - 1), limit)).filter((r) => r.offset > offset);
      return { records, oldest: floor, head };
    },
  };
}
