/**
 * Express executions run in memory with the semantics of Standard ones: the same machine run both
 * ways on one virtual clock gives the same output and the same history (kept for Express
 * executions with `expressHistory`), and nothing of the Express run reaches the store. Through
 * the SDK: StartSyncExecution answers the finished execution, a recent Express execution can be
 * described; as AWS, ListExecutions and GetExecutionHistory refuse Express ones.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type SqliteDb, type StoredExecution, type StoredStateMachine, type WorkflowStore } from '../../src/storage/index.ts';
import { createWorkflowEngine, TaskFailure, type Json, type WorkflowEngine } from '../../src/workflows/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

const fn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** Every kind of step the engines handle differently: tasks, a wait, a retry's backoff, branches, a map. */
const TWIN = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'Double' },
    Double: { Type: 'Task', Resource: fn('double'), Parameters: { 'n.$': '$.n' }, ResultPath: '$.doubled', Next: 'Big?' },
    'Big?': { Type: 'Choice', Choices: [{ Variable: '$.doubled', NumericGreaterThan: 10, Next: 'Pause' }], Default: 'Fan' },
    Pause: { Type: 'Wait', Seconds: 30, Next: 'Fan' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: fn('double'), Parameters: { 'n.$': '$.n' }, End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Pass', Result: 'right', End: true } } },
      ],
      ResultPath: '$.fan',
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemsPath: '$.fan',
      ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      ResultPath: '$.each',
      Next: 'Shaky',
    },
    Shaky: {
      Type: 'Task',
      Resource: fn('flaky'),
      Parameters: { 'attempt.$': '$$.State.RetryCount' },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 2 }],
      ResultPath: '$.shaky',
      End: true,
    },
  },
};

interface Harness {
  readonly engine: WorkflowEngine;
  readonly store: WorkflowStore;
  readonly clock: VirtualClock;
  readonly tokens: string[];
  machine(name: string, definition: object, type: 'STANDARD' | 'EXPRESS'): StoredStateMachine;
  /** Moves the virtual clock a second at a time until `done` settles. */
  drive<T>(done: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function harness(options: { readonly engineIds?: boolean } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'sb-express-'));
  const db: SqliteDb = openDatabase({ path: join(dir, 'switchboard.db') }, [workflowMigrations]);
  const store = createSqliteWorkflowStore(db);
  const clock = new VirtualClock();
  const tokens: string[] = [];
  const functions: Record<string, (payload: Record<string, Json>) => Json> = {
    double: (p) => Number(p['n']) * 2,
    flaky: (p) => {
      if (p['attempt'] === 0) throw new TaskFailure('Flaky.Boom', 'fails its first attempt');
      return 'ok';
    },
    capture: (p) => (tokens.push(String(p['token'])), null),
  };
  let n = 0;
  const engine = createWorkflowEngine({
    store,
    clock,
    logger: silentLogger,
    scope: () => ({ region: 'us-east-1', accountId: '000000000000' }),
    // The engine's own ids (`ExpressIds`) when asked: their keys are integers, an injected uuid()'s are strings.
    ...(options.engineIds === true ? {} : { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }),
    random: () => 0.5,
    // Kept here to compare them with the Standard ones (off by default, as AWS keeps none).
    expressHistory: true,
    ports: {
      invokeFunction: async (name, payload) => {
        const handler = functions[name];
        if (handler === undefined) throw new TaskFailure('Lambda.ResourceNotFoundException', name);
        return handler(payload as Record<string, Json>);
      },
      putEvents: () => Promise.reject(new Error('no bus')),
      startExecution: () => Promise.reject(new Error('no children')),
    },
  });
  return {
    engine,
    store,
    clock,
    tokens,
    machine: (name, definition, type) => ({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/test', type, createdAt: 0, updatedAt: 0, revision: 1 }),
    async drive(done) {
      let settled = false;
      void done.finally(() => (settled = true)).catch(() => undefined);
      for (let i = 0; i < 600 && !settled; i++) {
        await engine.settle();
        if (!settled) await clock.advance(1000);
      }
      return done;
    },
    async close() {
      await engine.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What must match between the two runs: each event's id, parent, type and details. */
async function historyShape(engine: WorkflowEngine, arn: string): Promise<unknown[]> {
  const events = await engine.history(arn, { limit: 1000 });
  return events.map((e) => ({ id: e.id, previousEventId: e.previousEventId, type: e.type, timestamp: e.timestamp, details: e.details }));
}

test('the same machine as STANDARD and as EXPRESS: same output, same history; the Express run leaves nothing in the store', async (t) => {
  const h = harness();
  t.after(() => h.close());
  for (const n of [3, 7]) {
    const input = JSON.stringify({ n });
    const [standard, express] = await h.drive(
      Promise.all([h.engine.startSyncExecution(h.machine('Twin', TWIN, 'STANDARD'), { name: `run-${n}`, input }), h.engine.startSyncExecution(h.machine('TwinExpress', TWIN, 'EXPRESS'), { name: `run-${n}`, input })]),
    );
    assert.equal(standard.status, 'SUCCEEDED', standard.cause);
    assert.equal(express.status, 'SUCCEEDED', express.cause);
    assert.deepEqual(JSON.parse(express.output ?? 'null'), JSON.parse(standard.output ?? 'null'));
    assert.deepEqual(JSON.parse(express.output ?? 'null'), { n, doubled: 2 * n, fan: [2 * n, 'right'], each: [2 * n, 'right'], shaky: 'ok' });
    assert.match(express.arn, /^arn:aws:states:us-east-1:000000000000:express:TwinExpress:run-\d:[0-9a-f-]+$/);
    const expressHistory = await historyShape(h.engine, express.arn);
    assert.equal(express.stoppedAt, standard.stoppedAt, 'both ended at the same virtual time');
    assert.deepEqual(expressHistory, await historyShape(h.engine, standard.arn));
    assert.ok(expressHistory.some((e) => (e as { type: string }).type === 'WaitStateEntered') === n > 5, 'the Choice sent only n > 5 through the Wait');
    assert.equal(await h.store.getExecution(express.arn), undefined, 'the Express execution is not in the store');
    assert.deepEqual(await h.store.history(express.arn, { limit: 10 }), []);
  }
  assert.deepEqual(await h.store.listExecutions({ machine: 'TwinExpress', limit: 10 }), []);
  assert.equal((await h.store.listExecutions({ machine: 'Twin', limit: 10 })).length, 2);
});

test('an EXPRESS callback task waits for SendTaskSuccess with its token; the token then is gone', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const machine = h.machine('Callback', { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: `${fn('capture')}.waitForTaskToken`, Parameters: { 'token.$': '$$.Task.Token' }, End: true } } }, 'EXPRESS');
  const started = await h.engine.startExecution(machine, { input: '{}' });
  await h.engine.settle();
  const token = h.tokens[0];
  assert.ok(token !== undefined, 'the task got its token');
  assert.equal((await h.engine.getExecution(started.arn))?.status, 'RUNNING');
  assert.equal(await h.engine.sendTaskResult(token, { output: { approved: true } }), true);
  const done: StoredExecution = await h.engine.awaitCompletion(started.arn);
  assert.equal(done.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(done.output ?? 'null'), { approved: true });
  assert.equal(await h.engine.sendTaskResult(token, { output: {} }), false);
});

test('EXPRESS names need not be unique; StopExecution aborts a waiting one; RedriveExecution refuses it', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const machine = h.machine('Sleepy', { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 60, End: true } } }, 'EXPRESS');
  const a = await h.engine.startExecution(machine, { name: 'same', input: '{}' });
  const b = await h.engine.startExecution(machine, { name: 'same', input: '{}' });
  assert.notEqual(a.arn, b.arn);
  assert.equal(b.outcome, 'created');
  assert.equal(await h.engine.stopExecution(a.arn, 'Stopped.ByTest', 'enough'), true);
  const stopped = await h.engine.awaitCompletion(a.arn);
  assert.equal(stopped.status, 'ABORTED');
  assert.equal(await h.engine.redriveExecution(a.arn), false);
  assert.equal((await h.drive(h.engine.awaitCompletion(b.arn))).status, 'SUCCEEDED');
  assert.equal(h.clock.pendingTimers, 0, 'no clock timer is left behind');
});

test('EXPRESS executions stay findable while running, whatever number started after them; the last 100 finished can be described, older ones not', async (t) => {
  const h = harness({ engineIds: true });
  t.after(() => h.close());
  const sleepy = h.machine('Sleepy', { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 60, End: true } } }, 'EXPRESS');
  const quick = h.machine('Quick', { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }, 'EXPRESS');
  const waiting = await h.engine.startExecution(sleepy, { input: '{}' });
  // More than the engine's table has slots (4,096): later executions land on the waiting one's slot.
  const finished: string[] = [];
  for (let i = 0; i < 4_200; i++) finished.push((await h.engine.startSyncExecution(quick, { input: JSON.stringify({ i }) })).arn);
  const alsoWaiting = await h.engine.startExecution(sleepy, { input: '{}' });
  assert.equal((await h.engine.getExecution(waiting.arn))?.status, 'RUNNING', 'the first one is still found');
  assert.equal((await h.engine.getExecution(alsoWaiting.arn))?.status, 'RUNNING');
  for (const arn of finished.slice(-100)) assert.equal((await h.engine.getExecution(arn))?.status, 'SUCCEEDED', arn);
  assert.equal(await h.engine.getExecution(finished.at(-101) as string), undefined, 'the 101st last finished one is forgotten');
  assert.equal(await h.engine.getExecution(finished[0] as string), undefined);
  assert.equal(await h.engine.stopExecution(waiting.arn, 'Stopped.ByTest', 'enough'), true);
  assert.equal((await h.engine.awaitCompletion(waiting.arn)).status, 'ABORTED');
  assert.equal((await h.drive(h.engine.awaitCompletion(alsoWaiting.arn))).status, 'SUCCEEDED');
  // A made-up id of this engine's shape names nothing.
  assert.equal(await h.engine.getExecution(`${waiting.arn.slice(0, -12)}ffffffffffff`), undefined);
});

describe('Express executions through the Step Functions API', () => {
  let server: TestServer;
  let sfn: SFNClient;
  before(async () => {
    server = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/targets'));
    // StartSyncExecution's endpoint has a host prefix (`sync-`) that a local server does not have.
    sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: server.accessKey, maxAttempts: 1, disableHostPrefix: true });
  });
  after(async () => {
    sfn.destroy();
    await server.close();
  });

  const definition = JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, End: true } } });
  const create = async (name: string, type: 'STANDARD' | 'EXPRESS'): Promise<string> =>
    (await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws:iam::000000000000:role/test', type }))).stateMachineArn ?? '';

  test('StartSyncExecution answers the finished execution; DescribeExecution sees it afterwards; as AWS, GetExecutionHistory does not', async () => {
    const machine = await create('GreeterExpress', 'EXPRESS');
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: machine, name: 'hi', input: JSON.stringify({ who: 'express' }) }));
    assert.equal(out.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(out.output ?? 'null'), { greeting: 'hello express' });
    assert.match(out.executionArn ?? '', /:express:GreeterExpress:hi:/);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: out.executionArn }));
    assert.equal(described.status, 'SUCCEEDED');
    assert.equal(described.output, out.output);
    await assert.rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn: out.executionArn })), { name: 'StateMachineTypeNotSupported' });
  });

  test('StartExecution of an EXPRESS machine answers an express ARN; the execution can be described', async () => {
    const machine = await create('GreeterAsync', 'EXPRESS');
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ who: 'async' }) }));
    assert.match(started.executionArn ?? '', /:express:GreeterAsync:[0-9a-f-]+:[0-9a-f-]+$/);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(described.status, 'SUCCEEDED');
  });

  test('as AWS: ListExecutions refuses an EXPRESS machine, StartSyncExecution a STANDARD one', async () => {
    const express = await create('ListMeNot', 'EXPRESS');
    await assert.rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: express })), { name: 'StateMachineTypeNotSupported' });
    const standard = await create('NotSync', 'STANDARD');
    await assert.rejects(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard, input: '{}' })), { name: 'StateMachineTypeNotSupported' });
  });
});
