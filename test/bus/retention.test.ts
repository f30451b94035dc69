/**
 * Retention of the bus streams and the attempt log (src/bus/retention/, one pass; its schedule:
 * test/server/retention.test.ts): a bus stream is trimmed
 * through what is older than the retention AND delivered AND outside every archive AND behind
 * every active replay; attempt records older than the retention go too. Real SQLite file,
 * virtual clock.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { offsetAtTime, trimBusStreams } from '../../src/bus/retention/index.ts';
import type { StoredReplay } from '../../src/storage/index.ts';
import { orderRule, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STREAM = 'bus:default';
const TARGET = { Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:record' };

let dir: string;
let h: Harness;
beforeEach(async () => {
  dir = tempDir();
  h = await startHarness(dir, () => ({ ok: true }));
  await orderRule(h.store, TARGET);
});
afterEach(async () => {
  await h.close();
  removeDir(dir);
});

/** A retention pass as seen `later` ms after the harness clock (record times come from the harness clock). */
const retention = (retentionMs: number, later = 0) => ({ runOnce: () => trimBusStreams({ store: h.store, eventLog: h.log }, h.clock.now() + later, retentionMs) });
const offsets = async (): Promise<number[]> => (await h.log.read(STREAM, 0, 1000)).map((r) => r.offset);

/** Appends, appended at `time`, without telling delivery: the events stay past the bus's cursor (not dispatched). */
async function appendUndispatched(id: string, time = h.clock.now()): Promise<void> {
  await h.log.append(STREAM, [{ id, time, payload: JSON.stringify({ id, 'detail-type': 'order.updated', source: 's', detail: {} }) }]);
}

/** Appends events appended at these times, then lets delivery dispatch and deliver them. */
let appended = 0;
async function delivered(times: readonly number[]): Promise<void> {
  for (const time of times) await appendUndispatched(`d${++appended}`, time);
  h.service.poke('default');
  await h.settle();
}

test('offsetAtTime answers the first offset appended at or after a time, across a trimmed prefix', async () => {
  const t0 = h.clock.now();
  for (let i = 0; i < 20; i++) await appendUndispatched(`e${i}`, t0 + i * 1000);
  assert.equal(await offsetAtTime(h.log, STREAM, t0), 1);
  assert.equal(await offsetAtTime(h.log, STREAM, t0 + 7000), 8);
  assert.equal(await offsetAtTime(h.log, STREAM, t0 + 6500), 8, 'between two records: the newer one');
  assert.equal(await offsetAtTime(h.log, STREAM, t0 + 60_000), 21, 'all older: past the head');
  await h.log.trim(STREAM, 5);
  assert.equal(await offsetAtTime(h.log, STREAM, t0), 6, 'the first record kept');
  assert.equal(await offsetAtTime(h.log, STREAM, t0 + 12_000), 13);
  assert.equal(await offsetAtTime(h.log, 'bus:empty', t0), undefined, 'nothing to answer from');
});

test('delivered events older than the retention are trimmed with their attempt records; newer ones stay', async () => {
  for (let i = 0; i < 3; i++) await h.emit('order.updated', { n: i });
  const old = await h.log.read(STREAM, 0, 10);
  assert.equal((await h.store.listAttempts(old[0]?.id ?? '')).length, 1, 'delivered once, attempt recorded');
  await h.clock.advance(20_000);
  for (let i = 3; i < 5; i++) await h.emit('order.updated', { n: i });
  const run = await retention(10_000).runOnce();
  assert.deepEqual(run.trimmed, { default: 3 });
  assert.equal(run.attemptsDeleted, 3);
  assert.deepEqual(await offsets(), [4, 5]);
  assert.equal(await h.log.find(STREAM, old[0]?.id ?? ''), undefined);
  assert.deepEqual(await h.store.listAttempts(old[0]?.id ?? ''), []);
  const kept = await h.log.read(STREAM, 0, 10);
  assert.equal((await h.store.listAttempts(kept[0]?.id ?? '')).length, 1);
  assert.deepEqual((await retention(10_000).runOnce()).trimmed, {}, 'a second run finds nothing more');
  assert.equal(await h.log.head(STREAM), 5, 'offsets are never reused');
});

test('an event not yet dispatched is kept however old', async () => {
  await h.emit('order.updated');
  await appendUndispatched('late-1');
  await appendUndispatched('late-2');
  const run = await retention(HOUR, 2 * DAY).runOnce();
  assert.deepEqual(run.trimmed, { default: 1 }, 'only the dispatched one');
  assert.deepEqual(await offsets(), [2, 3]);
});

test('an archive keeps the events after its start for its RetentionDays, and forever with 0', async () => {
  const t0 = h.clock.now();
  await delivered([t0]);
  await h.store.createArchive({ name: 'forever', bus: 'default', retentionDays: 0, startOffset: 1, createdAt: t0 });
  await delivered([t0, t0, t0 + 3 * DAY]);
  assert.deepEqual((await retention(HOUR, 4 * DAY).runOnce()).trimmed, { default: 1 }, 'only what came before the archive');
  assert.deepEqual(await offsets(), [2, 3, 4]);

  await h.store.deleteArchive('forever');
  await h.store.createArchive({ name: 'two-days', bus: 'default', retentionDays: 2, startOffset: 1, createdAt: t0 });
  // Seen 4 days after t0: offsets 2 and 3 are outside the archive's 2 days, 4 (1 day old) inside.
  assert.deepEqual((await retention(HOUR, 4 * DAY).runOnce()).trimmed, { default: 2 });
  assert.deepEqual(await offsets(), [4]);
});

test('an active replay keeps the events after its cursor', async () => {
  for (let i = 0; i < 4; i++) await h.emit('order.updated');
  await h.store.createArchive({ name: 'a', bus: 'default', retentionDays: 1, startOffset: 0, createdAt: h.clock.now() });
  const replay: StoredReplay = { name: 'r', archive: 'a', bus: 'default', eventStartTime: 0, eventEndTime: h.clock.now() + 1, state: 'RUNNING', cursor: 2, throughOffset: 4, startedAt: h.clock.now() };
  assert.equal(await h.store.createReplay(replay, 10), 'created');
  assert.deepEqual((await retention(HOUR, 3 * DAY).runOnce()).trimmed, { default: 2 }, 'through the replay cursor only');
  assert.deepEqual(await offsets(), [3, 4]);
});
