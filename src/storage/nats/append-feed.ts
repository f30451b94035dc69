/**
 * `AppendFeed` on JetStream: one durable pull consumer per log stream (named by `durable`,
 * default `dispatch`), created by the first node that follows the stream, shared by every node
 * that follows it (a JetStream consumer group: each message goes to one puller).
 *
 * - Explicit acks. A batch is acked once the handler resolved; a rejected batch is nak'ed with a
 *   delay from `backoffMs` by its delivery count; a batch whose node died is redelivered by the
 *   server after `ackWaitMs`, then on the consumer's own `backoff` schedule (redelivery with
 *   backoff, on any follower).
 * - Created with `DeliverPolicy.New` when the stream already holds records (what is older is the
 *   handler's business: bus delivery pumps from its cursor at start), from the first record when
 *   the feed creates the stream itself. The consumer lives in the JetStream store: records
 *   appended while no node follows are delivered when one does, after a NATS restart too.
 * - A continuous pull (`consume`): messages are handled as they arrive, in batches (those of one
 *   event-loop turn, and those that arrive while a batch is handled). The loop survives a lost
 *   connection or consumer: a failed pull is retried every second (warned once a run) until `stop`.
 *
 * Concurrency contract: one loop per followed stream per node; the handler runs for one batch at
 * a time on that node. `stop` ends the loop: the pull is stopped and a handler call in flight is
 * awaited (its batch is acked or nak'ed as usual). It resolves once the server has seen the pull's
 * subscription go (a round trip on the connection), so records appended after it go to another
 * follower: the server drops a pull request nobody listens to. Messages the server had already
 * sent to the stopped pull come again to another follower after the ack wait.
 */
import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import type { Logger } from '../../core/index.ts';
import type { AppendFeed } from '../append-feed.ts';
import type { NatsEventLogOptions } from './event-log.ts';
import { logStreams } from './log-streams.ts';
import { checkPrefix } from './names.ts';
import { pipelinedRequests } from './pipelined-requests.ts';

/** The event log's own options (the feed may create a stream first, as the log would), and the feed's. */
export interface NatsAppendFeedOptions extends NatsEventLogOptions {
  /** The consumer's name; default `dispatch`. */
  readonly durable?: string;
  /** How long a fetched batch may stay unacked before the server hands it to another node; default 10,000 ms. */
  readonly ackWaitMs?: number;
  /** Delays of the successive redeliveries of a batch; default 1 s, 5 s, 15 s, then 15 s. */
  readonly backoffMs?: readonly number[];
  /** Messages fetched at once; default 256. */
  readonly batch?: number;
  readonly logger: Logger;
}

export async function createNatsAppendFeed(nc: NatsConnection, options: NatsAppendFeedOptions): Promise<AppendFeed> {
  const prefix = checkPrefix(options.prefix ?? 'SB');
  const durable = options.durable ?? 'dispatch';
  const ackWaitMs = options.ackWaitMs ?? 10_000;
  const backoffMs = options.backoffMs ?? [1_000, 5_000, 15_000];
  const batch = options.batch ?? 256;
  const jsm: JetStreamManager = await nc.jetstreamManager();
  const js: JetStreamClient = nc.jetstream();
  const streams = logStreams(jsm, pipelinedRequests(nc), { prefix, replicas: options.replicas ?? 1, duplicateWindowMs: options.duplicateWindowMs ?? 120_000, timeoutMs: options.timeoutMs ?? 5_000 });
  const delayFor = (deliveries: number): number => backoffMs[Math.min(Math.max(0, deliveries - 1), backoffMs.length - 1)] ?? 1_000;

  /** The stream and its consumer exist (idempotent; any node may be first). */
  const prepare = async (stream: string): Promise<string> => {
    const names = streams.namesOf(stream);
    const before = await streams.stateOf(names);
    if (before === undefined) await streams.ensure(names);
    const config: Partial<ConsumerConfig> = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: before !== undefined && before.messages > 0 ? DeliverPolicy.New : DeliverPolicy.All,
      ack_wait: nanos(ackWaitMs),
      // The server's own redelivery schedule for batches nobody acked (their node died): each
      // entry is also how long that delivery may stay unacked, so none is below the ack wait.
      backoff: [ackWaitMs, ...backoffMs].map((ms) => nanos(Math.max(ms, ackWaitMs))),
      // With a backoff JetStream wants a bound above its length: about half a year of 15 s retries.
      max_deliver: 1_000_000,
      max_ack_pending: 10 * batch,
    };
    try {
      await jsm.consumers.add(names.name, config);
    } catch (error) {
      // Made before, maybe with another deliver policy (the stream was empty then), which an add
      // cannot change ("deliver policy can not be updated"): it exists, which is all we need.
      const exists = await jsm.consumers.info(names.name, durable).then(() => true, () => false);
      if (!exists) throw error;
    }
    return names.name;
  };

  return {
    follow(stream, onAppended) {
      let stopped = false;
      let current: ConsumerMessages | undefined;

      /** One batch: acked once handled, nak'ed with a backoff when the handler rejects. */
      const handle = async (messages: readonly JsMsg[]): Promise<void> => {
        try {
          await onAppended(messages.map((m) => m.seq));
          for (const m of messages) m.ack();
        } catch (error) {
          const delay = delayFor(Math.max(...messages.map((m) => m.info.redeliveryCount)));
          for (const m of messages) m.nak(delay);
          options.logger.log('warn', 'append feed handler failed; the batch comes again after a backoff', { stream, records: messages.length, delayMs: delay, error });
        }
      };

      const loop = async (): Promise<void> => {
        let name: string | undefined;
        let warned = false;
        // A closed connection ends it too (the node is going away).
        while (!stopped && !nc.isClosed()) {
          let handling: Promise<void> | undefined;
          try {
            name ??= await prepare(stream);
            const consumer = await js.consumers.get(name, durable);
            if (stopped) return;
            // A continuous pull: messages are handled as they arrive, those of one turn of the
            // event loop (and those arriving while a batch is handled) as one batch.
            current = await consumer.consume({ max_messages: batch, expires: 2_000 });
            warned = false;
            let pending: JsMsg[] = [];
            const drain = async (): Promise<void> => {
              await new Promise((resolve) => setImmediate(resolve));
              while (pending.length > 0) {
                const take = pending;
                pending = [];
                await handle(take);
              }
              handling = undefined;
            };
            for await (const m of current) {
              pending.push(m);
              handling ??= drain();
            }
          } catch (error) {
            // A missing consumer (stream deleted, server store lost): made again on the next turn.
            name = undefined;
            if (!warned && !stopped) options.logger.log('warn', 'append feed pull failed; retrying every second', { stream, error });
            warned = true;
          } finally {
            current = undefined;
            await handling;
          }
          if (!stopped && !nc.isClosed()) await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      };
      const running = loop();
      return {
        async stop() {
          stopped = true;
          current?.stop();
          await running;
          // The unsubscribe is only queued: without the round trip, a record appended by another
          // connection just after could still be given to the dead pull and wait out the ack wait.
          if (!nc.isClosed()) await nc.flush().catch(() => undefined);
        },
      };
    },
  };
}
