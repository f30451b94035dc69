/**
 * Dispatch in the append's transaction (`BusDispatcher.dispatchAppended` through `wakeOnAppend`):
 * once an append through the server's log resolves, its delivery jobs and the moved cursor are
 * already committed with it, no pump involved; what the plan cannot cover (rules not loaded or
 * changed, a round already draining) falls back to a pump; appends racing a pump are dispatched
 * exactly once.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { wakeOnAppend } from '../../src/bus/delivery/index.ts';
import type { EventLog } from '../../src/storage/index.ts';
import { APPSYNC_TARGET, FAIL, orderRule, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

let dir: string;
let h: Harness | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  removeDir(dir);
});

let n = 0;
/** An event put now (the harness clock), so a failed attempt waits for its retry. */
const event = (detailType: string) => {
  const id = `inline-${++n}`;
  return { id, time: h?.clock.now() ?? 0, payload: JSON.stringify({ version: '0', id, 'detail-type': detailType, source: 'order.api', account: '000000000000', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: {} }) };
};

/** The log as the server wires it, with a count of the pumps the fallback asked for. */
function serverLog(harness: Harness): { log: EventLog; pokes: string[] } {
  const pokes: string[] = [];
  const log = wakeOnAppend(
    harness.log,
    (bus) => {
      pokes.push(bus);
      harness.service.poke(bus);
    },
    (bus, records, offsets) => harness.service.dispatchAppended(bus, records, offsets),
  );
  return { log, pokes };
}

/** Jobs stay pending (the target fails), so the store shows what was dispatched. */
async function pendingFor(harness: Harness): Promise<string[]> {
  return (await harness.store.pendingDeliveries()).map((j) => j.eventId);
}

test('the jobs of an append are committed with it: stored and the cursor moved when the append resolves', async () => {
  h = await startHarness(dir, () => FAIL);
  await orderRule(h.store, APPSYNC_TARGET);
  const { log, pokes } = serverLog(h);
  await log.append('bus:default', [event('order.updated')]); // loads the rules (fallback pump)
  await h.settle();
  pokes.length = 0;
  const [matched, other] = [event('order.updated'), event('order.created')];
  const offsets = await log.append('bus:default', [matched, other]);
  assert.deepEqual(pokes, [], 'no pump was needed');
  assert.equal(await h.store.getCursor('default'), offsets[1], 'the cursor moved past both events in their transaction');
  assert.ok((await pendingFor(h)).includes(matched.id), 'the matched event has its job');
  assert.ok(!(await pendingFor(h)).includes(other.id), 'the other one has none');
});

test('a repeated id is not dispatched twice', async () => {
  h = await startHarness(dir, () => FAIL);
  await orderRule(h.store, APPSYNC_TARGET);
  const { log } = serverLog(h);
  await log.append('bus:default', [event('order.updated')]);
  await h.settle();
  const e = event('order.updated');
  await log.append('bus:default', [e, e]);
  await log.append('bus:default', [e]);
  await h.settle();
  assert.equal((await pendingFor(h)).filter((id) => id === e.id).length, 1);
});

test('changed rules make the append fall back to a pump, which uses them', async () => {
  h = await startHarness(dir, () => FAIL);
  const { log, pokes } = serverLog(h);
  await log.append('bus:default', [event('order.updated')]);
  await h.settle();
  await orderRule(h.store, APPSYNC_TARGET); // a config change: the loaded rule set is stale
  pokes.length = 0;
  const e = event('order.updated');
  await log.append('bus:default', [e]);
  assert.deepEqual(pokes, ['default'], 'the plan declined; a pump was asked for');
  await h.settle();
  assert.ok((await pendingFor(h)).includes(e.id), 'the pump matched it with the new rule');
});

test('appends racing pumps are each dispatched exactly once', async () => {
  h = await startHarness(dir, () => FAIL);
  await orderRule(h.store, APPSYNC_TARGET);
  const { log } = serverLog(h);
  await log.append('bus:default', [event('order.updated')]);
  await h.settle();
  const events = Array.from({ length: 60 }, () => event('order.updated'));
  // Appends in the same turns as pumps (the slow poll does this), in several rounds.
  await Promise.all(
    events.map(async (e, i) => {
      await new Promise((r) => setImmediate(r));
      if (i % 3 === 0) h?.service.poke('default');
      await log.append('bus:default', [e]);
      if (i % 5 === 0) h?.service.poke('default');
    }),
  );
  await h.settle();
  const pending = await pendingFor(h);
  for (const e of events) assert.equal(pending.filter((id) => id === e.id).length, 1, e.id);
  assert.equal(await h.store.getCursor('default'), await h.log.head('bus:default'));
});
