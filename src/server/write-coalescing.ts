/**
 * Write coalescing for subscription sockets. Every frame `ws` sends is its own `writev` system
 * call, and on loopback or a LAN that call, not JavaScript, is most of a delivery's cost (for the
 * server, and for the client, which wakes and reads once per segment). So the first frame written
 * to a socket in a turn of JavaScript corks the socket, and the socket is uncorked once that turn
 * ends (`process.nextTick`): the frames of one turn (a fan-out that sends a burst of a topic's
 * messages subscriber by subscriber, an ack followed by replayed messages) leave in one call and
 * usually one TCP segment. A lone frame leaves as before, only after the current synchronous work.
 *
 * A held socket is let go at once, mid-turn, when its held bytes reach `FLUSH_BYTES`: a burst of
 * thousands of messages for one subscriber goes to the kernel in 64 KiB writes, and held bytes
 * never count against a socket's slow-consumer bound (which is about what the client does not
 * read, not what we have not written yet).
 *
 * Concurrency contract: `hold` is called on the event loop just before a write and `written`
 * just after it; every cork is matched by one uncork, on the next tick at the latest, whatever
 * happened to the socket in between (`end()` uncorks by itself, a destroyed socket ignores it,
 * an uncork of an uncorked socket does nothing). Corks nest with the ones `ws` takes around each
 * frame, so `ws` framing is unchanged.
 */
import type { Duplex } from 'node:stream';

/** Held bytes at which a socket is written at once rather than at the end of the turn. */
export const FLUSH_BYTES = 64 * 1024;

export interface WriteCoalescer {
  /** Holds the socket's writes until the end of the current turn. */
  hold(socket: Duplex): void;
  /** After a write to a held socket: writes it out now if its held bytes reached FLUSH_BYTES. */
  written(socket: Duplex): void;
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
    written(socket) {
      if (!holding.has(socket) || socket.writableLength < FLUSH_BYTES) return;
      // Its entry in `held` stays: the extra uncork at the end of the turn does nothing, or
      // matches the cork of a later `hold` in the same turn.
      holding.delete(socket);
      socket.uncork();
    },
  };
}
