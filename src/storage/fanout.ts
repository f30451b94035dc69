/**
 * The `Fanout` port: small messages published on one node and delivered to the subscribers of
 * every node (the realtime layer's cross-node subscriptions). It is a wire, not a store.
 *
 * Guarantees every adapter gives:
 * - **At most once, no persistence.** A message reaches the subscribers that are subscribed (on
 *   every node that can be reached) when it arrives; a node that is down or disconnected misses
 *   it and nothing replays it. Whatever must survive goes through the `EventLog` first (the topic
 *   log holds subscription payloads for resume); the fan-out only says "there is something new".
 * - **Ordered per publisher per topic.** Messages one `Fanout` instance publishes on one topic are
 *   delivered to each subscriber in publish order. Nothing is promised across publishers or topics.
 * - **Own messages come back.** A node's own publishes reach its own subscribers, through the same
 *   path as everyone else's, so a subscriber sees one stream whatever node published; the realtime
 *   layer delivers what it receives here and never a second time locally.
 * - **Asynchronous delivery.** `publish` never calls a handler itself: delivery happens later (a
 *   microtask in memory, the network with NATS), so a handler can publish without re-entering it.
 * - `publish` is fire and forget: it does not throw for a transient outage (what is published
 *   while a node is disconnected from the backbone is dropped), nor after `close`.
 * - A handler must not throw; an adapter catches what it throws and reports it (`onHandlerError`),
 *   and the other handlers still get the message. Handlers share the received bytes: read only.
 *
 * Topics. A topic is any non-empty string (dots, spaces, `*`, `>`, any Unicode). For wildcards it
 * is read as segments separated by `.`, like a NATS subject: a *subscription* topic whose last
 * segment is exactly `>` (the topic `>` itself, or one ending in `.>`) receives every topic that
 * has the segments before it and at least one more (`sub:order.>` receives `sub:order.1` and
 * `sub:order.1.x`, not `sub:order` nor `sub:orders.1`). Every other topic, including ones with `*`
 * or `>` inside a segment, matches only itself: adapters must encode topics so that no character
 * is a wildcard or a separator in the underlying system. (A topic whose last segment is `>` can be
 * published, and reaches wildcard subscribers, but cannot be subscribed to on its own.)
 */
export interface Fanout {
  /** Sends `data` (a string is sent as its UTF-8 bytes) to every subscriber of `topic`, on every node. */
  publish(topic: string, data: Uint8Array | string): void;
  /**
   * Calls `handler` with each message published on `topic` (or, for a wildcard, on every topic it
   * matches; the second argument says which) from now on. Returns the unsubscribe function
   * (idempotent); no message is delivered to the handler once it has returned.
   */
  subscribe(topic: string, handler: FanoutHandler): () => void;
  /** Unsubscribes everything and stops publishing (later publishes are dropped). */
  close(): Promise<void>;
}

export type FanoutHandler = (data: Uint8Array, topic: string) => void;

/** What a subscription topic means: one exact topic, or every topic under a prefix of segments. */
export type FanoutPattern =
  | { readonly kind: 'exact'; readonly topic: string }
  /** `prefix` is `''` for `>` (every topic), else the segments before `.>` and the dot: `sub:order.`. */
  | { readonly kind: 'prefix'; readonly prefix: string };

export function fanoutPattern(topic: string): FanoutPattern {
  if (topic === '>') return { kind: 'prefix', prefix: '' };
  if (topic.endsWith('.>')) return { kind: 'prefix', prefix: topic.slice(0, -1) };
  return { kind: 'exact', topic };
}

export function checkTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('a fan-out topic is a non-empty string');
}

/** The default for `onHandlerError`: one line on stderr (the composition root passes its logger). */
export function reportHandlerError(error: unknown, topic: string): void {
  process.stderr.write(`fanout handler for ${JSON.stringify(topic)} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}
