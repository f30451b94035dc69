/**
 * The retention schedule (src/server/retention.ts) over real SQLite stores on a virtual clock: a
 * run soon after start and then every interval, each trimming bus events older than the event
 * retention (src/bus/retention/, its rules: test/bus/retention.test.ts) and deleting workflow
 * executions ended longer ago than the execution retention; `Infinity` keeps one kind forever;
 * after `stop` nothing runs.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createRetention } from '../../src/server/retention.ts';
import { busMigrations, createSqliteBusStore, createSqliteEventLog, createSqliteWorkflowStore, eventLogMigrations, openDatabase, workflowMigrations, writeBatcherFor, type BusStore, type EventLog, type SqliteDb, type WorkflowStore } from '../../src/storage/index.ts';
import { execution, firstStep, step } from '../storage/contract/workflow-store-contract.ts';

const STREAM = 'bus:default';
let dir: string;
let db: SqliteDb;
let clock: VirtualClock;
let bus: BusStore;
let log: EventLog;
let workflows: WorkflowStore;
let n = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-retention-'));
  db = openDatabase({ path: join(dir, 'switchboard.db') }, [eventLogMigrations, busMigrations, workflowMigrations]);
  clock = new VirtualClock();
  bus = createSqliteBusStore(db);
  log = createSqliteEventLog(db);
  workflows = createSqliteWorkflowStore(db);
});
afterEach(async () => {
  await writeBatcherFor(db).close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One dispatched bus event and one execution that ended, both now. */
async function someOfEach(): Promise<{ event: string; arn: string }> {
  const event = `e${++n}`;
  const [offset] = await log.append(STREAM, [{ id: event, time: clock.now(), payload: '{}' }]);
  await bus.enqueueDeliveries('default', offset ?? 0, []);
  const e = execution('m', `x${n}`, { startedAt: clock.now() });
  await workflows.createExecution(e, firstStep(e));
  await workflows.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', output: '{}', stoppedAt: clock.now() }));
  return { event, arn: e.arn };
}

const kept = async (x: { event: string; arn: string }): Promise<[boolean, boolean]> => [(await log.find(STREAM, x.event)) !== undefined, (await workflows.getExecution(x.arn)) !== undefined];

test('runs soon after start, then every interval; stop ends it', async () => {
  const r = createRetention({ busStore: bus, eventLog: log, workflowStore: workflows, clock, logger: silentLogger, eventRetentionMs: 10_000, executionRetentionMs: 30_000, firstRunMs: 1000, intervalMs: 20_000 });
  const first = await someOfEach();
  r.start();
  await clock.advance(1000);
  assert.deepEqual(await kept(first), [true, true], 'the first run: both are 1 s old');
  await clock.advance(20_000);
  assert.deepEqual(await kept(first), [false, true], '21 s: the event is past its 10 s, the execution not past its 30 s');
  await clock.advance(20_000);
  assert.deepEqual(await kept(first), [false, false], '41 s: both gone');
  await r.stop();
  const second = await someOfEach();
  await clock.advance(200_000);
  assert.deepEqual(await kept(second), [true, true], 'stopped: no more runs');
});

test('Infinity keeps a kind forever', async () => {
  const old = await someOfEach();
  await clock.advance(400 * 86_400_000);
  const events = createRetention({ busStore: bus, eventLog: log, workflowStore: workflows, clock, logger: silentLogger, eventRetentionMs: Number.POSITIVE_INFINITY });
  assert.deepEqual(await events.runOnce(), { trimmed: {}, attemptsDeleted: 0, executionsDeleted: 1 }, 'the default execution retention (90 days) still applies');
  assert.deepEqual(await kept(old), [true, false]);
  await events.stop();
  const next = await someOfEach();
  await clock.advance(400 * 86_400_000);
  const executions = createRetention({ busStore: bus, eventLog: log, workflowStore: workflows, clock, logger: silentLogger, executionRetentionMs: Number.POSITIVE_INFINITY });
  assert.deepEqual(await executions.runOnce(), { trimmed: { default: 2 }, attemptsDeleted: 0, executionsDeleted: 0 });
  assert.deepEqual(await kept(next), [false, true]);
  await executions.stop();
});
