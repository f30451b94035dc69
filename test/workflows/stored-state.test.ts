/**
 * The durable engine stores an execution's state without what its row holds (the ARN, name, state
 * machine, input, start time and redrive count of `$$.Execution`; the status and event counter)
 * and rebuilds it when it reads the state back: a restarted engine resumes an execution whose
 * context object is what it was, and states stored by older releases (whole, or with those
 * members) read as they were.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import type { StoredStateMachine } from '../../src/storage/index.ts';
import { compileMachine, startExecution, type ExecutionState, type Json } from '../../src/workflows/asl/index.ts';
import { createWorkflowEngine, TaskFailure, type IntegrationPorts } from '../../src/workflows/index.ts';
import { restoreState, stateText, type StateRow } from '../../src/workflows/engine/stored-state.ts';
import { tempWorkflowStore } from './temp-store.ts';

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:Keeper:run-1';
const STARTED = Date.parse('2026-12-05T10:00:00.000Z');
const row: StateRow = { arn: ARN, name: 'run-1', machine: 'Keeper', input: JSON.stringify({ big: 'x'.repeat(1000), n: 7 }), status: 'RUNNING', nextEventId: 3, startedAt: STARTED, redriveCount: 0 };
const waitThenShow = {
  StartAt: 'Hold',
  States: {
    Hold: { Type: 'Wait', Seconds: 60, Next: 'Show' },
    Show: {
      Type: 'Pass',
      Parameters: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'n.$': '$$.Execution.Input.n',
        'start.$': '$$.Execution.StartTime',
        'role.$': '$$.Execution.RoleArn',
        'redrives.$': '$$.Execution.RedriveCount',
        'machine.$': '$$.StateMachine.Id',
        'machineName.$': '$$.StateMachine.Name',
      },
      End: true,
    },
  },
};

async function startedState(): Promise<ExecutionState> {
  const env = { now: () => STARTED, random: () => 0.5, uuid: () => '00000000-0000-4000-8000-000000000001' };
  const info = { executionArn: ARN, name: row.name, stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Keeper', stateMachineName: row.machine, roleArn: 'arn:aws:iam::123456789012:role/keeper' };
  return (await startExecution(compileMachine(waitThenShow), JSON.parse(row.input) as Json, info, env)).state;
}

test('the stored text leaves out what the row holds, and reads back to the same state', async () => {
  const state = await startedState();
  assert.equal(state.nextEventId, row.nextEventId);
  const text = stateText(state, true);
  const copies = (t: string): number => t.split('x'.repeat(1000)).length - 1;
  assert.equal(copies(JSON.stringify(state)), 2, 'whole: the execution input and the current state input');
  assert.equal(copies(text), 1, 'stored: the current state input only');
  assert.ok(!text.includes(ARN), 'nor the execution ARN');
  assert.ok(text.length < JSON.stringify(state).length - 1000);
  const stored = JSON.parse(text) as Record<string, unknown>;
  for (const member of ['version', 'status', 'nextEventId']) assert.ok(!(member in stored), `${member}: a column of the row`);
  assert.deepEqual(stored['execution'], { roleArn: 'arn:aws:iam::123456789012:role/keeper' }, 'start time and redrive count: columns of the row');
  assert.deepEqual(restoreState(text, row), state);
});

test('a start time the row does not hold stays in the text', async () => {
  const state = await startedState();
  // A row written by a release that took started_at from a second clock reading.
  const later = { ...row, startedAt: STARTED + 3 };
  const text = stateText(state, false);
  assert.equal((JSON.parse(text) as { execution: { startTime?: string } }).execution.startTime, '2026-12-05T10:00:00.000Z');
  assert.deepEqual(restoreState(text, later), state);
});

test('a state stored with the members the row holds (the releases before) reads as it was', async () => {
  const state = await startedState();
  const { roleArn, startTime, redriveCount } = state.execution;
  const slim = JSON.stringify({ ...state, execution: { roleArn, startTime, redriveCount } });
  // The text's members win over the row's.
  assert.deepEqual(restoreState(slim, { ...row, startedAt: STARTED + 3, nextEventId: 99 }), state);
});

test('a SUCCEEDED execution stores no state, and reads back as none', async () => {
  const state = await startedState();
  const text = stateText({ ...state, status: 'SUCCEEDED' }, true);
  assert.equal(text, '');
  assert.equal(restoreState(text, row), undefined);
});

test('a state stored whole (an older release) reads as it was', async () => {
  const state = await startedState();
  assert.deepEqual(restoreState(JSON.stringify(state), { ...row, input: '{}' }), state);
});

test('a restarted engine resumes the execution with the same $$.Execution and $$.StateMachine', async (t) => {
  const store = tempWorkflowStore(t, 'sb-stored-state-');
  const clock = new VirtualClock(STARTED);
  const fail = () => Promise.reject(new TaskFailure('States.TaskFailed', 'none'));
  const ports: IntegrationPorts = { putEvents: fail, invokeFunction: fail, startExecution: fail };
  const scope = () => ({ region: 'eu-west-1', accountId: '123456789012' });
  const machine: StoredStateMachine = { name: 'Keeper', definition: JSON.stringify(waitThenShow), roleArn: 'arn:aws:iam::123456789012:role/keeper', type: 'STANDARD', createdAt: 0, updatedAt: 0, revision: 1 };
  const first = createWorkflowEngine({ store, clock, logger: silentLogger, ports, scope });
  await first.start();
  const started = await first.startExecution(machine, { name: 'run-1', input: row.input });
  await first.settle();
  await first.stop();

  const second = createWorkflowEngine({ store, clock, logger: silentLogger, ports, scope });
  t.after(() => second.stop());
  await second.start();
  await clock.advance(61_000);
  await second.settle();
  const done = await store.getExecution(started.arn);
  assert.equal(done?.status, 'SUCCEEDED');
  // DescribeExecution's startDate is the start time the context object shows.
  assert.equal(done?.startedAt, STARTED);
  assert.equal(started.startedAt, STARTED);
  assert.deepEqual(JSON.parse(done?.output ?? 'null'), {
    id: ARN,
    name: 'run-1',
    n: 7,
    start: '2026-12-05T10:00:00.000Z',
    role: 'arn:aws:iam::123456789012:role/keeper',
    redrives: 0,
    machine: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Keeper',
    machineName: 'Keeper',
  });
});

test('a state waiting for a task holds its input once (the task\'s input is not kept beside it)', async () => {
  const env = { now: () => STARTED, random: () => 0.5, uuid: () => '00000000-0000-4000-8000-000000000001' };
  const call = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:f', End: true } } };
  const big = { big: 'y'.repeat(1000) };
  const { state, effects } = await startExecution(compileMachine(call), big, { executionArn: ARN, name: row.name, stateMachineName: row.machine }, env);
  assert.ok(effects.some((e) => e.type === 'invokeTask'), 'waiting for the task');
  const text = stateText(state, true);
  assert.equal(text.split('y'.repeat(1000)).length - 1, 1);
  // A state stored by an earlier release, with the task's input in its phase, still reads back.
  const older = JSON.parse(text) as { root: { current: { phase: Record<string, unknown> } } };
  older.root.current.phase['effectiveInput'] = big;
  assert.equal(restoreState(JSON.stringify(older), row)?.root.current?.phase.kind, 'task');
});
