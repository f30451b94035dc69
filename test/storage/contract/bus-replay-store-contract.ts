/**
 * The `BusReplayStore` contract (`src/storage/bus-replay-store.ts`): archives (created only on an
 * existing bus, listed by name), replays (quota of active ones, cursor and jobs moved together,
 * state transitions) and schedule states, one test per guarantee, registered by
 * `describeBusReplayStoreContract` for any adapter.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { StoredArchive, StoredReplay } from '../../../src/storage/index.ts';
import { job, type BusStoreFixture } from './bus-store-contract.ts';
import { contractTest, using, type SkipReason } from './table-store-contract.ts';

const archive = (name: string, extra: Partial<StoredArchive> = {}): StoredArchive => ({ name, bus: 'default', retentionDays: 0, startOffset: 10, createdAt: 100, ...extra });

const replay = (name: string, extra: Partial<StoredReplay> = {}): StoredReplay => ({
  name,
  archive: 'arch',
  bus: 'default',
  eventStartTime: 1000,
  eventEndTime: 2000,
  state: 'STARTING',
  cursor: 10,
  throughOffset: 50,
  startedAt: 500,
  ...extra,
});

export function describeBusReplayStoreContract(adapterName: string, open: () => Promise<BusStoreFixture>, options: { readonly skip?: SkipReason } = {}): void {
  const skip = options.skip ?? false;
  const test = contractTest(skip);
  describe(`BusReplayStore contract: ${adapterName}`, () => {
    describe('archives', () => {
      test('an archive is only created on a bus that exists', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.createArchive(archive('a', { bus: 'nope' })), 'no-bus');
          assert.equal(await store.getArchive('a'), undefined);
          assert.equal(await store.createArchive(archive('a')), 'created');
        }));

      test('an archive name is taken once; a second create answers exists and changes nothing', () =>
        using(open, async ({ store }) => {
          await store.createBus({ name: 'b2', createdAt: 1, updatedAt: 1 }, 100);
          assert.equal(await store.createArchive(archive('a', { description: 'first' })), 'created');
          assert.equal(await store.createArchive(archive('a', { bus: 'b2', description: 'second' })), 'exists');
          assert.deepEqual(await store.getArchive('a'), archive('a', { description: 'first' }));
        }));

      test('an archive keeps every field, and has no description or pattern unless given', () =>
        using(open, async ({ store }) => {
          const full = archive('full', { description: 'd', eventPattern: '{"source":["x"]}', retentionDays: 7, startOffset: 123, createdAt: 456 });
          await store.createArchive(full);
          await store.createArchive(archive('bare'));
          assert.deepEqual(await store.getArchive('full'), full);
          assert.deepEqual(await store.getArchive('bare'), archive('bare'));
          assert.equal(await store.getArchive('absent'), undefined);
        }));

      test('archives are listed in name order, by prefix (no LIKE wildcards), bus and after a name', () =>
        using(open, async ({ store }) => {
          await store.createBus({ name: 'b2', createdAt: 1, updatedAt: 1 }, 100);
          for (const name of ['x_1', 'x_2', 'xa', 'A', 'y']) await store.createArchive(archive(name));
          await store.createArchive(archive('x_3', { bus: 'b2' }));
          assert.deepEqual((await store.listArchives({ limit: 10 })).map((a) => a.name), ['A', 'x_1', 'x_2', 'x_3', 'xa', 'y']);
          assert.deepEqual((await store.listArchives({ prefix: 'x_', limit: 10 })).map((a) => a.name), ['x_1', 'x_2', 'x_3']);
          assert.deepEqual((await store.listArchives({ prefix: 'x_', bus: 'default', limit: 10 })).map((a) => a.name), ['x_1', 'x_2']);
          assert.deepEqual((await store.listArchives({ after: 'x_2', limit: 2 })).map((a) => a.name), ['x_3', 'xa']);
          assert.deepEqual((await store.listArchives({ bus: 'b2', limit: 10 })).map((a) => a.name), ['x_3']);
        }));

      test('an update changes only description, pattern and retention, and only the fields given', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('a', { description: 'd', eventPattern: '{"p":1}', retentionDays: 3 }));
          assert.equal(await store.updateArchive('a', { retentionDays: 9 }), true);
          assert.deepEqual(await store.getArchive('a'), archive('a', { description: 'd', eventPattern: '{"p":1}', retentionDays: 9 }));
          assert.equal(await store.updateArchive('a', { description: 'new', eventPattern: '{"p":2}' }), true);
          assert.deepEqual(await store.getArchive('a'), archive('a', { description: 'new', eventPattern: '{"p":2}', retentionDays: 9 }));
          assert.equal(await store.updateArchive('a', { retentionDays: 0 }), true);
          assert.equal((await store.getArchive('a'))?.retentionDays, 0, 'a zero retention is a value, not absent');
          assert.equal(await store.updateArchive('absent', { retentionDays: 1 }), false);
        }));

      test('deleting an archive answers whether it existed', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('a'));
          assert.equal(await store.deleteArchive('a'), true);
          assert.equal(await store.deleteArchive('a'), false);
          assert.equal(await store.getArchive('a'), undefined);
        }));
    });

    describe('replays', () => {
      test('a replay needs its archive, and its name is taken once', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.createReplay(replay('r'), 10), 'no-archive');
          await store.createArchive(archive('arch'));
          assert.equal(await store.createReplay(replay('r'), 10), 'created');
          assert.equal(await store.createReplay(replay('r', { description: 'again' }), 10), 'exists');
          assert.deepEqual(await store.getReplay('r'), replay('r'));
          assert.equal(await store.getReplay('absent'), undefined);
        }));

      test('a replay keeps its rule filter and optional fields', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          const r = replay('f', { description: 'd', filterRules: ['rule-b', 'rule-a'] });
          await store.createReplay(r, 10);
          assert.deepEqual(await store.getReplay('f'), r);
        }));

      test('maxActive STARTING/RUNNING/CANCELLING replays refuse another; finished ones do not count', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          assert.equal(await store.createReplay(replay('a'), 2), 'created');
          assert.equal(await store.createReplay(replay('b', { state: 'RUNNING' }), 2), 'created');
          assert.equal(await store.createReplay(replay('c'), 2), 'limit');
          assert.equal(await store.setReplayState('a', 'COMPLETED', 900), 'STARTING');
          assert.equal(await store.createReplay(replay('c'), 2), 'created');
          assert.equal(await store.setReplayState('c', 'CANCELLING', 901), 'STARTING');
          assert.equal(await store.createReplay(replay('d'), 2), 'limit', 'a cancelling replay is still active');
        }));

      test('concurrent StartReplay calls cannot exceed the active-replay quota', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.createReplay(replay(`r${i}`), 3)));
          assert.equal(outcomes.filter((o) => o === 'created').length, 3);
          assert.equal((await store.activeReplays()).length, 3);
        }));

      test('replays are listed in name order by prefix, state, archive and after a name', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          await store.createArchive(archive('arch2'));
          for (const name of ['r_1', 'r_2', 'ra', 'B']) await store.createReplay(replay(name), 100);
          await store.createReplay(replay('r_3', { archive: 'arch2' }), 100);
          await store.setReplayState('r_2', 'FAILED', 5, 'boom');
          assert.deepEqual((await store.listReplays({ limit: 10 })).map((r) => r.name), ['B', 'r_1', 'r_2', 'r_3', 'ra']);
          assert.deepEqual((await store.listReplays({ prefix: 'r_', limit: 10 })).map((r) => r.name), ['r_1', 'r_2', 'r_3']);
          assert.deepEqual((await store.listReplays({ state: 'FAILED', limit: 10 })).map((r) => r.name), ['r_2']);
          assert.deepEqual((await store.listReplays({ archive: 'arch2', limit: 10 })).map((r) => r.name), ['r_3']);
          assert.deepEqual((await store.listReplays({ after: 'r_1', limit: 2 })).map((r) => r.name), ['r_2', 'r_3']);
        }));

      test('active replays are the STARTING, RUNNING and CANCELLING ones, oldest first', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          await store.createReplay(replay('late', { startedAt: 30 }), 100);
          await store.createReplay(replay('early', { startedAt: 10 }), 100);
          await store.createReplay(replay('mid-b', { startedAt: 20, state: 'RUNNING' }), 100);
          await store.createReplay(replay('mid-a', { startedAt: 20 }), 100);
          await store.createReplay(replay('done', { startedAt: 5 }), 100);
          await store.setReplayState('done', 'CANCELLED', 6);
          await store.setReplayState('late', 'CANCELLING', 31);
          assert.deepEqual((await store.activeReplays()).map((r) => r.name), ['early', 'mid-a', 'mid-b', 'late']);
        }));

      test('advancing a replay stores its jobs and moves its cursor, and a STARTING replay becomes RUNNING', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          await store.createReplay(replay('r'), 10);
          const jobs = await store.advanceReplay('r', 20, 1500, [job('e1'), job('e2')]);
          assert.deepEqual(jobs.map((j) => [j.eventId, j.attempts]), [['e1', 0], ['e2', 0]]);
          assert.deepEqual(await store.pendingDeliveries(), jobs);
          const stored = await store.getReplay('r');
          assert.equal(stored?.cursor, 20);
          assert.equal(stored?.state, 'RUNNING');
          assert.equal(stored?.lastReplayedTime, 1500);
          await store.advanceReplay('r', 25, undefined, []);
          assert.equal((await store.getReplay('r'))?.lastReplayedTime, 1500, 'an empty page keeps the last replayed time');
          assert.equal((await store.getReplay('r'))?.cursor, 25);
        }));

      test('a replay cursor never moves back', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          await store.createReplay(replay('r'), 10);
          await store.advanceReplay('r', 30, 1, []);
          await store.advanceReplay('r', 20, 2, []);
          assert.equal((await store.getReplay('r'))?.cursor, 30);
        }));

      test('a cancelling replay stays CANCELLING when it advances', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          await store.createReplay(replay('r'), 10);
          await store.setReplayState('r', 'CANCELLING', 7);
          await store.advanceReplay('r', 11, 1, []);
          assert.equal((await store.getReplay('r'))?.state, 'CANCELLING');
        }));

      test('setting a state answers the previous one, records the reason, and an end time only for final states', () =>
        using(open, async ({ store }) => {
          await store.createArchive(archive('arch'));
          await store.createReplay(replay('r'), 10);
          assert.equal(await store.setReplayState('r', 'CANCELLING', 700), 'STARTING');
          let stored = await store.getReplay('r');
          assert.equal(stored?.endedAt, undefined);
          assert.equal(stored?.stateReason, undefined);
          assert.equal(await store.setReplayState('r', 'FAILED', 800, 'target gone'), 'CANCELLING');
          stored = await store.getReplay('r');
          assert.equal(stored?.state, 'FAILED');
          assert.equal(stored?.stateReason, 'target gone');
          assert.equal(stored?.endedAt, 800);
          assert.equal(await store.setReplayState('absent', 'CANCELLED', 1), undefined);
        }));
    });

    describe('schedules', () => {
      test('a schedule state is absent until set, replaced by a set, and gone after a delete', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.getScheduleState('default', 'tick'), undefined);
          await store.setScheduleState('default', 'tick', { expression: 'rate(1 minute)', nextAt: 60_000 });
          assert.deepEqual(await store.getScheduleState('default', 'tick'), { expression: 'rate(1 minute)', nextAt: 60_000 });
          await store.setScheduleState('default', 'tick', { expression: 'rate(2 minutes)', nextAt: 120_000 });
          assert.deepEqual(await store.getScheduleState('default', 'tick'), { expression: 'rate(2 minutes)', nextAt: 120_000 });
          await store.deleteScheduleState('default', 'tick');
          assert.equal(await store.getScheduleState('default', 'tick'), undefined);
          await store.deleteScheduleState('default', 'tick');
        }));

      test('a fired one-off schedule keeps a null next fire time, and states are per (bus, rule)', () =>
        using(open, async ({ store }) => {
          await store.setScheduleState('default', 'once', { expression: 'at(2030-01-01T00:00:00)', nextAt: null });
          await store.setScheduleState('other', 'once', { expression: 'rate(1 hour)', nextAt: 5 });
          assert.deepEqual(await store.getScheduleState('default', 'once'), { expression: 'at(2030-01-01T00:00:00)', nextAt: null });
          assert.deepEqual(await store.getScheduleState('other', 'once'), { expression: 'rate(1 hour)', nextAt: 5 });
        }));

      test('archives, replays and schedule states survive a reopen', async () => {
        const f = await open();
        try {
          await f.store.createArchive(archive('arch'));
          await f.store.createReplay(replay('r'), 10);
          await f.store.advanceReplay('r', 33, 1700, [job('e')]);
          await f.store.setScheduleState('default', 'tick', { expression: 'rate(5 minutes)', nextAt: 1_700_000_000_000 });
          const again = await f.reopen();
          assert.deepEqual(await again.getArchive('arch'), archive('arch'));
          assert.equal((await again.getReplay('r'))?.cursor, 33);
          assert.deepEqual(await again.getScheduleState('default', 'tick'), { expression: 'rate(5 minutes)', nextAt: 1_700_000_000_000 });
          assert.equal((await again.pendingDeliveries()).length, 1);
        } finally {
          await f.close();
        }
      });
    });
  });
}
