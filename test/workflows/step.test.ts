/** The step function's contract: pure, data in and data out, effects for everything else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMachine, startExecution, step, type ExecutionState } from '../../src/workflows/index.ts';
import { fixedEnv, START } from './support.ts';

const TASK = {
  StartAt: 'T',
  States: {
    T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'n.$': '$.n' }, ResultSelector: { 'v.$': '$.Payload' }, ResultPath: '$.result', Next: 'W' },
    W: { Type: 'Wait', Seconds: 30, End: true },
  },
};

test('a task is an invokeTask effect; its result comes back as an event', async () => {
  const machine = compileMachine(TASK);
  const env = fixedEnv();
  const started = await startExecution(machine, { n: 1 }, { name: 'e1' }, env);
  assert.equal(started.state.status, 'RUNNING');
  assert.deepEqual(started.effects, [{ type: 'invokeTask', taskId: 'task-1', stateName: 'T', resource: 'arn:aws:states:::lambda:invoke', input: { n: 1 } }]);
  assert.deepEqual(started.events.map((e) => e.type), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted']);

  const after = await step(machine, started.state, { type: 'taskSucceeded', taskId: 'task-1', output: { Payload: 'done' } }, env);
  assert.deepEqual(after.effects, [{ type: 'startTimer', timerId: 'wait-2', kind: 'wait', dueAt: START + 30_000 }]);
  const fired = await step(machine, after.state, { type: 'timerFired', timerId: 'wait-2' }, fixedEnv(START + 30_000));
  assert.deepEqual(fired.effects, [{ type: 'executionSucceeded', output: { n: 1, result: { v: 'done' } } }]);
  assert.equal(fired.state.status, 'SUCCEEDED');
});

test('step does not modify the state it is given', async () => {
  const machine = compileMachine(TASK);
  const started = await startExecution(machine, { n: 1 }, {}, fixedEnv());
  const before = JSON.stringify(started.state);
  await step(machine, started.state, { type: 'taskSucceeded', taskId: 'task-1', output: {} }, fixedEnv());
  assert.equal(JSON.stringify(started.state), before);
});

test('an execution state survives a JSON round trip between steps', async () => {
  const machine = compileMachine(TASK);
  const started = await startExecution(machine, { n: 2 }, {}, fixedEnv());
  const stored = JSON.parse(JSON.stringify(started.state)) as ExecutionState;
  const after = await step(compileMachine(JSON.stringify(TASK)), stored, { type: 'taskSucceeded', taskId: 'task-1', output: { Payload: 'x' } }, fixedEnv());
  assert.equal(after.state.root.current?.state, 'W');
});

test('an event nothing waits for is ignored and changes nothing', async () => {
  const machine = compileMachine(TASK);
  const started = await startExecution(machine, {}, {}, fixedEnv());
  const stale = await step(machine, started.state, { type: 'timerFired', timerId: 'no-such-timer' }, fixedEnv());
  assert.equal(stale.ignored, true);
  assert.equal(stale.state, started.state);
  assert.deepEqual(stale.effects, []);
});

test('history events are numbered from 1 and chained by previousEventId', async () => {
  const machine = compileMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } });
  const r = await startExecution(machine, {}, {}, fixedEnv());
  assert.deepEqual(r.events.map((e) => [e.id, e.previousEventId, e.type]), [
    [1, 0, 'ExecutionStarted'],
    [2, 1, 'PassStateEntered'],
    [3, 2, 'PassStateExited'],
    [4, 3, 'PassStateEntered'],
    [5, 4, 'PassStateExited'],
    [6, 5, 'ExecutionSucceeded'],
  ]);
});

test('stopExecution aborts the execution and cancels what it was waiting for', async () => {
  const machine = compileMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', TimeoutSeconds: 60, End: true } } });
  const started = await startExecution(machine, {}, {}, fixedEnv());
  const stopped = await step(machine, started.state, { type: 'stopExecution', error: 'Stop', cause: 'user' }, fixedEnv());
  assert.equal(stopped.state.status, 'ABORTED');
  assert.deepEqual(stopped.effects, [
    { type: 'cancelTask', taskId: 'task-1' },
    { type: 'cancelTimer', timerId: 'taskTimeout-2' },
    { type: 'executionAborted', error: 'Stop', cause: 'user' },
  ]);
});

test('a .waitForTaskToken task gets a token from the injected uuid, visible as $$.Task.Token', async () => {
  const machine = compileMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, End: true } } });
  const r = await startExecution(machine, {}, { name: 'n' }, fixedEnv());
  const invoke = r.effects[0];
  assert.equal(invoke?.type, 'invokeTask');
  if (invoke?.type === 'invokeTask') {
    assert.equal(invoke.taskToken, '00000000-0000-4000-8000-000000000001');
    assert.deepEqual(invoke.input, { token: invoke.taskToken });
  }
});

test('the execution TimeoutSeconds is a timer; when it fires the execution times out', async () => {
  const machine = compileMachine({ TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
  const started = await startExecution(machine, {}, {}, fixedEnv());
  assert.deepEqual(started.effects, [
    { type: 'startTimer', timerId: 'executionTimeout-1', kind: 'executionTimeout', dueAt: START + 5000 },
    { type: 'startTimer', timerId: 'wait-2', kind: 'wait', dueAt: START + 60_000 },
  ]);
  const timedOut = await step(machine, started.state, { type: 'timerFired', timerId: 'executionTimeout-1' }, fixedEnv(START + 5000));
  assert.equal(timedOut.state.status, 'TIMED_OUT');
  assert.deepEqual(timedOut.effects.map((e) => e.type), ['cancelTimer', 'executionTimedOut']);
});

test('a Wait whose time has passed proceeds without a timer', async () => {
  const machine = compileMachine({ StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', End: true } } });
  const r = await startExecution(machine, { a: 1 }, {}, fixedEnv());
  assert.deepEqual(r.effects, [{ type: 'executionSucceeded', output: { a: 1 } }]);
});

test('a Wait until a future Timestamp, or the TimestampPath in its input, starts a timer due then and leaves when it fires', async () => {
  const at = '2026-01-01T01:30:00Z';
  for (const wait of [{ Timestamp: at }, { TimestampPath: '$.at' }]) {
    const machine = compileMachine({ StartAt: 'W', States: { W: { Type: 'Wait', ...wait, End: true } } });
    const started = await startExecution(machine, { at }, {}, fixedEnv());
    assert.deepEqual(started.effects, [{ type: 'startTimer', timerId: 'wait-1', kind: 'wait', dueAt: Date.parse(at) }], JSON.stringify(wait));
    const fired = await step(machine, started.state, { type: 'timerFired', timerId: 'wait-1' }, fixedEnv(Date.parse(at)));
    assert.deepEqual(fired.effects, [{ type: 'executionSucceeded', output: { at } }]);
  }
  const bad = await startExecution(compileMachine({ StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } }), { at: 'tomorrow' }, {}, fixedEnv());
  assert.equal(bad.state.status, 'FAILED');
  assert.equal(bad.state.error, 'States.Runtime');
});

test('an endless loop of Pass states stops at the 25,000-event history limit', async () => {
  const machine = compileMachine({
    StartAt: 'A',
    States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'C' }], Default: 'A' }, C: { Type: 'Succeed' } },
  });
  const r = await startExecution(machine, {}, {}, fixedEnv());
  assert.equal(r.state.status, 'FAILED');
  assert.equal(r.state.error, 'States.Runtime');
});
