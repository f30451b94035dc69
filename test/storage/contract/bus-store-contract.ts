/**
 * The `BusStore` contract (`src/storage/bus-store.ts`): buses, rules and targets (preconditions
 * and quotas checked inside each write, name-ordered listings, the default bus) and the delivery
 * state (`DeliveryStateStore`: cursors, jobs, attempts, dead letters, redrive), one test per
 * guarantee, registered by `describeBusStoreContract` for any adapter.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { AttemptRecord, BusStore, DeadLetter, NewDeliveryJob, StoredRule } from '../../../src/storage/index.ts';
import { contractTest, using, type SkipReason, type StoreFixture } from './table-store-contract.ts';

export type BusStoreFixture = StoreFixture<BusStore>;

const rule = (bus: string, name: string, extra: Partial<StoredRule> = {}): StoredRule => ({ bus, name, eventPattern: '{"source":["a"]}', state: 'ENABLED', createdAt: 1, updatedAt: 1, ...extra });
const bus = (name: string, at = 1) => ({ name, createdAt: at, updatedAt: at });

export const job = (eventId: string, extra: Partial<NewDeliveryJob> = {}): NewDeliveryJob => ({
  bus: 'default',
  rule: 'r',
  targetId: 't1',
  target: '{"Id":"t1","Arn":"arn:aws:lambda:us-east-1:000000000000:function:f"}',
  eventId,
  event: JSON.stringify({ id: eventId }),
  eventTime: 1000,
  nextAt: 1000,
  ...extra,
});

const letter = (eventId: string, extra: Partial<DeadLetter> = {}): DeadLetter => ({
  bus: 'default',
  rule: 'r',
  targetId: 't1',
  targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  eventId,
  event: JSON.stringify({ id: eventId }),
  errorCode: 'Throttling',
  errorMessage: 'slow down',
  exhaustedRetryCondition: 'MaximumRetryAttempts',
  retryAttempts: 3,
  at: 5000,
  target: '{"Id":"t1","Arn":"arn:aws:lambda:us-east-1:000000000000:function:f"}',
  eventTime: 1000,
  ...extra,
});

const attempt = (eventId: string, n: number, outcome: AttemptRecord['outcome'], extra: Partial<AttemptRecord> = {}): AttemptRecord => ({
  eventId,
  bus: 'default',
  rule: 'r',
  targetId: 't1',
  attempt: n,
  at: 1000 + n,
  outcome,
  ...extra,
});

export function describeBusStoreContract(adapterName: string, open: () => Promise<BusStoreFixture>, options: { readonly skip?: SkipReason } = {}): void {
  const skip = options.skip ?? false;
  const test = contractTest(skip);
  describe(`BusStore contract: ${adapterName}`, () => {
    describe('buses', () => {
      test('the default bus exists from the first open and cannot be deleted', () =>
        using(open, async ({ store }) => {
          assert.equal((await store.getBus('default'))?.name, 'default');
          await store.deleteBus('default');
          assert.ok(await store.getBus('default'));
        }));

      test('a bus is created once; a second create answers exists and changes nothing', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.createBus({ ...bus('b', 1), description: 'first' }, 100), 'created');
          assert.equal(await store.createBus({ ...bus('b', 2), description: 'second' }, 100), 'exists');
          assert.deepEqual(await store.getBus('b'), { name: 'b', description: 'first', createdAt: 1, updatedAt: 1 });
        }));

      test('an absent bus reads as undefined and a bus without description has none', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.getBus('nope'), undefined);
          await store.createBus(bus('plain', 7), 100);
          assert.deepEqual(await store.getBus('plain'), { name: 'plain', createdAt: 7, updatedAt: 7 });
        }));

      test('the bus quota counts the default bus', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.createBus(bus('x'), 1), 'limit');
          assert.equal(await store.createBus(bus('x'), 2), 'created');
          assert.equal(await store.createBus(bus('y'), 2), 'limit');
        }));

      test('concurrent CreateEventBus calls cannot exceed the bus quota', () =>
        using(open, async ({ store }) => {
          const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.createBus(bus(`c${i}`), 5)));
          assert.equal(outcomes.filter((o) => o === 'created').length, 4);
          assert.equal(outcomes.filter((o) => o === 'limit').length, 8);
          assert.equal((await store.listBuses({ limit: 100 })).length, 5);
        }));

      test('buses are listed in name order by prefix (no LIKE wildcards) and after a name', () =>
        using(open, async ({ store }) => {
          for (const name of ['b_1', 'b_2', 'bx', 'B', 'c', 'b%']) await store.createBus(bus(name), 100);
          assert.deepEqual((await store.listBuses({ limit: 100 })).map((b) => b.name), ['B', 'b%', 'b_1', 'b_2', 'bx', 'c', 'default']);
          assert.deepEqual((await store.listBuses({ prefix: 'b_', limit: 100 })).map((b) => b.name), ['b_1', 'b_2']);
          assert.deepEqual((await store.listBuses({ prefix: 'b%', limit: 100 })).map((b) => b.name), ['b%']);
          assert.deepEqual((await store.listBuses({ after: 'b_2', limit: 100 })).map((b) => b.name), ['bx', 'c', 'default']);
          assert.deepEqual((await store.listBuses({ prefix: 'b', after: 'b%', limit: 2 })).map((b) => b.name), ['b_1', 'b_2']);
        }));

      test('bus listings paginate by name without gaps or repeats', () =>
        using(open, async ({ store }) => {
          for (let i = 0; i < 7; i++) await store.createBus(bus(`p${i}`), 100);
          const seen: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await store.listBuses({ prefix: 'p', limit: 3, ...(after !== undefined ? { after } : {}) });
            seen.push(...page.map((b) => b.name));
            if (page.length < 3) break;
            after = page[page.length - 1]?.name;
          }
          assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
        }));

      test('deleting a bus deletes its rules and their targets; deleting an absent bus is a no-op', () =>
        using(open, async ({ store }) => {
          await store.createBus(bus('b'), 100);
          await store.putRule(rule('b', 'r'), 300);
          await store.putTargets('b', 'r', [{ id: 't', config: '{}' }], 5);
          await store.deleteBus('b');
          await store.deleteBus('never-was');
          assert.equal(await store.getBus('b'), undefined);
          await store.createBus(bus('b', 2), 100);
          assert.equal(await store.getRule('b', 'r'), undefined);
          assert.equal(await store.listTargets('b', 'r'), undefined);
          await store.putRule(rule('b', 'r'), 300);
          assert.deepEqual(await store.listTargets('b', 'r'), [], 'no target came back with the recreated rule');
        }));
    });

    describe('rules', () => {
      test('a rule is only created on a bus that exists', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.putRule(rule('nope', 'r'), 300), 'no-bus');
          assert.equal(await store.getRule('nope', 'r'), undefined);
          assert.equal(await store.putRule(rule('default', 'r'), 300), 'created');
        }));

      test('a replaced rule keeps its creation time and its targets', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.putRule(rule('default', 'r', { description: 'd', roleArn: 'arn:role' }), 300), 'created');
          await store.putTargets('default', 'r', [{ id: 't', config: '{"Id":"t"}' }], 5);
          assert.equal(await store.putRule(rule('default', 'r', { createdAt: 99, updatedAt: 50, state: 'DISABLED', eventPattern: '{"source":["b"]}' }), 300), 'updated');
          assert.deepEqual(await store.getRule('default', 'r'), { bus: 'default', name: 'r', eventPattern: '{"source":["b"]}', state: 'DISABLED', createdAt: 1, updatedAt: 50 });
          assert.deepEqual(await store.listTargets('default', 'r'), [{ id: 't', config: '{"Id":"t"}' }]);
        }));

      test('a rule stores its pattern text exactly and its optional fields only when given', () =>
        using(open, async ({ store }) => {
          const pattern = '{ "source" : [ "a" ],\n "detail": {"n": [{"numeric": [">", 1]}]} }';
          await store.putRule({ bus: 'default', name: 'p', eventPattern: pattern, state: 'ENABLED', createdAt: 1, updatedAt: 1 }, 300);
          await store.putRule({ bus: 'default', name: 's', scheduleExpression: 'rate(5 minutes)', state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', description: 'every 5', roleArn: 'arn:r', createdAt: 2, updatedAt: 3 }, 300);
          assert.deepEqual(await store.getRule('default', 'p'), { bus: 'default', name: 'p', eventPattern: pattern, state: 'ENABLED', createdAt: 1, updatedAt: 1 });
          assert.deepEqual(await store.getRule('default', 's'), { bus: 'default', name: 's', scheduleExpression: 'rate(5 minutes)', state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', description: 'every 5', roleArn: 'arn:r', createdAt: 2, updatedAt: 3 });
        }));

      test('a bus with maxRules other rules refuses a new one but still replaces an existing one', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.putRule(rule('default', 'a'), 2), 'created');
          assert.equal(await store.putRule(rule('default', 'b'), 2), 'created');
          assert.equal(await store.putRule(rule('default', 'c'), 2), 'limit');
          assert.equal(await store.putRule(rule('default', 'a', { state: 'DISABLED' }), 2), 'updated');
          await store.createBus(bus('other'), 100);
          assert.equal(await store.putRule(rule('other', 'c'), 2), 'created', 'the quota is per bus');
        }));

      test('concurrent PutRule calls cannot exceed the per-bus rule quota', () =>
        using(open, async ({ store }) => {
          const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putRule(rule('default', `r${i}`), 5)));
          assert.equal(outcomes.filter((o) => o === 'created').length, 5);
          assert.equal(outcomes.filter((o) => o === 'limit').length, 15);
          assert.equal((await store.listRules('default', { limit: 100 })).length, 5);
        }));

      test('a rule with targets is not deleted; without, it is; an absent one answers absent', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          await store.putTargets('default', 'r', [{ id: 't', config: '{}' }], 5);
          assert.equal(await store.deleteRule('default', 'r'), 'has-targets');
          assert.ok(await store.getRule('default', 'r'));
          assert.equal(await store.removeTargets('default', 'r', ['t']), true);
          assert.equal(await store.deleteRule('default', 'r'), 'deleted');
          assert.equal(await store.deleteRule('default', 'r'), 'absent');
          assert.equal(await store.getRule('default', 'r'), undefined);
        }));

      test('setting a rule state updates state and updatedAt, and answers false for an absent rule', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          assert.equal(await store.setRuleState('default', 'r', 'DISABLED', 77), true);
          const stored = await store.getRule('default', 'r');
          assert.equal(stored?.state, 'DISABLED');
          assert.equal(stored?.updatedAt, 77);
          assert.equal(stored?.createdAt, 1);
          assert.equal(await store.setRuleState('default', 'nope', 'ENABLED', 78), false);
          assert.equal(await store.setRuleState('nobus', 'r', 'ENABLED', 78), false);
        }));

      test('rules are listed in name order by prefix (no LIKE wildcards) and after a name, per bus', () =>
        using(open, async ({ store }) => {
          for (const name of ['a_1', 'a_2', 'ab', 'b', 'A', 'a%']) await store.putRule(rule('default', name), 300);
          await store.createBus(bus('other'), 100);
          await store.putRule(rule('other', 'a_3'), 300);
          assert.deepEqual((await store.listRules('default', { limit: 10 })).map((r) => r.name), ['A', 'a%', 'a_1', 'a_2', 'ab', 'b']);
          assert.deepEqual((await store.listRules('default', { prefix: 'a_', limit: 10 })).map((r) => r.name), ['a_1', 'a_2']);
          assert.deepEqual((await store.listRules('default', { after: 'a_2', limit: 10 })).map((r) => r.name), ['ab', 'b']);
          assert.deepEqual((await store.listRules('default', { prefix: 'a', after: 'a%', limit: 1 })).map((r) => r.name), ['a_1']);
          assert.deepEqual(await store.listRules('nobus', { limit: 10 }), []);
        }));
    });

    describe('targets', () => {
      test('targets land only on a rule that exists', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.putTargets('default', 'nope', [{ id: 't', config: '{}' }], 5), 'no-rule');
          assert.equal(await store.listTargets('default', 'nope'), undefined);
          assert.equal(await store.removeTargets('default', 'nope', ['t']), false);
        }));

      test('targets are listed in id order and replaced by id', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          assert.equal(await store.putTargets('default', 'r', [{ id: 'b', config: '{"v":1}' }, { id: 'a', config: '{"v":1}' }, { id: 'B', config: '{}' }], 5), 'ok');
          assert.equal(await store.putTargets('default', 'r', [{ id: 'b', config: '{"v":2}' }], 5), 'ok');
          assert.deepEqual(await store.listTargets('default', 'r'), [{ id: 'B', config: '{}' }, { id: 'a', config: '{"v":1}' }, { id: 'b', config: '{"v":2}' }]);
        }));

      test('a rule would-be over maxTargets refuses the whole call; replacing ids does not count as new', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          assert.equal(await store.putTargets('default', 'r', [{ id: 'a', config: '{}' }, { id: 'b', config: '{}' }], 2), 'ok');
          assert.equal(await store.putTargets('default', 'r', [{ id: 'a', config: '{"new":1}' }, { id: 'c', config: '{}' }], 2), 'limit');
          assert.deepEqual((await store.listTargets('default', 'r'))?.map((t) => [t.id, t.config]), [['a', '{}'], ['b', '{}']], 'nothing of a refused call lands');
          assert.equal(await store.putTargets('default', 'r', [{ id: 'a', config: '{"new":1}' }, { id: 'b', config: '{"new":2}' }], 2), 'ok');
        }));

      test('concurrent PutTargets cannot exceed the per-rule target quota', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => store.putTargets('default', 'r', [{ id, config: '{}' }], 3)));
          assert.equal(outcomes.filter((o) => o === 'ok').length, 3);
          assert.equal((await store.listTargets('default', 'r'))?.length, 3);
        }));

      test('removing targets ignores unknown ids', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          await store.putTargets('default', 'r', [{ id: 'a', config: '{}' }, { id: 'b', config: '{}' }], 5);
          assert.equal(await store.removeTargets('default', 'r', ['a', 'zz']), true);
          assert.deepEqual((await store.listTargets('default', 'r'))?.map((t) => t.id), ['b']);
          assert.equal(await store.removeTargets('default', 'r', []), true);
        }));

      test('a concurrent DeleteRule and PutTargets never leave targets on a deleted rule', () =>
        using(open, async ({ store }) => {
          for (let i = 0; i < 10; i++) {
            await store.putRule(rule('default', `race${i}`), 300);
            const [deleted, put] = await Promise.all([store.deleteRule('default', `race${i}`), store.putTargets('default', `race${i}`, [{ id: 't', config: '{}' }], 5)]);
            const targets = await store.listTargets('default', `race${i}`);
            if (deleted === 'deleted') {
              assert.equal(put, 'no-rule');
              assert.equal(targets, undefined);
            } else {
              assert.equal(deleted, 'has-targets');
              assert.equal(put, 'ok');
              assert.deepEqual(targets?.map((t) => t.id), ['t']);
            }
          }
        }));

      test('every configuration write moves configVersion', () =>
        using(open, async ({ store }) => {
          const moves = async (write: () => Promise<unknown>): Promise<void> => {
            const before = store.configVersion();
            await write();
            assert.ok(store.configVersion() > before);
          };
          await moves(() => store.createBus(bus('nb'), 100));
          await moves(() => store.putRule(rule('nb', 'r'), 300));
          await moves(() => store.setRuleState('nb', 'r', 'DISABLED', 2));
          await moves(() => store.putTargets('nb', 'r', [{ id: 't', config: '{}' }], 5));
          await moves(() => store.removeTargets('nb', 'r', ['t']));
          await moves(() => store.deleteRule('nb', 'r'));
          await moves(() => store.deleteBus('nb'));
        }));
    });

    describe('delivery state', () => {
      test('a bus cursor starts at 0 and moves with the jobs it records, in one write', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.getCursor('default'), 0);
          const jobs = await store.enqueueDeliveries('default', 3, [job('e1'), job('e2', { targetId: 't2' })]);
          assert.equal(await store.getCursor('default'), 3);
          assert.deepEqual(jobs.map((j) => [j.eventId, j.targetId, j.attempts]), [['e1', 't1', 0], ['e2', 't2', 0]]);
          assert.ok((jobs[0]?.id ?? 0) < (jobs[1]?.id ?? 0), 'ids grow in job order');
          assert.deepEqual(await store.pendingDeliveries(), jobs);
          assert.equal(await store.getCursor('other'), 0, 'cursors are per bus');
        }));

      test('a cursor never moves back', () =>
        using(open, async ({ store }) => {
          await store.enqueueDeliveries('default', 10, []);
          await store.enqueueDeliveries('default', 4, [job('late')]);
          assert.equal(await store.getCursor('default'), 10);
          assert.equal((await store.pendingDeliveries()).length, 1, 'the jobs are still recorded');
        }));

      test('a planned enqueue sees the cursor of its own transaction and writes nothing when it declines', () =>
        using(open, async ({ store }) => {
          await store.enqueueDeliveries('default', 5, []);
          let seen: number | undefined;
          assert.equal(await store.enqueuePlanned('default', (cursor) => ((seen = cursor), undefined)), undefined);
          assert.equal(seen, 5);
          assert.equal(await store.getCursor('default'), 5);
          const jobs = await store.enqueuePlanned('default', (cursor) => ({ through: cursor + 2, jobs: [job('p1'), job('p2')] }));
          assert.deepEqual(jobs?.map((j) => j.eventId), ['p1', 'p2']);
          assert.equal(await store.getCursor('default'), 7);
        }));

      test('concurrent planned enqueues each see the cursor the previous one moved: no event planned twice', () =>
        using(open, async ({ store }) => {
          const seen: number[] = [];
          await Promise.all(
            Array.from({ length: 10 }, () =>
              store.enqueuePlanned('default', (cursor) => {
                seen.push(cursor);
                return { through: cursor + 1, jobs: [job(`event-${cursor + 1}`)] };
              }),
            ),
          );
          assert.deepEqual([...seen].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
          assert.equal(await store.getCursor('default'), 10);
          const ids = (await store.pendingDeliveries()).map((j) => j.eventId);
          assert.equal(new Set(ids).size, 10);
        }));

      test('pending jobs are listed oldest first with what they were recorded with', () =>
        using(open, async ({ store }) => {
          const [a] = await store.enqueueDeliveries('default', 1, [job('a', { nextAt: 9000, eventTime: 8000, target: '{"x":1}' })]);
          const [b] = await store.enqueueDeliveries('default', 2, [job('b', { nextAt: 1 })]);
          const pending = await store.pendingDeliveries();
          assert.deepEqual(pending.map((j) => j.eventId), ['a', 'b']);
          assert.deepEqual(pending[0], { ...job('a', { nextAt: 9000, eventTime: 8000, target: '{"x":1}' }), id: a?.id, attempts: 0 });
          assert.equal(pending[1]?.id, b?.id);
        }));

      test('a failed attempt counts and reschedules the job and is kept for trace', () =>
        using(open, async ({ store }) => {
          const [j] = await store.enqueueDeliveries('default', 1, [job('e')]);
          assert.ok(j);
          await store.recordAttempt(j.id, 1, 4242, attempt('e', 1, 'failed', { code: 'Timeout', message: 'slow' }));
          await store.recordAttempt(j.id, 2, 4343);
          const [pending] = await store.pendingDeliveries();
          assert.equal(pending?.attempts, 2);
          assert.equal(pending?.nextAt, 4343);
          assert.deepEqual(await store.listAttempts('e'), [attempt('e', 1, 'failed', { code: 'Timeout', message: 'slow' })]);
        }));

      test('a completed delivery removes its job with its attempt record', () =>
        using(open, async ({ store }) => {
          const [j, k] = await store.enqueueDeliveries('default', 1, [job('e'), job('f')]);
          assert.ok(j && k);
          await store.completeDelivery(j.id, attempt('e', 1, 'delivered'));
          assert.deepEqual((await store.pendingDeliveries()).map((x) => x.id), [k.id]);
          assert.deepEqual(await store.listAttempts('e'), [attempt('e', 1, 'delivered')]);
          await store.completeDelivery(j.id);
          assert.deepEqual((await store.pendingDeliveries()).map((x) => x.id), [k.id], 'completing twice is harmless');
        }));

      test('attempts of an event are listed in the order they were recorded, across targets', () =>
        using(open, async ({ store }) => {
          const [j, k] = await store.enqueueDeliveries('default', 1, [job('e'), job('e', { targetId: 't2' })]);
          assert.ok(j && k);
          await store.recordAttempt(j.id, 1, 2000, attempt('e', 1, 'failed'));
          await store.recordAttempt(k.id, 0, 2000, attempt('e', 0, 'deferred', { targetId: 't2' }));
          await store.completeDelivery(j.id, attempt('e', 2, 'delivered'));
          assert.deepEqual((await store.listAttempts('e')).map((a) => [a.targetId, a.attempt, a.outcome]), [['t1', 1, 'failed'], ['t2', 0, 'deferred'], ['t1', 2, 'delivered']]);
          assert.deepEqual(await store.listAttempts('unknown'), []);
        }));

      test('trimming attempts deletes those made before the cutoff, oldest first, at most limit at a time', () =>
        using(open, async ({ store }) => {
          const jobs = await store.enqueueDeliveries('default', 1, ['a', 'b', 'c', 'd', 'e'].map((id) => job(id)));
          // Made at 100, 200, 300, 400, 500.
          for (const [i, j] of jobs.entries()) await store.recordAttempt(j.id, 1, 9000, attempt(j.eventId, 1, 'failed', { at: 100 * (i + 1) }));
          assert.equal(await store.trimAttempts(350, 2), 2, 'the two oldest, both before the cutoff');
          assert.equal(await store.trimAttempts(350, 2), 1, 'then the one left before it: fewer than the limit');
          assert.equal(await store.trimAttempts(350, 2), 0);
          assert.deepEqual(await store.listAttempts('a'), []);
          assert.deepEqual(await store.listAttempts('c'), []);
          assert.equal((await store.listAttempts('d')).length, 1, 'made at the cutoff or after: kept');
          assert.equal((await store.listAttempts('e')).length, 1);
        }));

      test('a dead-lettered job is removed and its letter stored with every attribute', () =>
        using(open, async ({ store }) => {
          const [j] = await store.enqueueDeliveries('default', 1, [job('e')]);
          assert.ok(j);
          await store.deadLetter(j.id, letter('e'), attempt('e', 4, 'dead-lettered', { code: 'Throttling' }));
          assert.deepEqual(await store.pendingDeliveries(), []);
          const [stored] = await store.listDeadLetters('default');
          assert.ok(stored);
          assert.deepEqual(stored, { ...letter('e'), id: stored.id });
          assert.deepEqual(await store.getDeadLetter(stored.id), stored);
          assert.equal((await store.listAttempts('e'))[0]?.outcome, 'dead-lettered');
        }));

      test('a letter without retries, target or event time has none of them', () =>
        using(open, async ({ store }) => {
          const [j] = await store.enqueueDeliveries('default', 1, [job('e')]);
          assert.ok(j);
          const bare: DeadLetter = { bus: 'default', rule: 'r', targetId: 't1', targetArn: 'arn:x', eventId: 'e', event: '{}', errorCode: 'NO_RESOURCE', errorMessage: 'gone', retryAttempts: 0, at: 9 };
          await store.deadLetter(j.id, bare);
          const [stored] = await store.listDeadLetters('default');
          assert.deepEqual(stored, { ...bare, id: stored?.id });
          assert.equal(await store.getDeadLetter(-1), undefined);
        }));

      test('dead letters are listed per bus, oldest first, after an id, at most limit (default 100)', () =>
        using(open, async ({ store }) => {
          const jobs = await store.enqueueDeliveries('default', 1, Array.from({ length: 105 }, (_, i) => job(`e${i}`, { bus: i === 0 ? 'other' : 'default' })));
          for (const [i, j] of jobs.entries()) await store.deadLetter(j.id, letter(`e${i}`, { bus: i === 0 ? 'other' : 'default' }));
          const all = await store.listDeadLetters('default');
          assert.equal(all.length, 100);
          assert.deepEqual(all.slice(0, 2).map((l) => l.eventId), ['e1', 'e2']);
          assert.ok(all.every((l, i) => i === 0 || (all[i - 1]?.id ?? 0) < l.id));
          const rest = await store.listDeadLetters('default', { after: all[99]?.id ?? 0 });
          assert.deepEqual(rest.map((l) => l.eventId), ['e101', 'e102', 'e103', 'e104']);
          assert.deepEqual((await store.listDeadLetters('default', { limit: 2, after: all[0]?.id ?? 0 })).map((l) => l.eventId), ['e2', 'e3']);
          assert.deepEqual((await store.listDeadLetters('other')).map((l) => l.eventId), ['e0']);
        }));

      test('a redrive turns letters back into due jobs from attempt 0, their age counted from now, and removes them', () =>
        using(open, async ({ store }) => {
          const [j] = await store.enqueueDeliveries('default', 1, [job('e')]);
          assert.ok(j);
          await store.deadLetter(j.id, letter('e', { target: '{"Id":"t1","stored":true}' }));
          const [l] = await store.listDeadLetters('default');
          assert.ok(l);
          const result = await store.redriveDeadLetters([l.id, 999_999], 70_000);
          assert.deepEqual(result.unknown, [999_999]);
          assert.equal(result.jobs.length, 1);
          const redriven = result.jobs[0];
          assert.deepEqual({ ...redriven, id: 0 }, { ...job('e', { target: '{"Id":"t1","stored":true}', eventTime: 70_000, nextAt: 70_000 }), id: 0, attempts: 0 });
          assert.deepEqual(await store.listDeadLetters('default'), []);
          assert.deepEqual(await store.pendingDeliveries(), result.jobs);
          assert.deepEqual((await store.redriveDeadLetters([l.id], 80_000)).unknown, [l.id], 'a letter is redriven once');
        }));

      test('a letter stored without its target takes the rule\'s current target, and stays when that is gone', () =>
        using(open, async ({ store }) => {
          await store.putRule(rule('default', 'r'), 300);
          await store.putTargets('default', 'r', [{ id: 't1', config: '{"Id":"t1","current":true}' }], 5);
          const [a, b] = await store.enqueueDeliveries('default', 1, [job('a'), job('b', { targetId: 'gone' })]);
          assert.ok(a && b);
          const { target: _a, ...noTarget } = letter('a');
          const { target: _b, ...noTargetB } = letter('b', { targetId: 'gone' });
          await store.deadLetter(a.id, noTarget);
          await store.deadLetter(b.id, noTargetB);
          const [la, lb] = await store.listDeadLetters('default');
          assert.ok(la && lb);
          const result = await store.redriveDeadLetters([la.id, lb.id], 5);
          assert.deepEqual(result.jobs.map((j) => [j.eventId, j.target]), [['a', '{"Id":"t1","current":true}']]);
          assert.deepEqual(result.unknown, [lb.id]);
          assert.deepEqual((await store.listDeadLetters('default')).map((l) => l.id), [lb.id]);
        }));

      test('concurrent redrives of one letter make one job', () =>
        using(open, async ({ store }) => {
          const [j] = await store.enqueueDeliveries('default', 1, [job('e')]);
          assert.ok(j);
          await store.deadLetter(j.id, letter('e'));
          const [l] = await store.listDeadLetters('default');
          assert.ok(l);
          const results = await Promise.all(Array.from({ length: 5 }, () => store.redriveDeadLetters([l.id], 10)));
          assert.equal(results.reduce((n, r) => n + r.jobs.length, 0), 1);
          assert.equal(results.reduce((n, r) => n + r.unknown.length, 0), 4);
          assert.equal((await store.pendingDeliveries()).length, 1);
        }));

      test('deleting dead letters answers how many there were', () =>
        using(open, async ({ store }) => {
          const jobs = await store.enqueueDeliveries('default', 1, [job('a'), job('b'), job('c')]);
          for (const j of jobs) await store.deadLetter(j.id, letter(j.eventId));
          const letters = await store.listDeadLetters('default');
          assert.equal(await store.deleteDeadLetters([letters[0]?.id ?? 0, letters[1]?.id ?? 0, 424_242]), 2);
          assert.equal(await store.deleteDeadLetters([letters[0]?.id ?? 0]), 0);
          assert.equal(await store.deleteDeadLetters([]), 0);
          assert.deepEqual((await store.listDeadLetters('default')).map((l) => l.eventId), ['c']);
        }));

      test('delivery state survives a reopen', async () => {
        const f = await open();
        try {
          const [j] = await f.store.enqueueDeliveries('default', 9, [job('kept')]);
          assert.ok(j);
          await f.store.recordAttempt(j.id, 1, 1234, attempt('kept', 1, 'failed'));
          const again = await f.reopen();
          assert.equal(await again.getCursor('default'), 9);
          assert.deepEqual((await again.pendingDeliveries()).map((x) => [x.id, x.attempts, x.nextAt]), [[j.id, 1, 1234]]);
          assert.equal((await again.listAttempts('kept')).length, 1);
        } finally {
          await f.close();
        }
      });
    });
  });
}
