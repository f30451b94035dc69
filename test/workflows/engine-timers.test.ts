/**
 * A waiting execution is a stored timer row, not a live JS timer: 10,000 executions parked on a
 * 1-hour Wait (durable engine, SQLite store in a temp folder, virtual clock) cost no CPU while
 * idle and hold one clock timer between them; moving the clock by an hour completes them all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type StoredStateMachine } from '../../src/storage/index.ts';
import { createWorkflowEngine, TaskFailure, type IntegrationPorts } from '../../src/workflows/index.ts';

const EXECUTIONS = 10_000;
const BATCH = 1_000;
const HOUR_MS = 3_600_000;

const noPorts: IntegrationPorts = {
  putEvents: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no bus here')),
  invokeFunction: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no functions here')),
  startExecution: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no child executions here')),
};

const machine: StoredStateMachine = {
  name: 'Sleeper',
  definition: JSON.stringify({
    StartAt: 'Hold',
    States: {
      Hold: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
      Done: { Type: 'Pass', Parameters: { 'n.$': '$.n', woke: true }, End: true },
    },
  }),
  roleArn: 'arn:aws:iam::000000000000:role/test',
  type: 'STANDARD',
  createdAt: 0,
  updatedAt: 0,
  revision: 1,
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** heapUsed after a full collection (the runner starts node without --expose-gc). */
function liveHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

test('10,000 executions on a 1-hour Wait use no CPU while idle; an hour later they all SUCCEEDED', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-engine-timers-'));
  const db = openDatabase({ path: join(dir, 'switchboard.db') }, [workflowMigrations]);
  const store = createSqliteWorkflowStore(db);
  const clock = new VirtualClock();
  const engine = createWorkflowEngine({ store, clock, logger: silentLogger, ports: noPorts, scope: () => ({ region: 'us-east-1', accountId: '000000000000' }) });
  t.after(async () => {
    await engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await engine.start();
  const heapBefore = liveHeap();

  const startedAt = performance.now();
  for (let from = 0; from < EXECUTIONS; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, EXECUTIONS - from) }, (_, i) => engine.startExecution(machine, { name: `sleeper-${from + i}`, input: JSON.stringify({ n: from + i }) }));
    for (const started of await Promise.all(batch)) assert.equal(started.outcome, 'created');
  }
  await engine.settle();
  const startMs = performance.now() - startedAt;
  assert.equal(await store.runningExecutions(), EXECUTIONS);
  assert.equal(clock.pendingTimers, 1, 'one clock timer serves every waiting execution');
  assert.equal(await store.nextTimerAt(), clock.now() + HOUR_MS);

  await sleep(100); // let the last commit's aftermath (GC, WAL) finish before measuring
  const cpuBefore = process.cpuUsage();
  await sleep(1000);
  const idle = process.cpuUsage(cpuBefore);
  const heapWaiting = liveHeap();
  const idleCpuMs = (idle.user + idle.system) / 1000;
  t.diagnostic(`started ${EXECUTIONS} executions in ${startMs.toFixed(0)} ms (${((EXECUTIONS / startMs) * 1000).toFixed(0)}/s, batches of ${BATCH})`);
  t.diagnostic(`idle for 1 s of real time with ${EXECUTIONS} executions waiting: ${idleCpuMs.toFixed(1)} ms of CPU (user ${(idle.user / 1000).toFixed(1)}, system ${(idle.system / 1000).toFixed(1)})`);
  t.diagnostic(`heapUsed ${mb(heapWaiting)} after a full GC while waiting: ${mb(heapWaiting - heapBefore)} more than before the starts (${((heapWaiting - heapBefore) / EXECUTIONS).toFixed(0)} bytes per waiting execution)`);
  assert.ok(idleCpuMs < 100, `an idle second cost ${idleCpuMs.toFixed(1)} ms of CPU`);

  const wokeAt = performance.now();
  await clock.advance(HOUR_MS);
  await engine.settle();
  const wakeMs = performance.now() - wokeAt;
  t.diagnostic(`an hour later: ${EXECUTIONS} executions woke and finished in ${wakeMs.toFixed(0)} ms`);
  assert.equal(await store.runningExecutions(), 0);
  const done = await store.listExecutions({ machine: machine.name, status: 'SUCCEEDED', limit: EXECUTIONS + 1 });
  assert.equal(done.length, EXECUTIONS, 'every execution SUCCEEDED');
  const sample = done.find((e) => e.name === 'sleeper-1234');
  assert.deepEqual(JSON.parse(sample?.output ?? 'null'), { n: 1234, woke: true });
  assert.equal(await store.nextTimerAt(), undefined, 'no timer is left');
});
