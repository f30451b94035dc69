/**
 * Whether a NATS connection is up right now, from its status events. nats.js drops whatever is
 * published while it is reconnecting (each dial starts with an empty outbound buffer), so a
 * JetStream request sent during an outage is lost and only its timeout tells. The event log waits
 * here instead, up to its timeout, and sends once the connection is back: a short outage delays
 * appends rather than failing them. (A request written just before a drop is noticed is still
 * lost: the caller gets the timeout and retries with the same ids.)
 *
 * Concurrency contract: one state per connection (a WeakMap), fed by one status listener that
 * ends when the connection closes.
 */
import { Events, type NatsConnection } from 'nats';

export interface LinkState {
  /** Resolves true once connected (at once if it is), false after `timeoutMs` or when closed. */
  whenConnected(timeoutMs: number): Promise<boolean>;
}

const states = new WeakMap<NatsConnection, LinkState>();

export function linkState(nc: NatsConnection): LinkState {
  let state = states.get(nc);
  if (state === undefined) {
    state = watch(nc);
    states.set(nc, state);
  }
  return state;
}

function watch(nc: NatsConnection): LinkState {
  let up = !nc.isClosed();
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) up = false;
      else if (status.type === Events.Reconnect) {
        up = true;
        wake();
      }
    }
    up = false;
    wake();
  })().catch(() => undefined);
  return {
    whenConnected(timeoutMs) {
      if (nc.isClosed()) return Promise.resolve(false);
      if (up) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done);
          resolve(false);
        }, timeoutMs);
        timer.unref();
        const done = (): void => {
          clearTimeout(timer);
          resolve(up);
        };
        waiters.push(done);
      });
    },
  };
}
