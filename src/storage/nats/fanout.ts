/**
 * `Fanout` on NATS core (cluster mode): plain publish/subscribe, no JetStream, so at most once
 * with no persistence, as the port says; NATS keeps each connection's messages in order, which
 * gives per-publisher order, and echoes a connection's own messages to its own subscriptions,
 * which gives "own messages come back".
 *
 * Topic to subject: `<subjectPrefix>.<segment token>.<segment token>...`, one token per
 * `.`-separated segment of the topic, each encoded by `encodeToken` (`names.ts`), so spaces, `*`,
 * `>` and any other character inside a segment never act as NATS syntax; a wildcard subscription
 * (`x.>`, or `>`) becomes the NATS wildcard over the encoded segments before it. The subject
 * prefix (default `sb.fanout`) isolates deployments sharing a NATS server, and tests.
 *
 * One NATS subscription per distinct subscription topic, shared by that topic's handlers in this
 * process. The connection is the caller's: `close` unsubscribes and flushes, and leaves it open.
 */
import { ErrorCode, NatsError, type NatsConnection, type Subscription } from 'nats';
import { checkTopic, fanoutPattern, reportHandlerError, type Fanout, type FanoutHandler } from '../fanout.ts';
import { decodeToken, encodeToken } from './names.ts';

export interface NatsFanoutOptions {
  /** Subjects start with this (dot-separated NATS tokens); default `sb.fanout`. */
  readonly subjectPrefix?: string;
  /** Called with what a handler throws; default: a line on stderr. */
  readonly onHandlerError?: (error: unknown, topic: string) => void;
}

const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const encoder = new TextEncoder();

interface Shared {
  readonly sub: Subscription;
  readonly handlers: Set<FanoutHandler>;
}

export function createNatsFanout(nc: NatsConnection, options: NatsFanoutOptions = {}): Fanout {
  const prefix = options.subjectPrefix ?? 'sb.fanout';
  if (!SUBJECT_PREFIX.test(prefix)) throw new TypeError(`fan-out subject prefix must be dot-separated [A-Za-z0-9_-] tokens, got ${JSON.stringify(prefix)}`);
  const onError = options.onHandlerError ?? reportHandlerError;
  const shared = new Map<string, Shared>();
  let closed = false;

  const subjectOf = (topic: string): string => `${prefix}.${topic.split('.').map(encodeToken).join('.')}`;
  const topicOf = (subject: string): string => subject.slice(prefix.length + 1).split('.').map(decodeToken).join('.');

  const subjectFor = (topic: string): string => {
    const pattern = fanoutPattern(topic);
    if (pattern.kind === 'exact') return subjectOf(pattern.topic);
    // `a.b.` → `<prefix>.a.b.>`; `''` (the topic `>`) → `<prefix>.>`.
    return pattern.prefix === '' ? `${prefix}.>` : `${subjectOf(pattern.prefix.slice(0, -1))}.>`;
  };

  return {
    publish(topic, data) {
      checkTopic(topic);
      if (closed) return;
      try {
        nc.publish(subjectOf(topic), typeof data === 'string' ? encoder.encode(data) : data);
      } catch (error) {
        // At most once: a closed or draining connection drops the message. Anything else (a
        // message over max_payload) is the caller's bug.
        if (error instanceof NatsError && (error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.ConnectionDraining)) return;
        throw error;
      }
    },

    subscribe(topic, handler) {
      checkTopic(topic);
      if (closed) return () => {};
      const subject = subjectFor(topic);
      let entry = shared.get(subject);
      if (entry === undefined) {
        const handlers = new Set<FanoutHandler>();
        const sub = nc.subscribe(subject, {
          callback: (error, msg) => {
            if (error !== null) return;
            const from = topicOf(msg.subject);
            // A copy: a handler unsubscribing another must not skip a third.
            for (const h of [...handlers]) {
              if (!handlers.has(h)) continue;
              try {
                h(msg.data, from);
              } catch (thrown) {
                onError(thrown, from);
              }
            }
          },
        });
        entry = { sub, handlers };
        shared.set(subject, entry);
      }
      // The same function twice on one topic is one subscription with two unsubscribes; wrap it
      // so each `subscribe` call is its own.
      const own: FanoutHandler = (data, from) => handler(data, from);
      const current = entry;
      current.handlers.add(own);
      return () => {
        if (!current.handlers.delete(own)) return;
        if (current.handlers.size === 0 && shared.get(subject) === current) {
          shared.delete(subject);
          current.sub.unsubscribe();
        }
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const { sub } of shared.values()) sub.unsubscribe();
      shared.clear();
      if (!nc.isClosed() && !nc.isDraining()) await nc.flush().catch(() => undefined);
    },
  };
}
