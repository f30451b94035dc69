/**
 * `Fanout` inside one process (embedded mode, and tests): a hub holds the subscriptions of every
 * instance opened on it, so tests can stand in several "nodes" with one hub. Guarantees as in
 * `fanout.ts`: a publish is copied, matched against the subscriptions of that moment, and
 * delivered in a microtask (microtasks run in order, hence per-publisher order); a handler
 * unsubscribed before its turn is skipped.
 */
import { checkTopic, fanoutPattern, reportHandlerError, type Fanout, type FanoutHandler } from './fanout.ts';

export interface MemoryFanoutOptions {
  /** Called with what a handler throws; default: a line on stderr. */
  readonly onHandlerError?: (error: unknown, topic: string) => void;
}

export interface MemoryFanoutHub {
  /** A `Fanout` whose publishes reach every instance of this hub, itself included. */
  open(options?: MemoryFanoutOptions): Fanout;
}

interface Subscription {
  readonly handler: FanoutHandler;
  readonly onError: (error: unknown, topic: string) => void;
  active: boolean;
}

const encoder = new TextEncoder();

export function createMemoryFanoutHub(): MemoryFanoutHub {
  const exact = new Map<string, Set<Subscription>>();
  /** Wildcard subscriptions by prefix (`''` for `>`). */
  const prefixed = new Map<string, Set<Subscription>>();

  const matching = (topic: string): Subscription[] => {
    const out = [...(exact.get(topic) ?? [])];
    for (const [prefix, subs] of prefixed) if (topic.startsWith(prefix)) out.push(...subs);
    return out;
  };

  return {
    open(options = {}) {
      const onError = options.onHandlerError ?? reportHandlerError;
      const mine = new Set<() => void>();
      let closed = false;
      return {
        publish(topic, data) {
          checkTopic(topic);
          if (closed) return;
          const subs = matching(topic);
          if (subs.length === 0) return;
          const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice();
          queueMicrotask(() => {
            for (const sub of subs) {
              if (!sub.active) continue;
              try {
                sub.handler(bytes, topic);
              } catch (error) {
                sub.onError(error, topic);
              }
            }
          });
        },
        subscribe(topic, handler) {
          checkTopic(topic);
          if (closed) return () => {};
          const pattern = fanoutPattern(topic);
          const index = pattern.kind === 'exact' ? exact : prefixed;
          const key = pattern.kind === 'exact' ? pattern.topic : pattern.prefix;
          const sub: Subscription = { handler, onError, active: true };
          let set = index.get(key);
          if (set === undefined) index.set(key, (set = new Set()));
          set.add(sub);
          const unsubscribe = (): void => {
            if (!sub.active) return;
            sub.active = false;
            mine.delete(unsubscribe);
            set.delete(sub);
            if (set.size === 0 && index.get(key) === set) index.delete(key);
          };
          mine.add(unsubscribe);
          return unsubscribe;
        },
        async close() {
          closed = true;
          for (const unsubscribe of [...mine]) unsubscribe();
        },
      };
    },
  };
}

/** A fan-out of its own (embedded mode: one node, so one instance is the whole hub). */
export function createMemoryFanout(options: MemoryFanoutOptions = {}): Fanout {
  return createMemoryFanoutHub().open(options);
}
