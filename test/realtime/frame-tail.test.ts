/**
 * Rule (realtime/frame-tail.ts): the part of a data frame after the subscription id is built once
 * per message for all the subscribers of a group, and built again for the next message, even when
 * that message's payload text is the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoizedTail } from '../../src/realtime/frame-tail.ts';

test('the shared part of a frame is built once per message, for every subscriber of the group', () => {
  let builds = 0;
  const tail = memoizedTail((json, offset) => {
    builds++;
    return `,"offset":${offset},"payload":${json}}`;
  });
  const json = JSON.stringify({ data: { onOrderUpdated: { id: 'o1' } } });
  const frames = ['"a"', '"b"', '"c"'].map((id) => `{"id":${id}${tail(json, 7)}`);
  assert.equal(builds, 1);
  assert.deepEqual(frames.map((f) => JSON.parse(f) as unknown), ['a', 'b', 'c'].map((id) => ({ id, offset: 7, payload: JSON.parse(json) as unknown })));
});

test('the next message gets its own part, even with the same payload text', () => {
  const tail = memoizedTail((json, offset) => `${offset}:${json}`);
  const json = '{"data":1}';
  assert.equal(tail(json, 1), '1:{"data":1}');
  // A second publish of the same payload: another offset.
  assert.equal(tail(json, 2), '2:{"data":1}');
  // Another payload at the same offset (another topic's message).
  assert.equal(tail('{"data":2}', 2), '2:{"data":2}');
  // An equal text in another string object is the same message part.
  assert.equal(tail(JSON.stringify({ data: 2 }), 2), '2:{"data":2}');
});
