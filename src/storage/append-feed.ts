/**
 * The `AppendFeed` port (cluster mode): a durable subscription to what is appended to a log
 * stream, shared by every node that follows the stream (a consumer group: each record goes to one
 * of them). The handler gets batches of new offsets; a batch it rejects, or does not finish
 * before the feed's ack deadline (the node died), comes again, to any follower, after a backoff.
 * Records are not passed: the handler reads what it needs from the log (bus delivery pumps the
 * stream from its stored cursor), so the feed only says "there is something new, and someone must
 * answer for it".
 *
 * Guarantees: every record appended while at least one follower exists (or since the feed was
 * first followed, if the adapter keeps the subscription while no node follows) is handed to a
 * handler until one resolves for it: at least once, not in order across nodes.
 */
export interface AppendFeed {
  /** Hands batches of new offsets of `stream` to `onAppended`; `stop` ends this node's share. */
  follow(stream: string, onAppended: (offsets: readonly number[]) => Promise<void>): { stop(): Promise<void> };
}
