/**
 * Event-log record ids (`createTimeOrderedIdGenerator`: PutEvents event ids, subscription topic
 * messages): UUID version 7 on the injected clock, so ids taken in order sort in order (the event
 * log's id index then grows at its right edge).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTimeOrderedIdGenerator, VirtualClock } from '../../src/core/index.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are version 7 UUIDs carrying the clock time in their first 48 bits', () => {
  const clock = new VirtualClock(Date.parse('2026-03-04T05:06:07.089Z'));
  const id = createTimeOrderedIdGenerator(clock)();
  assert.match(id, V7);
  assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), clock.now());
});

test('ids taken in order sort in order, within a millisecond and across them', async () => {
  const clock = new VirtualClock();
  const next = createTimeOrderedIdGenerator(clock);
  const ids: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    ids.push(next());
    if (i % 700 === 0) await clock.advance(1);
  }
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, V7);
});

test('more than 4,096 ids in one millisecond borrow the next millisecond instead of wrapping', () => {
  const clock = new VirtualClock();
  const next = createTimeOrderedIdGenerator(clock);
  const ids = Array.from({ length: 10_000 }, () => next());
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(parseInt(ids[9_999]!.slice(0, 8) + ids[9_999]!.slice(9, 13), 16), clock.now() + 2);
});

test('a clock that steps back never makes ids go back', () => {
  let now = 1_000_000;
  const next = createTimeOrderedIdGenerator({ now: () => now, setTimer: () => ({ cancel: () => undefined }) });
  const before = next();
  now -= 500;
  const after = next();
  assert.ok(after > before);
});

test('the last 62 bits come from the random source', () => {
  const next = createTimeOrderedIdGenerator(new VirtualClock(), () => '00000000-0000-4000-b123-456789abcdef');
  assert.match(next(), /-7000-b123-456789abcdef$/);
});
