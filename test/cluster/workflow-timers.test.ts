/**
 * The durable workflow engine across nodes, on PostgreSQL workflow stores (one schema, one store
 * and engine per node, each with `timerClaims` and `taskClaims`):
 * - a Wait timer stored by node 1, which is gone before it is due, fires on node 2 (whose own
 *   clock timer knows nothing of it: the claim poll finds it) and the execution finishes once;
 * - a task running on node 1 when node 1 dies is claimed by node 2 once node 1's lease ran out, and
 *   run there; the execution finishes once;
 * - a live node's running task is never taken over, however long it runs (the lease is the node's,
 *   renewed while it lives, not the task's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger, systemClock, VirtualClock, type Clock } from '../../src/core/index.ts';
import { type PostgresHandle, type PostgresWorkflowStore, type StoredStateMachine } from '../../src/storage/index.ts';
import { createPostgresWorkflowStore } from '../../src/storage/cluster.ts';
import { createWorkflowEngine, TaskFailure, type IntegrationPorts, type Json, type WorkflowEngine } from '../../src/workflows/index.ts';
import { pageOfBlocks } from '../../src/workflows/engine/history-page.ts';
import { freshSchema, skip, sleep, until } from './duty-support.ts';

const LEASE_MS = 600;
const POLL_MS = 50;
const scope = () => ({ region: 'us-east-1', accountId: '000000000000' });

const machine = (name: string, states: Record<string, unknown>, startAt: string): StoredStateMachine => ({
  name,
  definition: JSON.stringify({ StartAt: startAt, States: states }),
  roleArn: 'arn:aws:iam::000000000000:role/test',
  type: 'STANDARD',
  createdAt: 0,
  updatedAt: 0,
  revision: 1,
});

const waiter = machine('Waiter', { Hold: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Pass', Result: 'woke', End: true } }, 'Hold');
const worker = machine('Worker', { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', End: true } }, 'Work');

interface Node {
  readonly store: PostgresWorkflowStore;
  readonly engine: WorkflowEngine;
}

function startNode(name: string, handle: PostgresHandle, work: (payload: Json) => Promise<Json>, clock: Clock = systemClock): Node {
  const store = createPostgresWorkflowStore(handle, { owner: { node: name } });
  const ports: IntegrationPorts = {
    putEvents: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no bus here')),
    invokeFunction: (_name, payload) => work(payload),
    startExecution: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no children here')),
  };
  const engine = createWorkflowEngine({
    store,
    clock,
    logger: silentLogger,
    ports,
    scope,
    timerClaims: { claimDue: (until, limit) => store.claimDueTimers(name, until, 5_000, limit), pollMs: POLL_MS },
    taskClaims: {
      renew: (now, until) => store.renewTaskLease(now, until),
      claimOrphaned: (now, limit) => store.claimOrphanedTasks(now, limit),
      release: () => store.releaseTaskLease(),
      leaseMs: LEASE_MS,
      pollMs: POLL_MS,
    },
  });
  return { store, engine };
}

const types = async (store: PostgresWorkflowStore, arn: string): Promise<string[]> =>
  pageOfBlocks(await store.history(arn, { limit: 1_000 }), { limit: 1_000 }).map((e) => e.type);

const nothing = (): Promise<Json> => Promise.reject(new Error('no work expected here'));

test('a Wait timer stored by a node that is gone fires on another node, and the execution finishes once', { skip }, async (t) => {
  const schema = await freshSchema();
  t.after(() => schema.drop());
  const n1 = startNode('n1', await schema.open(), nothing);
  await n1.engine.start();
  await n1.store.createStateMachine(waiter);
  const started = await n1.engine.startExecution(waiter, { name: 'wait-1', input: '{}' });
  assert.equal(started.outcome, 'created');
  // Node 1 goes away before the timer is due: its armed clock timer goes with it.
  await n1.engine.stop();

  const n2 = startNode('n2', await schema.open(), nothing);
  t.after(() => n2.engine.stop());
  await n2.engine.start();
  await until('the execution to finish on node 2', async () => (await n2.store.getExecution(started.arn))?.status !== 'RUNNING', 5_000);
  const done = await n2.store.getExecution(started.arn);
  assert.equal(done?.status, 'SUCCEEDED');
  assert.equal(done?.output, '"woke"');
  assert.ok(Date.now() - started.startedAt >= 1_000, 'not before the timer was due');
  const history = await types(n2.store, started.arn);
  assert.equal(history.filter((h) => h === 'WaitStateExited').length, 1);
  assert.equal(history.filter((h) => h === 'ExecutionSucceeded').length, 1);
  assert.deepEqual(await n2.store.dueTimers(Date.now() + 60_000, 10), []);
});

test('a timer due on two live nodes fires on one of them, once', { skip }, async (t) => {
  const schema = await freshSchema();
  t.after(() => schema.drop());
  const n1 = startNode('n1', await schema.open(), nothing);
  const n2 = startNode('n2', await schema.open(), nothing);
  t.after(async () => {
    await n1.engine.stop();
    await n2.engine.stop();
  });
  await Promise.all([n1.engine.start(), n2.engine.start()]);
  await n1.store.createStateMachine(waiter);
  const arns = [];
  for (let i = 0; i < 20; i++) arns.push((await (i % 2 === 0 ? n1 : n2).engine.startExecution(waiter, { name: `wait-${i}`, input: '{}' })).arn);
  await until('every execution to finish', async () => (await n1.store.runningExecutions()) === 0, 10_000);
  for (const arn of arns) {
    const history = await types(n1.store, arn);
    assert.equal(history.filter((h) => h === 'WaitStateExited').length, 1, arn);
    assert.equal((await n1.store.getExecution(arn))?.status, 'SUCCEEDED');
  }
});

test('a task of a dead node is taken over after its lease and run once more; the execution finishes once', { skip }, async (t) => {
  const schema = await freshSchema();
  t.after(() => schema.drop());
  const calls: string[] = [];
  // Node 1 dies inside the task: the function never answers and node 1's clock stands still, so
  // it renews its lease once (at start) and never again.
  const frozenAt = Date.now();
  const n1 = startNode('n1', await schema.open(), () => {
    calls.push('n1');
    return new Promise<Json>(() => undefined);
  }, new VirtualClock(frozenAt));
  await n1.engine.start();
  await n1.store.createStateMachine(worker);
  const started = await n1.engine.startExecution(worker, { name: 'work-1', input: '{"n":1}' });
  await until('node 1 to call the function', () => calls.length === 1);

  const n2 = startNode('n2', await schema.open(), async (payload) => {
    calls.push('n2');
    return { done: payload };
  });
  t.after(() => n2.engine.stop());
  await n2.engine.start();
  await until('the execution to finish on node 2', async () => (await n2.store.getExecution(started.arn))?.status !== 'RUNNING', 5_000);
  assert.ok(Date.now() - frozenAt >= LEASE_MS, 'not before node 1\'s lease ran out');
  const done = await n2.store.getExecution(started.arn);
  assert.equal(done?.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(done?.output ?? 'null'), { done: { n: 1 } });
  assert.deepEqual(calls, ['n1', 'n2'], 'run again once, on node 2');
  const history = await types(n2.store, started.arn);
  assert.equal(history.filter((h) => h === 'TaskSucceeded').length, 1);
  assert.equal(history.filter((h) => h === 'ExecutionSucceeded').length, 1);
});

test('a live node\'s task is not taken over, even when it runs for several leases', { skip }, async (t) => {
  const schema = await freshSchema();
  t.after(() => schema.drop());
  const calls: string[] = [];
  const n1 = startNode('n1', await schema.open(), async (payload) => {
    calls.push('n1');
    await sleep(3 * LEASE_MS);
    return { done: payload };
  });
  const n2 = startNode('n2', await schema.open(), async () => {
    calls.push('n2');
    return 'stolen';
  });
  t.after(async () => {
    await n1.engine.stop();
    await n2.engine.stop();
  });
  await n1.engine.start();
  await n2.engine.start();
  await n1.store.createStateMachine(worker);
  const started = await n1.engine.startExecution(worker, { name: 'long-1', input: '{"n":2}' });
  await until('the execution to finish', async () => (await n1.store.getExecution(started.arn))?.status !== 'RUNNING', 10_000);
  const done = await n1.store.getExecution(started.arn);
  assert.deepEqual(JSON.parse(done?.output ?? 'null'), { done: { n: 2 } });
  assert.deepEqual(calls, ['n1']);
});

test('a node joining does not run the tasks of live nodes; a node stopping cleanly hands its callback tasks over at once', { skip }, async (t) => {
  const schema = await freshSchema();
  t.after(() => schema.drop());
  const calls: string[] = [];
  const callback = machine('Callback', { Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'ask', 'Payload.$': '$$.Task.Token' }, End: true } }, 'Ask');
  const n1 = startNode('n1', await schema.open(), async () => {
    calls.push('n1');
    return {};
  });
  await n1.engine.start();
  await n1.store.createStateMachine(callback);
  const started = await n1.engine.startExecution(callback, { name: 'cb-1', input: '{}' });
  await until('node 1 to send the task', () => calls.length === 1);

  const n2 = startNode('n2', await schema.open(), async () => {
    calls.push('n2');
    return {};
  });
  t.after(() => n2.engine.stop());
  await n2.engine.start();
  await sleep(2 * LEASE_MS);
  assert.deepEqual(calls, ['n1'], 'the joining node left the live node\'s task alone');
  // A clean stop releases node 1's lease: node 2 sends the callback task again on its next poll.
  await n1.engine.stop();
  await until('node 2 to take the task over', () => calls.length === 2, LEASE_MS);
  assert.deepEqual(calls, ['n1', 'n2']);
  const [task] = await n2.store.pendingTasks();
  assert.ok(task?.token !== undefined);
  assert.equal(await n2.engine.sendTaskResult(task.token, { output: { ok: true } }), true);
  await until('the execution to finish', async () => (await n2.store.getExecution(started.arn))?.status === 'SUCCEEDED');
});
