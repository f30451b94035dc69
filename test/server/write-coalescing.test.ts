/**
 * Write coalescing: the frames written to a socket leave together in one write as soon as a frame
 * goes to another socket, the turn of JavaScript ends, or they reach FLUSH_BYTES; a socket that is
 * not held writes each frame as it comes.
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

/** One frame to `socket`, as the WebSocket handler writes it. */
function send(coalescer: ReturnType<typeof createWriteCoalescer>, socket: Writable, frame: string): void {
  coalescer.hold(socket as never);
  socket.write(frame);
  coalescer.written(socket as never);
}

test("a socket's frames of one turn leave in one write when the turn ends", async () => {
  const coalescer = createWriteCoalescer();
  const { socket, calls } = recordingSocket();
  for (let i = 0; i < 5; i++) send(coalescer, socket, `frame ${i}`);
  assert.deepEqual(calls, [], 'held during the turn');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [5], 'one write carrying the five');
  assert.equal(socket.writableCorked, 0, 'uncorked exactly as often as corked');
});

test('a frame to another socket lets the held one go at once: a fan-out never waits for its end', async () => {
  const coalescer = createWriteCoalescer();
  const a = recordingSocket();
  const b = recordingSocket();
  send(coalescer, a.socket, 'a1');
  send(coalescer, a.socket, 'a2');
  assert.deepEqual(a.calls, []);
  send(coalescer, b.socket, 'b1');
  assert.deepEqual(a.calls, [2], "a's two frames left together when b was written");
  assert.deepEqual(b.calls, []);
  send(coalescer, a.socket, 'a3');
  assert.deepEqual(b.calls, [1]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(a.calls, [2, 1]);
  assert.equal(a.socket.writableCorked + b.socket.writableCorked, 0);
});

test('a socket that is not held writes at once; ending a held socket flushes it', async () => {
  const coalescer = createWriteCoalescer();
  const { socket, calls } = recordingSocket();
  socket.write('alone');
  assert.deepEqual(calls, [1]);
  send(coalescer, socket, 'held');
  socket.end();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [1, 1], 'the held frame is written once, not lost, not twice');
});

test('held frames reaching FLUSH_BYTES are written at once, mid-turn, and the socket is held again after', async () => {
  const coalescer = createWriteCoalescer();
  const { socket, calls } = recordingSocket();
  const frame = 'x'.repeat(FLUSH_BYTES / 4);
  for (let i = 0; i < 6; i++) send(coalescer, socket, frame);
  assert.deepEqual(calls, [4], 'the first four as soon as they reached the bound');
  assert.equal(socket.writableLength, 2 * frame.length, 'the next two are held again');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [4, 2]);
  assert.equal(socket.writableCorked, 0, 'every cork matched');
});
