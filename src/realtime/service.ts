/**
 * The realtime service: subscribe (validate, run the subscription resolver, register), publish
 * (a mutation's results, or a payload straight to a subscription field), and invalidate.
 * Protocol state machines (`appsync-protocol.ts`, `transport-ws-protocol.ts`) call it; it knows
 * nothing about sockets.
 */
import type { Clock, Logger } from '../core/index.ts';
import type { EventLog, Fanout } from '../storage/index.ts';
import { createTopicLog } from './topic-log.ts';
import { createCrossNodeRelay, type CrossNodeRelay } from './cross-node.ts';
import type { GraphqlRequest, GraphqlService, PreparedSubscription, RequestMeta, WireError } from '../graphql/index.ts';
import { compileArgumentFilter, compileSubscriptionFilter, compileInvalidationFilter, filterKey as filterKeyOf, validateSubscriptionFilter, type FilterLimits } from './filters/index.ts';
import { SubscriptionRegistry, type GroupSpec, type Subscriber } from './registry.ts';

export interface SubscribeSink {
  /** One message: the serialized `{data, errors?}` payload and its per-topic offset. */
  deliver(payloadJson: string, offset: number): void;
  invalidated(): void;
  /** Resume asked for messages older than the retention: they are gone, the client must resync. */
  resyncRequired(oldestOffset: number, latestOffset: number): void;
  /**
   * Backpressure for a resume's replay, which sends as fast as the log reads: `undefined` while
   * the client takes more, else a promise that settles once it has taken what was sent (or is
   * gone). Without it a replay larger than the socket's slow-consumer bound closes the client
   * it is meant to bring back. Live messages never wait for it.
   */
  ready?(): Promise<void> | undefined;
}

export type RealtimeSubscribeOutcome =
  | {
      readonly ok: true;
      /** The subscription field (read by connection introspection, e.g. the console). */
      readonly fieldName: string;
      stop(): void;
      /**
       * Delivers what the subscriber missed after `resumeFrom` (then the live messages that came
       * meanwhile, in offset order). Protocols call it right after acknowledging the start; live
       * messages are held back until it finishes. Without `resumeFrom` it resolves at once.
       */
      replay(): Promise<void>;
    }
  | { readonly ok: false; readonly errors: readonly WireError[] };

export interface SubscribeOptions {
  /** The last offset the client received on this topic: resume after it. */
  readonly resumeFrom?: number;
}

export interface RealtimeService {
  subscribe(request: GraphqlRequest, meta: RequestMeta, sink: SubscribeSink, options?: SubscribeOptions): Promise<RealtimeSubscribeOutcome>;
  /** Publishes each mutation field's result to the subscription fields it triggers. */
  publishMutationResults(results: readonly { readonly fieldName: string; readonly value: unknown }[]): Promise<void>;
  /** Publishes a payload to one subscription field (rules, workflows, the admin API). */
  publish(subscriptionField: string, payload: unknown): Promise<number>;
  /** Resolves once every publish accepted so far has been written and fanned out (shutdown). */
  drain(): Promise<void>;
  /** Ends every subscription of `subscriptionField` whose invalidation filter matches `payload` (on every node in cluster mode; the count is this node's). */
  invalidate(subscriptionField: string, payload: unknown): number;
  /** Stops the cross-node relay (cluster mode); a no-op otherwise. */
  stop(): Promise<void>;
  readonly size: number;
  /** Work counters: projections executed (once per matching group per event) and frames delivered. */
  readonly stats: { readonly executions: number; readonly deliveries: number };
}

export interface RealtimeOptions {
  /** The current app's GraphQL service (swapped on `dev` reload). */
  readonly graphql: () => GraphqlService;
  readonly logger: Logger;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  /** Messages kept per topic for resume; default 10,000. */
  readonly retention?: number;
  /**
   * Cluster mode: subscribers on every node receive what any node publishes, in topic-offset
   * order (`cross-node.ts`). The `eventLog` must then be shared by the nodes (JetStream).
   */
  readonly crossNode?: { readonly fanout: Fanout; readonly nodeId: string; readonly sweepMs?: number };
  /** The app's enhanced-filter limits (`api.subscriptions.filterLimits`), each defaulting to AppSync's. */
  readonly filterLimits?: () => Partial<FilterLimits>;
}

/** Records read per page of a resume's replay, and live messages held at most meanwhile. */
const REPLAY_PAGE = 500;

/**
 * The registered subscriber: passes messages to the sink, or holds them while a resume replays
 * history. A class of its own so that it holds only the sink and the buffer (not the prepared
 * subscription, and no closures): one of these lives per subscription.
 *
 * A replay goes at the client's pace, so it may last: the held messages are bounded. Past
 * REPLAY_PAGE they are dropped, and `droppedThrough` (the newest dropped offset) tells the
 * replay to read the log at least that far before it lets go: every live message is in the log
 * before it is fanned out, so nothing dropped is lost.
 */
class GatedSubscriber implements Subscriber {
  readonly invalidatedBy?: (payload: unknown) => boolean;
  #held: [string, number][] | undefined;
  droppedThrough = 0;
  readonly #sink: SubscribeSink;

  constructor(sink: SubscribeSink, replaying: boolean, invalidatedBy: ((payload: unknown) => boolean) | undefined) {
    this.#sink = sink;
    this.#held = replaying ? [] : undefined;
    if (invalidatedBy !== undefined) this.invalidatedBy = invalidatedBy;
  }

  deliver(json: string, offset: number): void {
    const held = this.#held;
    if (held === undefined) this.#sink.deliver(json, offset);
    else if (held.length < REPLAY_PAGE) held.push([json, offset]);
    else {
      // Live messages arrive in offset order: everything held is older than this one.
      held.length = 0;
      this.droppedThrough = offset;
    }
  }

  invalidated(): void {
    this.#sink.invalidated();
  }

  /** The replay is over: passes on what was held after `lastReplayed`, then delivers directly. */
  release(lastReplayed: number): void {
    const pending = this.#held ?? [];
    this.#held = undefined;
    for (const [json, offset] of pending) if (offset > lastReplayed) this.#sink.deliver(json, offset);
  }
}

/** A subscription's group in the registry, and the invalidation filter its resolver set. */
interface Group {
  readonly spec: GroupSpec;
  readonly invalidatedBy: ((payload: unknown) => boolean) | undefined;
}

/** Frames written per event-loop turn during fan-out (a subscriber's frames are never split). */
const FANOUT_CHUNK = 1000;

export function createRealtimeService(options: RealtimeOptions): RealtimeService {
  const registry = new SubscriptionRegistry();
  const { logger } = options;
  const stats = { executions: 0, deliveries: 0 };

  const topics = createTopicLog(options.eventLog, options.clock, logger, options.retention ?? 10_000);
  // Per topic, publishes are queued and handled a batch at a time: one durable append for the
  // whole batch (offsets in order), then fan-out of the batch (embedded: subscriber by subscriber,
  // fanOutBatch; cluster: message by message through the relay), so every subscriber sees a
  // topic's messages in offset order and a burst costs one commit, not one per message.
  interface Pending {
    readonly payload: unknown;
    readonly resolve: (delivered: number) => void;
    readonly reject: (error: unknown) => void;
  }
  const queues = new Map<string, Pending[]>();
  const running = new Set<string>();
  let idle: (() => void)[] = [];

  function publish(fieldName: string, payload: unknown): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let queue = queues.get(fieldName);
      if (queue === undefined) {
        queue = [];
        queues.set(fieldName, queue);
      }
      queue.push({ payload, resolve, reject });
      if (!running.has(fieldName)) void drainTopic(fieldName);
    });
  }

  async function drainTopic(fieldName: string): Promise<void> {
    running.add(fieldName);
    try {
      for (;;) {
        const batch = queues.get(fieldName)?.splice(0) ?? [];
        if (batch.length === 0) break;
        let offsets: readonly number[];
        try {
          offsets = await topics.append(fieldName, batch.map((p) => p.payload));
        } catch (error) {
          for (const p of batch) p.reject(error);
          continue;
        }
        if (relay === undefined) {
          // The whole batch at once, subscriber by subscriber: a subscriber's share of a burst
          // leaves in one socket write (see fanOutBatch).
          try {
            const delivered = await fanOutBatch(fieldName, batch.map((p, i) => ({ payload: p.payload, offset: offsets[i] ?? 0 })));
            batch.forEach((p, i) => p.resolve(delivered[i] ?? 0));
          } catch (error) {
            // Never out of this loop: the queue must keep draining.
            for (const p of batch) p.reject(error);
          }
          continue;
        }
        for (let i = 0; i < batch.length; i++) {
          const p = batch[i] as Pending;
          const offset = offsets[i] ?? 0;
          try {
            p.resolve(await relay.published(fieldName, offset, p.payload));
          } catch (error) {
            // Never out of this loop: the queue must keep draining.
            p.reject(error);
          }
        }
      }
    } finally {
      running.delete(fieldName);
      queues.delete(fieldName);
      if (running.size === 0) {
        const waiting = idle;
        idle = [];
        for (const w of waiting) w();
      }
    }
  }

  async function fanOut(fieldName: string, payload: unknown, offset: number): Promise<number> {
    return (await fanOutBatch(fieldName, [{ payload, offset }]))[0] ?? 0;
  }

  /**
   * Delivers a topic's messages (in offset order) to every matching subscriber; answers how many
   * subscribers each message reached. Per group, each message is projected and serialized once;
   * then subscriber by subscriber, each gets its matching messages in order, back to back, so the
   * socket layer sends a subscriber's share of the batch in one write instead of one per message.
   */
  async function fanOutBatch(fieldName: string, messages: readonly { readonly payload: unknown; readonly offset: number }[]): Promise<number[]> {
    const delivered = messages.map(() => 0);
    let sinceYield = 0;
    for (const group of registry.groupsOf(fieldName)) {
      const texts: (string | undefined)[] = [];
      let any = false;
      for (const m of messages) {
        let json: string | undefined;
        if (group.matches(m.payload)) {
          try {
            stats.executions++;
            json = JSON.stringify(await group.project(m.payload));
            any = true;
          } catch (error) {
            logger.log('error', 'subscription projection failed', { fieldName, error });
          }
        }
        texts.push(json);
      }
      if (!any) continue;
      for (const subscriber of registry.subscribersOfGroup(group)) {
        for (let i = 0; i < texts.length; i++) {
          const json = texts[i];
          if (json === undefined) continue;
          subscriber.deliver(json, (messages[i] as { offset: number }).offset);
          delivered[i] = (delivered[i] ?? 0) + 1;
          sinceYield++;
        }
        // A large group goes out in chunks, yielding to the event loop between them, so keep-alives,
        // other topics and incoming requests are not starved while thousands of sockets are written.
        if (sinceYield >= FANOUT_CHUNK) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    }
    for (const n of delivered) stats.deliveries += n;
    return delivered;
  }

  function invalidateHere(subscriptionField: string, payload: unknown): number {
    let n = 0;
    for (const subscriber of registry.subscribersOf(subscriptionField)) {
      if (subscriber.invalidatedBy?.(payload) === true) {
        subscriber.invalidated();
        n++;
      }
    }
    return n;
  }

  const crossNode = options.crossNode;
  const relay: CrossNodeRelay | undefined =
    crossNode === undefined
      ? undefined
      : createCrossNodeRelay({ fanout: crossNode.fanout, nodeId: crossNode.nodeId, topics, fanOutLocal: fanOut, invalidateLocal: invalidateHere, logger, clock: options.clock, ...(crossNode.sweepMs !== undefined ? { sweepMs: crossNode.sweepMs } : {}) });
  void relay?.start([]).catch((error: unknown) => logger.log('error', 'cross-node relay failed to start', { error }));

  /**
   * The group of a prepared subscription: its filter (the resolver's, else its arguments) and
   * invalidation filter compiled, and its group key. It depends on the prepared subscription
   * alone, which identical subscriptions share (graphql's PreparedSubscriptions): built once for
   * them all.
   */
  const groups = new WeakMap<PreparedSubscription, Group>();
  function groupOf(sub: PreparedSubscription): Group | { readonly errors: readonly WireError[] } {
    const known = groups.get(sub);
    if (known !== undefined) return known;
    let matches: (payload: unknown) => boolean;
    let filterKey = 'args';
    let invalidatedBy: ((payload: unknown) => boolean) | undefined;
    const filterEffect = [...sub.effects].reverse().find((e) => e.kind === 'setSubscriptionFilter');
    if (filterEffect !== undefined && filterEffect.kind === 'setSubscriptionFilter') {
      const checked = validateSubscriptionFilter(filterEffect.filter, options.filterLimits?.());
      if (!checked.ok) return { errors: [{ errorType: 'InvalidFilterError', message: checked.message }] };
      matches = compileSubscriptionFilter(checked.filter);
      filterKey = filterKeyOf(checked.filter);
    } else {
      matches = compileArgumentFilter(sub.args, sub.explicitNull);
    }
    const invalidation = [...sub.effects].reverse().find((e) => e.kind === 'setSubscriptionInvalidationFilter');
    if (invalidation !== undefined && invalidation.kind === 'setSubscriptionInvalidationFilter') {
      const checked = validateSubscriptionFilter(invalidation.filter, options.filterLimits?.());
      if (!checked.ok) return { errors: [{ errorType: 'InvalidFilterError', message: checked.message }] };
      invalidatedBy = compileInvalidationFilter(checked.filter);
    }
    const group: Group = { spec: { fieldName: sub.fieldName, key: `${sub.shapeKey}\u0000${filterKey}`, matches, project: sub.project }, invalidatedBy };
    groups.set(sub, group);
    return group;
  }

  /** Registers `sink` in `group`; its replay (resume) delivers what it missed first. */
  async function live(group: Group, sink: SubscribeSink, resumeFrom: number | undefined): Promise<RealtimeSubscribeOutcome> {
    const gate = new GatedSubscriber(sink, resumeFrom !== undefined, group.invalidatedBy);
    const spec = group.spec;
    const { fieldName, matches, project } = spec;
    // Cluster mode: this node follows the topic from before the subscriber exists (see track).
    if (relay !== undefined) await relay.track(fieldName);
    const remove = registry.add(spec, gate);
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      remove();
    };
    const replay = async (): Promise<void> => {
      if (resumeFrom === undefined) return;
      let last = resumeFrom;
      try {
        while (!stopped) {
          const page = await topics.since(fieldName, last, REPLAY_PAGE);
          if (last > page.head) {
            // An offset this topic never reached: the client's state comes from another history
            // (a wiped data folder, another deployment). It must reload, as past the retention.
            sink.resyncRequired(page.oldest, page.head);
            last = page.head;
            continue;
          }
          if (last + 1 < page.oldest) {
            // What follows `last` is past the retention (at the start, or because the retention
            // passed a slow replay): the client must reload its state; the stream goes on from
            // the head.
            sink.resyncRequired(page.oldest, page.head);
            last = Math.max(last, page.head);
            continue;
          }
          for (const record of page.records) {
            if (stopped) return;
            const payload: unknown = JSON.parse(record.payload);
            if (matches(payload)) {
              const json = JSON.stringify(await project(payload));
              await sink.ready?.();
              sink.deliver(json, record.offset);
            }
            last = record.offset;
          }
          // Caught up with the log, and through every live message dropped meanwhile: what
          // comes next is held, and released right below, with no await in between.
          if (page.records.length < REPLAY_PAGE && last >= gate.droppedThrough) break;
        }
      } finally {
        gate.release(last);
      }
    };
    return { ok: true, fieldName, stop, replay };
  }

  return {
    stats,
    get size() {
      return registry.size;
    },
    async subscribe(request, meta, sink, subscribeOptions = {}) {
      const outcome = await options.graphql().subscribe(request, meta);
      if (!outcome.ok) return outcome;
      const group = groupOf(outcome.subscription);
      if ('errors' in group) return { ok: false, errors: group.errors };
      return live(group, sink, subscribeOptions.resumeFrom);
    },
    async publishMutationResults(results) {
      const triggers = options.graphql().triggers;
      for (const { fieldName, value } of results) {
        for (const subField of triggers.get(fieldName) ?? []) await publish(subField, value);
      }
    },
    publish,
    drain() {
      if (running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    invalidate(subscriptionField, payload) {
      relay?.invalidated(subscriptionField, payload);
      return invalidateHere(subscriptionField, payload);
    },
    async stop() {
      await relay?.stop();
    },
  };
}
