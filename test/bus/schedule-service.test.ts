/**
 * Schedule rules really fire: on a VirtualClock, with the real SQLite store, event log and
 * delivery service. A scheduled event is AWS's `Scheduled Event` envelope, reaches only its own
 * rule's targets, fires once per fire time across restarts and crashes.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createScheduleService, scheduledEventRecord, wakeOnAppend, type ScheduleService } from '../../src/bus/delivery/index.ts';
import type { DeliveryJob } from '../../src/storage/index.ts';
import { OK, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

const START = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const scope = { accountId: '000000000000', region: 'us-east-1' };

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

interface Running {
  readonly h: Harness;
  readonly schedules: ScheduleService;
  /** Every delivered (rule, event) with the virtual time of delivery. */
  readonly got: { rule: string; event: Record<string, unknown>; at: number }[];
  close(): Promise<void>;
}

async function start(clock: VirtualClock, got: Running['got'] = []): Promise<Running> {
  const h = await startHarness(dir, () => OK, clock, async (_target, _input, job: DeliveryJob) => {
    got.push({ rule: job.rule, event: JSON.parse(job.event) as Record<string, unknown>, at: clock.now() });
    return OK;
  });
  const schedules = createScheduleService({ store: h.store, eventLog: wakeOnAppend(h.log, (bus) => h.service.poke(bus)), clock, logger: silentLogger, scope: () => scope });
  await schedules.start();
  return {
    h,
    schedules,
    got,
    async close() {
      await schedules.stop();
      await h.close();
    },
  };
}

async function scheduleRule(r: Running, name: string, expression: string, createdAt: number, extra: { eventPattern?: string; state?: 'ENABLED' | 'DISABLED' } = {}): Promise<void> {
  await r.h.store.putRule({ bus: 'default', name, scheduleExpression: expression, state: extra.state ?? 'ENABLED', createdAt, updatedAt: createdAt, ...(extra.eventPattern !== undefined ? { eventPattern: extra.eventPattern } : {}) }, 300);
  await r.h.store.putTargets('default', name, [{ id: 't1', config: JSON.stringify({ Id: 't1', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:tick' }) }], 5);
  await r.schedules.refresh();
}

/** Moves the clock step by step (default a minute) so every timer and delivery in between settles. */
async function advance(r: Running, ms: number, step = MINUTE): Promise<void> {
  for (let left = ms; left > 0; left -= step) {
    await r.h.clock.advance(Math.min(step, left));
    await r.h.settle();
  }
}

test('rate(5 minutes) fires every 5 minutes counted from the rule, with the Scheduled Event envelope', async () => {
  const clock = new VirtualClock(START);
  const r = await start(clock);
  await scheduleRule(r, 'every5', 'rate(5 minutes)', START);
  await advance(r, 16 * MINUTE);
  assert.deepEqual(r.got.map((g) => g.at - START), [5 * MINUTE, 10 * MINUTE, 15 * MINUTE]);
  const first = r.got[0]?.event;
  assert.deepEqual(Object.keys(first ?? {}), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(first?.['detail-type'], 'Scheduled Event');
  assert.equal(first?.['source'], 'aws.events');
  assert.equal(first?.['time'], '2026-03-02T10:05:00Z');
  assert.deepEqual(first?.['resources'], ['arn:aws:events:us-east-1:000000000000:rule/every5']);
  assert.deepEqual(first?.['detail'], {});
  assert.equal(new Set(r.got.map((g) => g.event['id'])).size, 3, 'each firing is its own event');
  await r.close();
});

test('cron(0,30 12 * * ? *) fires at 12:00 and 12:30 UTC', async () => {
  const clock = new VirtualClock(START);
  const r = await start(clock);
  await scheduleRule(r, 'noon', 'cron(0,30 12 * * ? *)', START);
  await advance(r, 3 * 60 * MINUTE, 10 * MINUTE);
  assert.deepEqual(r.got.map((g) => g.event['time']), ['2026-03-02T12:00:00Z', '2026-03-02T12:30:00Z']);
  await r.close();
});

test('a scheduled event reaches only its own rule: a pattern rule for aws.events does not see it', async () => {
  const clock = new VirtualClock(START);
  const r = await start(clock);
  await r.h.store.putRule({ bus: 'default', name: 'all-aws-events', eventPattern: '{"source":["aws.events"]}', state: 'ENABLED', createdAt: START, updatedAt: START }, 300);
  await r.h.store.putTargets('default', 'all-aws-events', [{ id: 'p', config: JSON.stringify({ Id: 'p', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:p' }) }], 5);
  await scheduleRule(r, 'minutely', 'rate(1 minute)', START);
  await advance(r, 3 * MINUTE);
  assert.deepEqual(r.got.map((g) => g.rule), ['minutely', 'minutely', 'minutely']);
  await r.close();
});

test('a disabled schedule rule does not fire; enabling it makes it fire', async () => {
  const clock = new VirtualClock(START);
  const r = await start(clock);
  await scheduleRule(r, 'paused', 'rate(1 minute)', START, { state: 'DISABLED' });
  await advance(r, 3 * MINUTE);
  assert.equal(r.got.length, 0);
  await r.h.store.setRuleState('default', 'paused', 'ENABLED', clock.now());
  await r.schedules.refresh();
  await advance(r, 2 * MINUTE);
  assert.ok(r.got.length >= 1, 'fires once enabled');
  await r.close();
});

test('at(...) fires once, at its time', async () => {
  const clock = new VirtualClock(START);
  const r = await start(clock);
  await scheduleRule(r, 'once', 'at(2026-03-02T10:07:00)', START);
  await advance(r, 20 * MINUTE);
  assert.deepEqual(r.got.map((g) => g.event['time']), ['2026-03-02T10:07:00Z']);
  assert.deepEqual([...(await r.schedules.pending())], [], 'nothing left to fire');
  await r.close();
});

test('fire times missed while the server was down fire once after the restart, then the schedule goes on', async () => {
  const clock = new VirtualClock(START);
  const got: Running['got'] = [];
  const first = await start(clock, got);
  await scheduleRule(first, 'every5', 'rate(5 minutes)', START);
  await advance(first, 6 * MINUTE);
  assert.equal(got.length, 1);
  await first.close();

  await clock.advance(30 * MINUTE); // down from 10:06 to 10:36: 10:10 ... 10:35 are missed
  const second = await start(clock, got);
  await second.h.settle();
  assert.deepEqual(got.map((g) => g.event['time']), ['2026-03-02T10:05:00Z', '2026-03-02T10:10:00Z'], 'one late firing, for the first missed time');
  await advance(second, 5 * MINUTE);
  assert.deepEqual(got.map((g) => g.event['time']).slice(2), ['2026-03-02T10:40:00Z'], 'then on the rule\'s rhythm again');
  await second.close();
});

test('a crash after the scheduled event was appended but before the next time was stored does not fire it twice', async () => {
  const clock = new VirtualClock(START);
  const got: Running['got'] = [];
  const first = await start(clock, got);
  await scheduleRule(first, 'every5', 'rate(5 minutes)', START);
  await first.close();
  // What the crashed process had done at 10:05: the event is in the log, the next time is not stored.
  await clock.advance(5 * MINUTE);
  const reopened = await startHarness(dir, () => OK, clock);
  await reopened.service.stop();
  await reopened.log.append('bus:default', [scheduledEventRecord(scope, 'default', 'every5', START + 5 * MINUTE, clock.now())]);
  await reopened.close();

  const second = await start(clock, got);
  await second.h.settle();
  await advance(second, MINUTE);
  assert.deepEqual(got.map((g) => g.event['time']), ['2026-03-02T10:05:00Z'], 'delivered once');
  assert.deepEqual([...(await second.schedules.pending()).values()], [START + 10 * MINUTE]);
  await second.close();
});
