/**
 * Reading a longer range of a JetStream stream (more than `DIRECT_READ_MAX` records) through a
 * short-lived ephemeral pull consumer: memory storage, no acks, deleted after the read and
 * expiring on its own if the node dies first. Its four requests (create, info, fetch, delete) cost
 * more than direct gets for short ranges (measured in `event-log.ts`'s header).
 */
import { AckPolicy, DeliverPolicy, nanos, type JetStreamClient, type JetStreamManager } from 'nats';
import type { LogRecord } from '../event-log.ts';
import { decodeRecord } from './log-records.ts';

export interface ConsumerReadContext {
  readonly jsm: JetStreamManager;
  readonly js: JetStreamClient;
  /** One request's timeout, in ms. */
  readonly timeout: number;
}

/** Up to `count` records of the JetStream stream `names.name` from sequence `from`, in order. */
export async function readThroughConsumer(ctx: ConsumerReadContext, names: { readonly stream: string; readonly name: string }, from: number, count: number): Promise<LogRecord[]> {
  const { jsm, js, timeout } = ctx;
  const info = await jsm.consumers.add(names.name, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    // Removed by the server if this node dies before deleting it.
    inactive_threshold: nanos(Math.max(30_000, 4 * timeout)),
  });
  try {
    // `num_pending` counts what the consumer can deliver: fewer than `count` after a concurrent trim.
    const want = Math.min(count, info.num_pending);
    const out: LogRecord[] = [];
    if (want === 0) return out;
    const consumer = await js.consumers.get(names.name, info.name);
    const messages = await consumer.fetch({ max_messages: want, expires: timeout });
    for await (const m of messages) {
      out.push(decodeRecord(names.stream, { subject: m.subject, seq: m.seq, headers: m.headers, data: m.data }));
      if (out.length >= want) break;
    }
    return out;
  } finally {
    await jsm.consumers.delete(names.name, info.name).catch(() => false);
  }
}

/**
 * Where `time` falls in the JetStream stream `name`: an ephemeral consumer positioned by start time
 * (JetStream finds the first message stored at or after it from its own index), read from its
 * info and deleted. The time is the server's receipt time of each message, within clock skew of
 * the record's `time` header. Undefined when no message was stored at or after `time`.
 */
export async function firstSeqAtTime(ctx: ConsumerReadContext, name: string, time: number): Promise<number | undefined> {
  const { jsm, timeout } = ctx;
  const info = await jsm.consumers.add(name, {
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(time).toISOString(),
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(Math.max(30_000, 4 * timeout)),
  });
  try {
    // `delivered.stream_seq` is one before where the consumer starts; `num_pending` counts from there.
    return info.num_pending === 0 ? undefined : info.delivered.stream_seq + 1;
  } finally {
    await jsm.consumers.delete(name, info.name).catch(() => false);
  }
}
