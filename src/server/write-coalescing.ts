/**
 * Write coalescing for subscription sockets. Every frame `ws` sends is its own `writev` system
 * call, and on loopback or a LAN that call, not JavaScript, is most of a delivery's cost (for the
 * server, and for the client, which wakes and reads once per segment). So the first frame written
 * to a socket in a turn of JavaScript corks the socket, and the socket is uncorked once that turn
 * ends (`process.nextTick`): the frames of one turn (a fan-out that sends a burst of a topic's
 * messages subscriber by subscriber, an ack followed by replayed messages) leave in one call and
 * usually one TCP segment. A lone frame leaves as before, only after the current synchronous work.
 *
 * Concurrency contract: `hold` is called on the event loop just before a write; the matching
 * uncork always runs, on the next tick, whatever happened to the socket in between (`end()`
 * uncorks by itself, a destroyed socket ignores it). Corks nest with the ones `ws` takes around
 * each frame, so `ws` framing is unchanged.
 */
import type { Duplex } from 'node:stream';

export interface WriteCoalescer {
  /** Holds the socket's writes until the end of the current turn. */
  hold(socket: Duplex): void;
}

export function createWriteCoalescer(): WriteCoalescer {
  let held: Duplex[] = [];
  const holding = new WeakSet<Duplex>();

  function release(): void {
    const sockets = held;
    held = [];
    for (const socket of sockets) {
      holding.delete(socket);
      socket.uncork();
    }
  }

  return {
    hold(socket) {
      if (holding.has(socket)) return;
      holding.add(socket);
      if (held.length === 0) process.nextTick(release);
      held.push(socket);
      socket.cork();
    },
  };
}
