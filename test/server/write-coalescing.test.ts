/**
 * Write coalescing: the frames written to a held socket in one turn of JavaScript leave in one
 * write call when the turn ends, or as soon as they reach FLUSH_BYTES; a socket that is not held
 * writes each frame as it comes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createWriteCoalescer, FLUSH_BYTES } from '../../src/server/write-coalescing.ts';

/** A sink that records each write call and how many frames it carried. */
function recordingSocket(): { socket: Writable; calls: number[] } {
  const calls: number[] = [];
  const socket = new Writable({
    write(_chunk, _encoding, done) {
      calls.push(1);
      done();
    },
    writev(chunks, done) {
      calls.push(chunks.length);
      done();
    },
  });
  return { socket, calls };
}

test('frames written to a held socket in one turn leave in one write when the turn ends', async () => {
  const coalescer = createWriteCoalescer();
  const { socket, calls } = recordingSocket();
  for (let i = 0; i < 5; i++) {
    coalescer.hold(socket as never);
    socket.write(`frame ${i}`);
  }
  assert.deepEqual(calls, [], 'nothing leaves during the turn');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [5], 'one write carrying the five frames');
  assert.equal(socket.writableCorked, 0, 'uncorked exactly as often as corked');
});

test('each turn is its own write, and each held socket its own', async () => {
  const coalescer = createWriteCoalescer();
  const a = recordingSocket();
  const b = recordingSocket();
  coalescer.hold(a.socket as never);
  a.socket.write('a1');
  coalescer.hold(b.socket as never);
  b.socket.write('b1');
  coalescer.hold(a.socket as never);
  a.socket.write('a2');
  await new Promise((resolve) => setImmediate(resolve));
  coalescer.hold(a.socket as never);
  a.socket.write('a3');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(a.calls, [2, 1]);
  assert.deepEqual(b.calls, [1]);
});

test('a socket that is not held writes at once; ending a held socket flushes it', async () => {
  const coalescer = createWriteCoalescer();
  const { socket, calls } = recordingSocket();
  socket.write('alone');
  assert.deepEqual(calls, [1]);
  coalescer.hold(socket as never);
  socket.write('last');
  socket.end();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [1, 1], 'the held frame is written once, not lost, not twice');
});

test('a held socket whose held bytes reach FLUSH_BYTES is written at once, mid-turn, and held again after', async () => {
  const coalescer = createWriteCoalescer();
  const { socket, calls } = recordingSocket();
  const frame = 'x'.repeat(FLUSH_BYTES / 4);
  for (let i = 0; i < 6; i++) {
    coalescer.hold(socket as never);
    socket.write(frame);
    coalescer.written(socket as never);
  }
  assert.deepEqual(calls, [4], 'the first four frames left together as soon as they reached the bound');
  assert.equal(socket.writableLength, 2 * frame.length, 'the next two are held again');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [4, 2]);
  assert.equal(socket.writableCorked, 0, 'every cork matched');
});
