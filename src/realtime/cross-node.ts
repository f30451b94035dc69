/**
 * Subscriptions across nodes (cluster mode). Every node appends a published payload to the shared
 * topic log (`sub:<field>`, JetStream in cluster mode), so offsets are global per topic; it then
 * delivers to its own subscribers and announces `{node, offset, payload}` on the `Fanout`; every
 * other node delivers what it hears to its own subscribers.
 *
 * Rules (each has a test in test/realtime/cross-node.test.ts):
 * - **In offset order, no gaps, no duplicates, per topic and node.** A node tracks the last offset
 *   it delivered per topic; a message at or below it is a duplicate and dropped; a message beyond
 *   the next one first pulls the missing offsets from the log (the fan-out is at most once, the
 *   log is the truth) and delivers them in order. So a client that resumes from its last offset
 *   on another node misses nothing.
 * - **Nothing stays behind.** A sweep (default every second) compares each topic's log head with
 *   what was delivered and pulls the difference, so a lost announcement of the *last* message
 *   costs at most one sweep of latency.
 * - Tracking starts at the log head when the relay starts (a topic first seen later: just before
 *   the message that made it known): subscribers get what is published after they subscribed,
 *   as on one node; older messages are the resume path's business.
 * - Invalidations are announced too: `unsubscribe` on one node closes the matching subscriptions
 *   on every node.
 */
import type { Logger, Clock, Timer } from '../core/index.ts';
import type { Fanout } from '../storage/index.ts';
import type { TopicLog } from './topic-log.ts';

export interface CrossNodeDeps {
  readonly fanout: Fanout;
  /** This node's id: its own announcements, coming back through the fan-out, are ignored. */
  readonly nodeId: string;
  readonly topics: TopicLog;
  /** Delivers one message to this node's subscribers; resolves with how many got it. */
  readonly fanOutLocal: (field: string, payload: unknown, offset: number) => Promise<number>;
  readonly invalidateLocal: (field: string, payload: unknown) => number;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly sweepMs?: number;
  /** Pages pulled from the log when filling a gap. */
  readonly pageSize?: number;
}

export interface CrossNodeRelay {
  /** Starts tracking these subscription fields at their current log heads, and the sweep. */
  start(fields: readonly string[]): Promise<void>;
  /**
   * Tracks `field` from its current log head, if not tracked yet: called before a local
   * subscriber is added. A topic first seen through an announcement starts just before that
   * message, so when two nodes publish its first messages and their announcements arrive out of
   * order (offset 2 before 1), the earlier one would be taken for a duplicate and never delivered
   * here; tracked from the head, the gap is pulled from the log instead.
   */
  track(field: string): Promise<void>;
  /** A payload this node appended at `offset`: delivered here in order, announced to the others. */
  published(field: string, offset: number, payload: unknown): Promise<number>;
  /** An invalidation made on this node: announced to the others (this node already applied it). */
  invalidated(field: string, payload: unknown): void;
  /** Resolves when every delivery queued so far is done. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

interface TopicState {
  /** Last offset delivered on this node. */
  delivered: number;
  /** Deliveries of this topic, one after the other. */
  chain: Promise<unknown>;
}

const MESSAGES = 'rt.msg.';
const INVALIDATIONS = 'rt.inv.';

export function createCrossNodeRelay(deps: CrossNodeDeps): CrossNodeRelay {
  const sweepMs = deps.sweepMs ?? 1000;
  const pageSize = deps.pageSize ?? 500;
  const states = new Map<string, TopicState>();
  const starting = new Map<string, Promise<TopicState>>();
  let sweepTimer: Timer | undefined;
  let stopped = false;
  const unsubscribe: (() => void)[] = [];
  const decoder = new TextDecoder();

  /** The topic's state, tracking from the log head when first seen. */
  function stateOf(field: string): Promise<TopicState> {
    const known = states.get(field);
    if (known !== undefined) return Promise.resolve(known);
    let pending = starting.get(field);
    if (pending === undefined) {
      pending = deps.topics.since(field, Number.MAX_SAFE_INTEGER, 1).then(({ head }) => {
        const state = states.get(field) ?? { delivered: head, chain: Promise.resolve() };
        states.set(field, state);
        starting.delete(field);
        return state;
      });
      starting.set(field, pending);
    }
    return pending;
  }

  /**
   * The state of a topic a message at `offset` was just appended to: a topic seen for the first
   * time starts just before that message (the log head already counts it, so starting at the
   * head would drop it).
   */
  function stateFor(field: string, offset: number): Promise<TopicState> {
    if (!states.has(field) && !starting.has(field)) states.set(field, { delivered: offset - 1, chain: Promise.resolve() });
    return stateOf(field);
  }

  /** Delivers `offset` after pulling whatever is missing before it; in the topic's chain. */
  function deliverInOrder(field: string, offset: number, payload: unknown, state: TopicState): Promise<number> {
    const run = state.chain.then(async () => {
      if (offset <= state.delivered) return 0;
      if (offset > state.delivered + 1) await pull(field, state, offset - 1);
      if (offset <= state.delivered) return 0;
      const n = await deps.fanOutLocal(field, payload, offset);
      state.delivered = offset;
      return n;
    });
    state.chain = run.catch((error: unknown) => deps.logger.log('error', 'cross-node delivery failed; the sweep retries it', { field, offset, error }));
    // The message is in the log already: a failed pull (the log unreachable) leaves `delivered`
    // where it was, and the sweep delivers it once the log answers. Never a rejection here.
    return run.catch(() => 0);
  }

  /** Delivers from the log what follows `state.delivered`, through `through`. */
  async function pull(field: string, state: TopicState, through: number): Promise<void> {
    while (state.delivered < through) {
      const page = await deps.topics.since(field, state.delivered, Math.min(pageSize, through - state.delivered));
      // Trimmed away (older than the retention): nothing to deliver from before the oldest kept.
      if (page.records.length === 0) {
        state.delivered = Math.min(through, Math.max(state.delivered, page.oldest - 1, page.head));
        if (page.head < through) return;
        continue;
      }
      for (const record of page.records) {
        if (record.offset > through) return;
        await deps.fanOutLocal(field, JSON.parse(record.payload) as unknown, record.offset);
        state.delivered = record.offset;
      }
    }
  }

  function onMessage(data: Uint8Array, topic: string): void {
    if (stopped) return;
    let message: { n?: unknown; o?: unknown; p?: unknown };
    try {
      message = JSON.parse(decoder.decode(data)) as typeof message;
    } catch {
      deps.logger.log('warn', 'cross-node: unreadable announcement dropped', { topic });
      return;
    }
    if (message.n === deps.nodeId || typeof message.o !== 'number') return;
    const field = topic.slice(MESSAGES.length);
    const offset = message.o;
    void stateFor(field, offset)
      .then((state) => deliverInOrder(field, offset, message.p, state))
      .catch((error: unknown) => deps.logger.log('error', 'cross-node delivery failed; the sweep retries it', { field, offset, error }));
  }

  function onInvalidation(data: Uint8Array, topic: string): void {
    if (stopped) return;
    try {
      const message = JSON.parse(decoder.decode(data)) as { n?: unknown; p?: unknown };
      if (message.n === deps.nodeId) return;
      deps.invalidateLocal(topic.slice(INVALIDATIONS.length), message.p);
    } catch (error) {
      deps.logger.log('warn', 'cross-node: invalidation dropped', { topic, error });
    }
  }

  async function sweep(): Promise<void> {
    for (const [field, state] of states) {
      if (stopped) return;
      const { head } = await deps.topics.since(field, Number.MAX_SAFE_INTEGER, 1);
      if (head > state.delivered) {
        state.chain = state.chain.then(() => pull(field, state, head)).catch((error: unknown) => deps.logger.log('warn', 'cross-node sweep failed', { field, error }));
      }
    }
  }

  function armSweep(): void {
    if (stopped) return;
    sweepTimer = deps.clock.setTimer(sweepMs, () => {
      void sweep()
        .catch((error: unknown) => deps.logger.log('warn', 'cross-node sweep failed', { error }))
        .finally(armSweep);
    });
  }

  return {
    async start(fields) {
      unsubscribe.push(deps.fanout.subscribe(`${MESSAGES}>`, onMessage), deps.fanout.subscribe(`${INVALIDATIONS}>`, onInvalidation));
      await Promise.all(fields.map((f) => stateOf(f)));
      armSweep();
    },
    async track(field) {
      await stateOf(field);
    },
    async published(field, offset, payload) {
      deps.fanout.publish(`${MESSAGES}${field}`, JSON.stringify({ n: deps.nodeId, o: offset, p: payload ?? null }));
      return deliverInOrder(field, offset, payload, await stateFor(field, offset));
    },
    invalidated(field, payload) {
      deps.fanout.publish(`${INVALIDATIONS}${field}`, JSON.stringify({ n: deps.nodeId, p: payload ?? null }));
    },
    async settle() {
      await Promise.all([...states.values()].map((s) => s.chain));
    },
    async stop() {
      stopped = true;
      sweepTimer?.cancel();
      for (const u of unsubscribe) u();
      await Promise.all([...states.values()].map((s) => s.chain));
    },
  };
}
