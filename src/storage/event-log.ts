/**
 * The `EventLog` port: an append-only, per-stream ordered log.
 *
 * Guarantees every adapter gives:
 * - `append` resolves only once its records are durable: they survive `kill -9` of the process
 *   (embedded: committed to the SQLite WAL; cluster: acknowledged by JetStream).
 * - Offsets are per stream, strictly increasing in append order, starting at 1, never reused.
 * - Records appended in one call are committed together (all or none) and keep their order.
 *   JetStream has no multi-message commit: there a failed append may leave part of its records
 *   stored, and a retry with the same ids (deduplicated) completes it; see src/storage/nats/event-log.ts.
 * - `read` returns records with `offset > after`, in offset order.
 * Consumers with acknowledgement and redelivery are added by the event-bus issue.
 */
export interface NewLogRecord {
  /** Unique id of the record (the event id); appending an id twice to one stream is a no-op for the second. */
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** JSON text. */
  readonly payload: string;
  /**
   * Delivery metadata kept beside the payload, never part of it (JSON text): e.g. where a forwarded
   * bus event came from and how many links it crossed. Absent for ordinary records.
   */
  readonly meta?: string;
}

export interface LogRecord extends NewLogRecord {
  readonly stream: string;
  readonly offset: number;
}

export interface AppendOptions {
  /**
   * Called inside the append's write, once every record has its offset (a repeated id gets the
   * offset it already had), before the commit. A write queued on the same store in the same turn
   * right behind this append commits with it (embedded: the write batcher), which is how bus
   * delivery records an event's jobs in the event's own transaction. Must not throw.
   * Cluster (JetStream): called after every record is acknowledged, before `append` resolves, in
   * no transaction with any other store.
   */
  readonly onOffsets?: (offsets: readonly number[]) => void;
}

export interface EventLog {
  append(stream: string, records: readonly NewLogRecord[], options?: AppendOptions): Promise<readonly number[]>;
  /** Up to `limit` records with offsets above `after`, in offset order (below a trim: from the first kept). */
  read(stream: string, after: number, limit: number): Promise<readonly LogRecord[]>;
  /** The record with this id in the stream, if it is still kept. */
  find(stream: string, id: string): Promise<LogRecord | undefined>;
  /** Highest offset of the stream, 0 when empty. */
  head(stream: string): Promise<number>;
  /**
   * Optional (JetStream: a consumer positioned by start time): the first offset whose record was
   * stored at or after `time` (ms), `head + 1` when all are older, undefined for an empty stream.
   * Without it, callers search by `read` (`offsetAtTime` in src/bus/retention/).
   */
  offsetAtTime?(stream: string, time: number): Promise<number | undefined>;
  /**
   * Drops the stream's records with `offset <= through` (retention). Offsets are never reused:
   * `head` keeps counting from where it was.
   */
  trim(stream: string, through: number): Promise<void>;
}
