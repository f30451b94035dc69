/**
 * Write coalescing for subscription sockets. Every frame `ws` sends is its own `writev` system
 * call, and on loopback or a LAN that call, not JavaScript, is most of a delivery's cost (for the
 * server, and for the client, which wakes and reads once per segment). So the socket being written
 * is corked, and it is uncorked as soon as a frame goes to another socket, or the turn of
 * JavaScript ends (`process.nextTick`). A fan-out writes subscriber by subscriber: a burst of a
 * topic's messages to one subscriber leaves in one call (usually one TCP segment), while a lone
 * message to thousands of sockets leaves each socket as soon as the next one is being written,
 * so nothing waits for the rest of the fan-out. One socket at most is held at any time.
 *
 * A held socket is let go at once when its held bytes reach `FLUSH_BYTES`: a burst of thousands
 * of messages for one subscriber goes to the kernel in 64 KiB writes, and held bytes never count
 * against a socket's slow-consumer bound (which is about what the client does not read, not what
 * we have not written yet).
 *
 * Concurrency contract: `hold` is called on the event loop just before a write and `written`
 * just after it; every cork is matched by one uncork, on the next tick at the latest, whatever
 * happened to the socket in between (`end()` uncorks by itself, a destroyed socket ignores it).
 * Corks nest with the ones `ws` takes around each frame, so `ws` framing is unchanged.
 */
import type { Duplex } from 'node:stream';

/** Held bytes at which a socket is written at once rather than at the end of the turn. */
export const FLUSH_BYTES = 64 * 1024;

export interface WriteCoalescer {
  /** Before a write: holds this socket's writes (and lets the previously held socket go). */
  hold(socket: Duplex): void;
  /** After a write to the held socket: writes it out now if its held bytes reached FLUSH_BYTES. */
  written(socket: Duplex): void;
}

export function createWriteCoalescer(): WriteCoalescer {
  let held: Duplex | undefined;
  let scheduled = false;

  function letGo(): void {
    const socket = held;
    held = undefined;
    socket?.uncork();
  }

  function endOfTurn(): void {
    scheduled = false;
    letGo();
  }

  return {
    hold(socket) {
      if (held === socket) return;
      letGo();
      held = socket;
      socket.cork();
      if (!scheduled) {
        scheduled = true;
        process.nextTick(endOfTurn);
      }
    },
    written(socket) {
      if (held === socket && socket.writableLength >= FLUSH_BYTES) letGo();
    },
  };
}
