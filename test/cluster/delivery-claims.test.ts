/**
 * Bus delivery across nodes: two delivery services on two PostgreSQL bus stores (owners n1 and
 * n2, one schema) over one shared event log (a SQLite file: the log is not what is tested here),
 * each with `claims` on its store's `claimDueDeliveries`.
 * - A node that dispatched a job and died with the attempt in flight (its target never answers,
 *   its clock stops) loses the job to the other node once the lease ran out; the job is delivered
 *   once by the survivor, and not before the lease.
 * - A live node's jobs (in flight or waiting for a retry) are never taken by the other node.
 * - A cleanly stopped node hands its jobs back: the other node runs them when due, long before
 *   their leases would have run out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger, systemClock, VirtualClock, type Clock } from '../../src/core/index.ts';
import { createDeliveryService, type DeliveryService, type InvokeOutcome, type TargetInvoker } from '../../src/bus/delivery/index.ts';
import { type DeliveryJob, type EventLog, type PostgresBusStore, type PostgresHandle } from '../../src/storage/index.ts';
import { createPostgresBusStore } from '../../src/storage/cluster.ts';
import { APPSYNC_TARGET, orderRule } from '../bus/delivery-support.ts';
import { logAndSchema, skip, sleep, until, type Schema } from './duty-support.ts';

const LEASE_MS = 800;
const CLAIM_MS = 50;

interface Node {
  readonly name: string;
  readonly store: PostgresBusStore;
  readonly service: DeliveryService;
}

function startNode(name: string, handle: PostgresHandle, log: EventLog, invoke: TargetInvoker, clock: Clock = systemClock, leaseMs = LEASE_MS): Node {
  const store = createPostgresBusStore(handle, { owner: { node: name, leaseMs } });
  const service = createDeliveryService({
    store,
    eventLog: log,
    clock,
    logger: silentLogger,
    random: () => 0.5,
    invoke,
    // Dispatch only when poked: a poll of n2 would record the test's events itself (legitimately).
    pollMs: 600_000,
    claims: {
      claimDue: (now, limit) => store.claimDueDeliveries(name, now, leaseMs, limit),
      intervalMs: CLAIM_MS,
      release: async () => {
        await store.releaseDeliveries(name);
      },
    },
  });
  return { name, store, service };
}

let n = 0;
async function emit(log: EventLog, detailType: string): Promise<string> {
  const id = `event-${++n}-${Date.now()}`;
  const envelope = { version: '0', id, 'detail-type': detailType, source: 'order.api', account: '000000000000', time: new Date().toISOString(), region: 'us-east-1', resources: [], detail: {} };
  await log.append('bus:default', [{ id, time: Date.now(), payload: JSON.stringify(envelope) }]);
  return id;
}

async function setup(t: { after(fn: () => Promise<void>): void }): Promise<{ schema: Schema; log: EventLog; h1: PostgresHandle; h2: PostgresHandle }> {
  const { schema, log } = await logAndSchema(t);
  const [h1, h2] = [await schema.open(), await schema.open()];
  return { schema, log, h1, h2 };
}

test('a dead node\'s job in flight is claimed by the other node after the lease and delivered once', { skip }, async (t) => {
  const { log, h1, h2 } = await setup(t);
  const n1Calls: DeliveryJob[] = [];
  // n1 dies mid-attempt: its target never answers and its clock stands still (no retry, no poll).
  const frozenAt = Date.now();
  const n1 = startNode('n1', h1, log, (_target, _input, job) => {
    n1Calls.push(job);
    return new Promise<InvokeOutcome>(() => undefined);
  }, new VirtualClock(frozenAt));
  await orderRule(n1.store, APPSYNC_TARGET);
  await n1.service.start();
  const eventId = await emit(log, 'order.updated');
  n1.service.poke('default');
  await n1.service.settle();
  await until('n1 to attempt the job', () => n1Calls.length === 1);
  assert.equal(n1Calls[0]?.eventId, eventId);

  const n2Calls: { job: DeliveryJob; at: number }[] = [];
  const n2 = startNode('n2', h2, log, async (_target, _input, job) => {
    n2Calls.push({ job, at: Date.now() });
    return { ok: true };
  });
  t.after(() => n2.service.stop());
  await n2.service.start();
  await until('n2 to deliver the orphaned job', () => n2Calls.length === 1, 10_000);
  const took = n2Calls[0]!;
  assert.equal(took.job.eventId, eventId);
  assert.equal(took.job.id, n1Calls[0]?.id, 'the same stored job, not a second one');
  assert.ok(took.at - frozenAt >= LEASE_MS, `not before the lease ran out (after ${took.at - frozenAt} ms)`);
  await until('the job to be completed', async () => (await n2.store.pendingDeliveries()).length === 0);
  // Several claim periods later: still delivered exactly once.
  await sleep(LEASE_MS + 5 * CLAIM_MS);
  assert.equal(n2Calls.length, 1);
  const attempts = await n2.store.listAttempts(eventId);
  assert.deepEqual(attempts.map((a) => a.outcome), ['delivered']);
});

test('a live node\'s jobs, in flight or waiting for a retry, are never taken by the other node', { skip }, async (t) => {
  const { log, h1, h2 } = await setup(t);
  const n1Calls = new Map<string, number>();
  // n1 is alive: every job's first attempt fails (its retry waits about half a second, stored as
  // n1's), each attempt takes a quarter of the lease (within it, as a target must).
  const n1 = startNode('n1', h1, log, async (_target, _input, job) => {
    const calls = (n1Calls.get(job.eventId) ?? 0) + 1;
    n1Calls.set(job.eventId, calls);
    await sleep(LEASE_MS / 4);
    return calls === 1 ? { ok: false, code: 'THROTTLED', message: 'try later', retryable: true } : { ok: true };
  });
  const n2Calls: DeliveryJob[] = [];
  const n2 = startNode('n2', h2, log, async (_target, _input, job) => {
    n2Calls.push(job);
    return { ok: true };
  });
  t.after(async () => {
    await n1.service.stop();
    await n2.service.stop();
  });
  await orderRule(n1.store, APPSYNC_TARGET);
  await n1.service.start();
  await n2.service.start();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push(await emit(log, 'order.updated'));
    n1.service.poke('default');
    await n1.service.settle();
  }
  await until('n1 to deliver every job on its retry', async () => ids.every((id) => n1Calls.get(id) === 2) && (await n1.store.pendingDeliveries()).length === 0, 15_000);
  assert.deepEqual(n2Calls, [], 'n2 took none of the live node\'s jobs');
});

test('a cleanly stopped node hands its jobs back: the other node delivers them when due, not after the lease', { skip }, async (t) => {
  const { log, h1, h2 } = await setup(t);
  const LONG_LEASE_MS = 60_000;
  // n1 holds its jobs for a minute: every first attempt fails, and the retry (about half a second
  // later) would be n1's until the lease ran out. n1 stops before any retry.
  const n1Calls: DeliveryJob[] = [];
  const n1 = startNode('n1', h1, log, async (_target, _input, job) => {
    n1Calls.push(job);
    return { ok: false, code: 'THROTTLED', message: 'try later', retryable: true };
  }, systemClock, LONG_LEASE_MS);
  const n2Calls: DeliveryJob[] = [];
  const n2 = startNode('n2', h2, log, async (_target, _input, job) => {
    n2Calls.push(job);
    return { ok: true };
  }, systemClock, LONG_LEASE_MS);
  t.after(() => n2.service.stop());
  await orderRule(n1.store, APPSYNC_TARGET);
  await n1.service.start();
  await n2.service.start();
  const ids = [await emit(log, 'order.updated'), await emit(log, 'order.updated')];
  n1.service.poke('default');
  await n1.service.settle();
  await until('n1 to attempt both jobs once', () => n1Calls.length === 2);
  const stoppedAt = Date.now();
  await n1.service.stop();
  await until('n2 to deliver both jobs', () => n2Calls.length === 2, 15_000);
  const took = Date.now() - stoppedAt;
  assert.ok(took < LONG_LEASE_MS / 4, `taken over in ${took} ms, not after the ${LONG_LEASE_MS} ms lease`);
  assert.deepEqual(n2Calls.map((j) => j.eventId).sort(), [...ids].sort());
  assert.deepEqual(n2Calls.map((j) => j.attempts), [1, 1], 'the same stored jobs, with n1\'s attempt counted');
  await until('both jobs to be completed', async () => (await n2.store.pendingDeliveries()).length === 0);
  for (const id of ids) assert.deepEqual((await n2.store.listAttempts(id)).map((a) => a.outcome), ['failed', 'delivered']);
});
