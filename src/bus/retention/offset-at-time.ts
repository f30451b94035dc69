/**
 * Where a moment falls in a log stream: the first offset whose record was appended at or after
 * `time`. Records are appended in time order (their `time` is the append's clock reading), so a
 * binary search over offsets needs about log2(records) one-record reads, on any `EventLog`
 * (SQLite rows by primary key); no index by time is kept. A log with its own `offsetAtTime`
 * (JetStream: a consumer positioned by start time) answers instead.
 *
 * Offsets may have gaps (a trimmed prefix, deduplicated ids): a read "after o" answers the first
 * record kept past `o`, which is all the search needs. If the clock went back between appends,
 * the answer is one boundary between records older and newer than `time`, not necessarily the
 * first newer record: retention then keeps a little more or trims a little less, never the
 * reverse of what was asked by more than that step.
 */
import type { EventLog } from '../../storage/index.ts';

/**
 * The first offset at or after `time`; `head + 1` when every record is older. Undefined when the
 * stream holds no record: a caller deciding what to trim then trims nothing (a read that finds
 * nothing is never taken as "everything is old").
 */
export async function offsetAtTime(log: EventLog, stream: string, time: number): Promise<number | undefined> {
  // A log that can position by time itself (JetStream) answers in one step.
  if (log.offsetAtTime !== undefined) return log.offsetAtTime(stream, time);
  const head = await log.head(stream);
  const first = (await log.read(stream, 0, 1))[0];
  if (first === undefined) return undefined;
  if (first.time >= time) return first.offset;
  // Invariant: records at offsets <= lo are older than `time`; records at offsets >= hi are not.
  let lo = first.offset;
  let hi = head + 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const record = (await log.read(stream, mid - 1, 1))[0];
    if (record === undefined || record.time >= time) hi = mid;
    else lo = record.offset;
  }
  return hi;
}
