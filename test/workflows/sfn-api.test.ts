/**
 * The Step Functions API through `@aws-sdk/client-sfn` against a real server: create, update,
 * delete, start, describe, history, stop, the task-token callback (`.waitForTaskToken` on
 * EventBridge PutEvents, with SendTaskSuccess/Failure/Heartbeat and HeartbeatSeconds), a Lambda
 * task on the app's functions, child executions (no suffix, `.sync`, `.sync:2`), `http:invoke`
 * against a local HTTP server, and AWS's errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  RedriveExecutionCommand,
  UpdateStateMachineCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { createSqliteEventLog, eventLogMigrations, openDatabase } from '../../src/storage/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/targets');
const ROLE = 'arn:aws:iam::000000000000:role/test';
let t: TestServer;
let sfn: SFNClient;

async function create(name: string, definition: object, type?: 'EXPRESS'): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, ...(type ? { type } : {}) }));
  assert.ok(out.stateMachineArn);
  return out.stateMachineArn;
}

async function finished(executionArn: string, ms = 10_000): Promise<DescribeExecutionCommandOutput> {
  const until = Date.now() + ms;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > until) throw new Error(`${executionArn} still RUNNING`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function sdkError(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}

/** The events on bus:default, read from the server's database file. */
async function busEvents(): Promise<any[]> {
  const db = openDatabase({ path: join(t.dataDir, 'switchboard.db') }, [eventLogMigrations]);
  try {
    return (await createSqliteEventLog(db).read('bus:default', 0, 1000)).map((r) => JSON.parse(r.payload));
  } finally {
    db.close();
  }
}

/** The task token a `.waitForTaskToken` PutEvents task sent for `order`, in an event of `detailType`. */
async function callbackToken(detailType: string, order: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const event = (await busEvents()).find((e) => e['detail-type'] === detailType && e.detail.order === order);
    if (event !== undefined) return event.detail.token;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${detailType} event for ${order}`);
}

describe('Step Functions API', () => {
  before(async () => {
    t = await startTestServer(APP);
    sfn = new SFNClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey, maxAttempts: 1 });
  });
  after(async () => {
    sfn.destroy();
    await t.close();
  });

  test('create, start, describe and history of a Pass → Wait → Succeed machine', async () => {
    const arn = await create('hello', {
      StartAt: 'Greet',
      States: {
        Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, Next: 'Pause' },
        Pause: { Type: 'Wait', Seconds: 1, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    assert.equal(described.name, 'hello');
    assert.equal(described.type, 'STANDARD');
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'first', input: JSON.stringify({ who: 'world' }) }));
    assert.equal(started.executionArn, 'arn:aws:states:us-east-1:000000000000:execution:hello:first');
    assert.ok(started.startDate instanceof Date);
    const done = await finished(started.executionArn ?? '');
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? ''), { greeting: 'hello world' });
    assert.ok((done.stopDate?.getTime() ?? 0) - (done.startDate?.getTime() ?? 0) >= 900, 'the Wait state waited');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    assert.deepEqual(history.events?.map((e) => e.type), [
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered', 'WaitStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
    assert.equal(history.events?.[1]?.stateEnteredEventDetails?.name, 'Greet');
    assert.equal(typeof history.events?.[1]?.stateEnteredEventDetails?.input, 'string');
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    assert.deepEqual(listed.executions?.map((e) => e.name), ['first']);
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    assert.ok(machines.stateMachines?.some((m) => m.name === 'hello'));
  });

  test('a .waitForTaskToken PutEvents task waits for SendTaskSuccess, and SendTaskFailure fails it', async () => {
    const arn = await create('callback', {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
          Parameters: { Entries: [{ Source: 'wf.test', DetailType: 'approval.requested', Detail: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } }] },
          End: true,
        },
      },
    });
    const tokenFor = (order: string): Promise<string> => callbackToken('approval.requested', order);
    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ order: 'o-1' }) }));
    const token = await tokenFor('o-1');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: ok.executionArn }))).status, 'RUNNING', 'waiting for the callback');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
    const done = await finished(ok.executionArn ?? '');
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? ''), { approved: true });

    const no = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ order: 'o-2' }) }));
    await sfn.send(new SendTaskFailureCommand({ taskToken: await tokenFor('o-2'), error: 'Rejected', cause: 'too expensive' }));
    const failed = await finished(no.executionArn ?? '');
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Rejected');
    assert.equal(failed.cause, 'too expensive');
    assert.equal((await sdkError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).name, 'TaskDoesNotExist');
  });

  test('a lambda:invoke task calls the app function; child executions: .sync answers the output as text, .sync:2 as JSON, no suffix its ARN', async () => {
    const child = await create('child', { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } } });
    const arn = await create('parent', {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'record', 'Payload.$': '$' }, ResultSelector: { 'status.$': '$.StatusCode' }, ResultPath: '$.lambda', Next: 'Child' },
        Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, 'Input.$': '$' }, ResultSelector: { 'json.$': '$.Output', 'input.$': '$.Input' }, ResultPath: '$.sync2', Next: 'ChildText' },
        ChildText: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child, Input: { n: 1 } }, ResultSelector: { 'text.$': '$.Output', 'status.$': '$.Status' }, ResultPath: '$.sync', Next: 'ChildStarted' },
        ChildStarted: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: child, Input: { n: 2 } }, ResultPath: '$.started', End: true },
      },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ n: 21 }) }));
    const done = await finished(started.executionArn ?? '');
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output ?? '');
    assert.deepEqual(output.sync2.json, { n: 42 });
    assert.equal(output.sync2.input.n, 21);
    assert.equal(output.sync.text, '{"n":2}');
    assert.equal(output.sync.status, 'SUCCEEDED');
    assert.match(output.started.ExecutionArn, /^arn:aws:states:us-east-1:\d{12}:execution:child:/);
    assert.equal(typeof output.started.StartDate, 'number');
    assert.equal((await finished(output.started.ExecutionArn)).output, '{"n":4}');
    const calls = ((globalThis as Record<string, unknown>)['__sbRecordCalls'] ?? []) as { event: any; functionName: string }[];
    assert.ok(calls.some((c) => c.functionName === 'record' && c.event?.n === 21), 'the function got the payload');
  });

  test('a function result that is not JSON fails the task as Lambda does (TypeError), and is caught; a Date result arrives as its JSON text', async () => {
    const arn = await create('unserializable', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:unserializable',
          Catch: [{ ErrorEquals: ['TypeError'], ResultPath: '$.caught', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    for (const kind of ['bigint', 'circular']) {
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ kind }) }));
      const done = await finished(started.executionArn ?? '');
      assert.equal(done.status, 'SUCCEEDED', `${kind}: ${done.cause ?? ''}`);
      const caught = JSON.parse(done.output ?? '').caught as { Error: string; Cause: string };
      assert.equal(caught.Error, 'TypeError', kind);
      assert.equal(JSON.parse(caught.Cause).errorType, 'TypeError', kind);
    }
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ kind: 'date' }) }));
    const done = await finished(started.executionArn ?? '');
    assert.deepEqual(JSON.parse(done.output ?? ''), { at: '1970-01-01T00:00:00.000Z', kept: 1 });
  });

  test('UpdateStateMachine changes what new executions run, and DeleteStateMachine removes the machine', async () => {
    const arn = await create('changing', { StartAt: 'Say', States: { Say: { Type: 'Pass', Result: 'one', End: true } } });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    assert.equal((await finished(first.executionArn ?? '')).output, '"one"');
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify({ StartAt: 'Say', States: { Say: { Type: 'Pass', Result: 'two', End: true } } }) }));
    assert.match((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition ?? '', /"two"/);
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    assert.equal((await finished(second.executionArn ?? '')).output, '"two"');
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    assert.equal((await sdkError(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })))).name, 'StateMachineDoesNotExist');
    assert.equal((await sdkError(sfn.send(new StartExecutionCommand({ stateMachineArn: arn })))).name, 'StateMachineDoesNotExist');
  });

  test('an http:invoke task sends its method, query, headers and body; a 4xx answer fails it with States.Http.StatusCode.<code>', async () => {
    const seen: { method: string | undefined; url: string | undefined; header: string | undefined; body: string }[] = [];
    const api = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, header: req.headers['x-trace'] as string | undefined, body });
        res.statusCode = req.url?.startsWith('/missing') === true ? 404 : 201;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ created: true }));
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    try {
      const call = (path: string) => ({
        Type: 'Task',
        Resource: 'arn:aws:states:::http:invoke',
        Parameters: { ApiEndpoint: `${base}${path}`, Method: 'POST', QueryParameters: { q: 'pizza' }, Headers: { 'x-trace': 't-1' }, 'RequestBody.$': '$' },
      });
      const arn = await create('caller', {
        StartAt: 'Post',
        States: {
          Post: { ...call('/orders'), ResultSelector: { 'status.$': '$.StatusCode', 'body.$': '$.ResponseBody' }, ResultPath: '$.posted', Next: 'Missing' },
          Missing: { ...call('/missing'), Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.error', Next: 'Done' }], End: true },
          Done: { Type: 'Succeed' },
        },
      });
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ item: 'pizza' }) }));
      const done = await finished(started.executionArn ?? '');
      assert.equal(done.status, 'SUCCEEDED', done.cause);
      const output = JSON.parse(done.output ?? '');
      assert.deepEqual(output.posted, { status: 201, body: { created: true } });
      assert.equal(output.error.Error, 'States.Http.StatusCode.404');
      assert.deepEqual(seen[0], { method: 'POST', url: '/orders?q=pizza', header: 't-1', body: '{"item":"pizza"}' });
    } finally {
      await new Promise((r) => api.close(r));
    }
  });

  test('SendTaskHeartbeat keeps a callback task with HeartbeatSeconds alive; without heartbeats it fails with States.HeartbeatTimeout', async () => {
    const arn = await create('beating', {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
          HeartbeatSeconds: 1,
          Parameters: { Entries: [{ Source: 'wf.test', DetailType: 'heartbeat.requested', Detail: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } }] },
          End: true,
        },
      },
    });
    const tokenFor = (order: string): Promise<string> => callbackToken('heartbeat.requested', order);
    const kept = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ order: 'h-1' }) }));
    const silent = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ order: 'h-2' }) }));
    const token = await tokenFor('h-1');
    // Heartbeats every 400 ms for 2 s: twice the heartbeat interval.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 400));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    const timedOut = await finished(silent.executionArn ?? '');
    assert.equal(timedOut.status, 'FAILED');
    assert.equal(timedOut.error, 'States.HeartbeatTimeout');
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: kept.executionArn }))).status, 'RUNNING', 'kept alive by its heartbeats');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"ok":true}' }));
    assert.equal((await finished(kept.executionArn ?? '')).status, 'SUCCEEDED');
    assert.equal((await sdkError(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).name, 'TaskDoesNotExist');
  });

  test('StopExecution aborts a waiting execution', async () => {
    const arn = await create('sleeper', { StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 3600, End: true } } });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn, error: 'Manual', cause: 'test' }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(d.status, 'ABORTED');
  });

  test('RedriveExecution runs a failed execution again from the state that failed', async () => {
    const flags = globalThis as Record<string, unknown>;
    flags['__sbFlakyFail'] = true;
    const arn = await create('redrivable', {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.step', Next: 'Call' },
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky', Parameters: { 'id.$': '$.id' }, ResultPath: null, End: true },
      },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ id: 'redrive-1' }) }));
    const failed = await finished(started.executionArn ?? '');
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Error');
    flags['__sbFlakyFail'] = false;
    await sfn.send(new RedriveExecutionCommand({ executionArn: started.executionArn }));
    const done = await finished(started.executionArn ?? '');
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.redriveCount, 1);
    assert.deepEqual(JSON.parse(done.output ?? ''), { id: 'redrive-1', step: 'prepared' });
    const types = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }))).events?.map((e) => e.type) ?? [];
    assert.deepEqual(types.filter((t) => t === 'PassStateEntered').length, 1, 'Prepare is not run again');
    assert.ok(types.includes('ExecutionRedriven'));
    assert.equal((await sdkError(sfn.send(new RedriveExecutionCommand({ executionArn: started.executionArn })))).name, 'ExecutionNotRedrivable');
  });

  test('wrong calls get AWS errors', async () => {
    const invalid = await sdkError(sfn.send(new CreateStateMachineCommand({ name: 'bad', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } }) })));
    assert.equal(invalid.name, 'InvalidDefinition');
    assert.match(invalid.message, /^Invalid State Machine Definition: /);
    const missing = 'arn:aws:states:us-east-1:000000000000:execution:hello:nope';
    assert.deepEqual(await sdkError(sfn.send(new DescribeExecutionCommand({ executionArn: missing }))), { name: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${missing}'` });
    const hello = 'arn:aws:states:us-east-1:000000000000:stateMachine:hello';
    assert.equal((await sdkError(sfn.send(new StartExecutionCommand({ stateMachineArn: hello, name: 'first', input: '{"other":1}' })))).name, 'ExecutionAlreadyExists');
    assert.equal((await sdkError(sfn.send(new StartExecutionCommand({ stateMachineArn: hello, input: '{not json' })))).name, 'InvalidExecutionInput');
    assert.equal((await sdkError(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ghost' })))).name, 'StateMachineDoesNotExist');
    assert.equal((await sdkError(sfn.send(new StartExecutionCommand({ stateMachineArn: hello, name: 'has space' })))).name, 'InvalidName');
  });
});
