/**
 * The `WorkflowStore` contract (`src/storage/workflow-store.ts`): state machines, executions
 * (idempotent start, newest-first listing), compare-and-set step commits with their history,
 * timers and tasks, one test per guarantee, registered by `describeWorkflowStoreContract` for any
 * adapter.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { StepCommit, StoredExecution, StoredHistoryBlock, StoredStateMachine, WorkflowStore } from '../../../src/storage/index.ts';
import { contractTest, using, type SkipReason, type StoreFixture } from './table-store-contract.ts';

export type WorkflowStoreFixture = StoreFixture<WorkflowStore>;

const DEFINITION = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });

const machine = (name: string, extra: Partial<StoredStateMachine> = {}): StoredStateMachine => ({
  name,
  definition: DEFINITION,
  roleArn: 'arn:aws:iam::000000000000:role/test',
  type: 'STANDARD',
  createdAt: 1,
  updatedAt: 1,
  revision: 1,
  ...extra,
});

/** The spans (`first-last`) of history blocks. */
const spans = (blocks: readonly StoredHistoryBlock[]): string[] => blocks.map((b) => `${b.firstId}-${b.lastId}`);

export const arnOf = (machineName: string, name: string): string => `arn:aws:states:us-east-1:000000000000:execution:${machineName}:${name}`;

export const execution = (machineName: string, name: string, extra: Partial<StoredExecution> = {}): StoredExecution => ({
  arn: arnOf(machineName, name),
  machine: machineName,
  name,
  status: 'RUNNING',
  state: '{"at":"A"}',
  definition: DEFINITION,
  input: '{}',
  startedAt: 1000,
  nextEventId: 2,
  redriveCount: 0,
  ...extra,
});

/** The first step of an execution: history event 1, next event id 2. */
export const firstStep = (e: StoredExecution, extra: Partial<StepCommit> = {}): StepCommit => ({
  execution: e.arn,
  expectedEventId: 0,
  status: 'RUNNING',
  state: '{"at":"A"}',
  nextEventId: 2,
  history: { firstId: 1, lastId: 1, text: 'started' },
  addTimers: [],
  removeTimers: [],
  addTasks: [],
  removeTasks: [],
  ...extra,
});

/** A step from `from` to `from + events`, with `events` history events (one block). */
export const step = (arn: string, from: number, extra: Partial<StepCommit> = {}, events = 1): StepCommit => ({
  execution: arn,
  expectedEventId: from,
  status: 'RUNNING',
  state: `{"at":${from}}`,
  nextEventId: from + events,
  ...(events > 0 ? { history: { firstId: from, lastId: from + events - 1, text: `events ${from}-${from + events - 1}` } } : {}),
  addTimers: [],
  removeTimers: [],
  addTasks: [],
  removeTasks: [],
  ...extra,
});

async function started(store: WorkflowStore, machineName: string, name: string, extra: Partial<StoredExecution> = {}, commit: Partial<StepCommit> = {}): Promise<StoredExecution> {
  const e = execution(machineName, name, extra);
  assert.equal(await store.createExecution(e, firstStep(e, commit)), 'created');
  return e;
}

export function describeWorkflowStoreContract(adapterName: string, open: () => Promise<WorkflowStoreFixture>, options: { readonly skip?: SkipReason } = {}): void {
  const skip = options.skip ?? false;
  const test = contractTest(skip);
  describe(`WorkflowStore contract: ${adapterName}`, () => {
    describe('state machines', () => {
      test('a state machine is created once; a second create answers exists and changes nothing', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.createStateMachine(machine('m')), 'created');
          assert.equal(await store.createStateMachine(machine('m', { roleArn: 'other', type: 'EXPRESS' })), 'exists');
          assert.deepEqual(await store.getStateMachine('m'), machine('m'));
          assert.equal(await store.getStateMachine('absent'), undefined);
        }));

      test('an update replaces only the fields given, bumps the revision and updatedAt; an absent machine answers false', () =>
        using(open, async ({ store }) => {
          await store.createStateMachine(machine('m'));
          assert.equal(await store.updateStateMachine('m', { roleArn: 'arn:new' }, 50), true);
          assert.deepEqual(await store.getStateMachine('m'), machine('m', { roleArn: 'arn:new', updatedAt: 50, revision: 2 }));
          const def = JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Succeed' } } });
          assert.equal(await store.updateStateMachine('m', { definition: def }, 60), true);
          assert.deepEqual(await store.getStateMachine('m'), machine('m', { roleArn: 'arn:new', definition: def, updatedAt: 60, revision: 3 }));
          assert.equal(await store.updateStateMachine('absent', { roleArn: 'x' }, 1), false);
        }));

      test('state machines are listed in name order after a name', () =>
        using(open, async ({ store }) => {
          for (const name of ['b', 'a_1', 'B', 'a']) await store.createStateMachine(machine(name));
          assert.deepEqual((await store.listStateMachines({ limit: 10 })).map((m) => m.name), ['B', 'a', 'a_1', 'b']);
          assert.deepEqual((await store.listStateMachines({ after: 'a', limit: 2 })).map((m) => m.name), ['a_1', 'b']);
          assert.deepEqual(await store.listStateMachines({ after: 'b', limit: 2 }), []);
        }));

      test('deleting a state machine answers whether it existed', () =>
        using(open, async ({ store }) => {
          await store.createStateMachine(machine('m'));
          assert.equal(await store.deleteStateMachine('m'), true);
          assert.equal(await store.deleteStateMachine('m'), false);
          assert.equal(await store.getStateMachine('m'), undefined);
        }));
    });

    describe('executions', () => {
      test('an execution is stored with its first step', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x', { input: '{"n":1}' }, { addTimers: [{ execution: arnOf('m', 'x'), timerId: 'w', dueAt: 5000 }] });
          assert.deepEqual(await store.getExecution(e.arn), e);
          assert.deepEqual(await store.history(e.arn, { limit: 10 }), [{ firstId: 1, lastId: 1, text: 'started' }]);
          assert.deepEqual(await store.dueTimers(5000, 10), [{ execution: e.arn, timerId: 'w', dueAt: 5000 }]);
          assert.equal(await store.runningExecutions(), 1);
        }));

      test('starting a running execution again with the same input answers exists-same-input, otherwise exists', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x', { input: '{"n":1}' });
          assert.equal(await store.createExecution({ ...e, startedAt: 2 }, firstStep(e)), 'exists-same-input');
          assert.equal(await store.createExecution({ ...e, input: '{"n":2}' }, firstStep(e)), 'exists');
          await store.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', output: '{}', stoppedAt: 9 }));
          assert.equal(await store.createExecution(e, firstStep(e)), 'exists', 'a finished execution is not restarted');
          assert.equal((await store.getExecution(e.arn))?.startedAt, 1000);
          assert.equal((await store.history(e.arn, { limit: 10 })).length, 2, 'a refused start writes no history');
        }));

      test('concurrent starts of one execution name create it once', () =>
        using(open, async ({ store }) => {
          const e = execution('m', 'once');
          const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.createExecution(e, firstStep(e))));
          assert.equal(outcomes.filter((o) => o === 'created').length, 1);
          assert.equal(outcomes.filter((o) => o === 'exists-same-input').length, 7);
          assert.equal((await store.history(e.arn, { limit: 10 })).length, 1);
        }));

      test('an execution is found only by its exact ARN', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          assert.equal(await store.getExecution(e.arn.replace('us-east-1', 'eu-west-1')), undefined);
          assert.equal(await store.getExecution(arnOf('m', 'y')), undefined);
          assert.equal(await store.getExecution(arnOf('n', 'x')), undefined);
        }));

      test('an execution keeps a stored null error apart from an absent one, and its end fields', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          assert.equal(await store.commitStep(step(e.arn, 2, { status: 'FAILED', error: null, stoppedAt: 77 })), true);
          const failed = await store.getExecution(e.arn);
          assert.equal(failed?.status, 'FAILED');
          assert.ok(failed !== undefined && 'error' in failed && failed.error === null);
          assert.equal(failed.cause, undefined);
          assert.equal(failed.stoppedAt, 77);
          const f = await started(store, 'm', 'y');
          assert.equal(await store.commitStep(step(f.arn, 2, { status: 'FAILED', error: 'States.Boom', cause: 'because', stoppedAt: 78 })), true);
          const g = await store.getExecution(f.arn);
          assert.deepEqual([g?.error, g?.cause, g?.output], ['States.Boom', 'because', undefined]);
          const ok = await store.getExecution((await started(store, 'm', 'z')).arn);
          assert.ok(ok !== undefined && !('error' in ok), 'no error field when none was stored');
        }));

      test('executions are listed newest first per machine, by status, and after an ARN', () =>
        using(open, async ({ store }) => {
          for (const name of ['e1', 'e2', 'e3', 'e4', 'e5']) await started(store, 'm', name);
          await started(store, 'other', 'o1');
          await store.commitStep(step(arnOf('m', 'e2'), 2, { status: 'SUCCEEDED', stoppedAt: 5 }));
          await store.commitStep(step(arnOf('m', 'e4'), 2, { status: 'SUCCEEDED', stoppedAt: 5 }));
          assert.deepEqual((await store.listExecutions({ machine: 'm', limit: 10 })).map((e) => e.name), ['e5', 'e4', 'e3', 'e2', 'e1']);
          assert.deepEqual((await store.listExecutions({ machine: 'm', status: 'SUCCEEDED', limit: 10 })).map((e) => e.name), ['e4', 'e2']);
          assert.deepEqual((await store.listExecutions({ machine: 'm', status: 'RUNNING', limit: 10 })).map((e) => e.name), ['e5', 'e3', 'e1']);
          const page1 = await store.listExecutions({ machine: 'm', limit: 2 });
          const page2 = await store.listExecutions({ machine: 'm', limit: 2, after: page1[1]?.arn as string });
          const page3 = await store.listExecutions({ machine: 'm', limit: 2, after: page2[1]?.arn as string });
          assert.deepEqual([page1, page2, page3].map((p) => p.map((e) => e.name)), [['e5', 'e4'], ['e3', 'e2'], ['e1']]);
          assert.deepEqual(await store.listExecutions({ machine: 'none', limit: 10 }), []);
          assert.equal((await store.listExecutions({ machine: 'm', limit: 10 }))[0]?.definition, DEFINITION);
        }));

      test('executions keep the definition they started with when the machine is updated', () =>
        using(open, async ({ store }) => {
          await store.createStateMachine(machine('m'));
          const e = await started(store, 'm', 'x');
          await store.updateStateMachine('m', { definition: '{"StartAt":"Z","States":{"Z":{"Type":"Succeed"}}}' }, 5);
          assert.equal((await store.getExecution(e.arn))?.definition, DEFINITION);
          const other = JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } });
          const f = await started(store, 'm', 'y', { definition: other });
          assert.equal((await store.getExecution(f.arn))?.definition, other);
        }));

      test('the number of running executions counts RUNNING ones only', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.runningExecutions(), 0);
          await started(store, 'm', 'a');
          const b = await started(store, 'm', 'b');
          await store.commitStep(step(b.arn, 2, { status: 'ABORTED', stoppedAt: 3 }));
          assert.equal(await store.runningExecutions(), 1);
        }));

      test('deleting closed executions takes those that ended before the cutoff, with their history; running ones stay', () =>
        using(open, async ({ store }) => {
          await store.createStateMachine(machine('m'));
          // Started at 1000, 2000, ...; a, b, d end at 1500, 2500, 4500; c still runs; e ends after the cutoff.
          const ended = async (name: string, startedAt: number, stoppedAt?: number): Promise<StoredExecution> => {
            const e = await started(store, 'm', name, { startedAt });
            if (stoppedAt !== undefined) await store.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', output: '{}', stoppedAt }));
            return e;
          };
          const a = await ended('a', 1000, 1500);
          const b = await ended('b', 2000, 2500);
          const c = await ended('c', 3000);
          const d = await ended('d', 4000, 4500);
          const e = await ended('e', 5000, 9000);
          assert.equal(await store.deleteClosedExecutions(6000, 2), 2, 'the two oldest that ended');
          assert.equal(await store.getExecution(a.arn), undefined);
          assert.deepEqual(await store.history(b.arn, { limit: 10 }), [], 'the history goes with it');
          assert.equal(await store.deleteClosedExecutions(6000, 2), 1, 'then d: fewer than the limit');
          assert.equal(await store.deleteClosedExecutions(6000, 2), 0);
          assert.equal((await store.getExecution(c.arn))?.status, 'RUNNING', 'running: kept however old');
          assert.equal(await store.getExecution(d.arn), undefined);
          assert.equal((await store.getExecution(e.arn))?.status, 'SUCCEEDED', 'ended after the cutoff: kept');
          assert.equal((await store.history(e.arn, { limit: 10 })).length, 2);
          assert.deepEqual((await store.listExecutions({ machine: 'm', limit: 10 })).map((x) => x.name), ['e', 'c']);
        }));

      test('deleting closed executions reads on past a page of running ones', () =>
        using(open, async ({ store }) => {
          await store.createStateMachine(machine('m'));
          // 501 running executions (more than a scan page) started before two that ended.
          await Promise.all(Array.from({ length: 501 }, (_, i) => started(store, 'm', `run-${i}`, { startedAt: 1000 })));
          const a = await started(store, 'm', 'ended-a', { startedAt: 2000 }, { status: 'SUCCEEDED', output: '{}', stoppedAt: 2500 });
          const b = await started(store, 'm', 'ended-b', { startedAt: 2000 }, { status: 'FAILED', error: 'E', stoppedAt: 2600 });
          assert.equal(await store.deleteClosedExecutions(6000, 10), 2);
          assert.equal(await store.getExecution(a.arn), undefined);
          assert.equal(await store.getExecution(b.arn), undefined);
          assert.equal(await store.runningExecutions(), 501);
        }));
    });

    describe('step commits', () => {
      test('a step commit at the expected event counter writes state, history and counter', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          assert.equal(await store.commitStep(step(e.arn, 2, {}, 3)), true);
          const stored = await store.getExecution(e.arn);
          assert.equal(stored?.nextEventId, 5);
          assert.equal(stored?.state, '{"at":2}');
          assert.deepEqual(spans(await store.history(e.arn, { limit: 10 })), ['1-1', '2-4']);
        }));

      test('a step commit with a stale event counter is refused and writes nothing', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          assert.equal(await store.commitStep(step(e.arn, 2)), true);
          const before = await store.getExecution(e.arn);
          const stale = step(e.arn, 2, { status: 'SUCCEEDED', stoppedAt: 1, addTimers: [{ execution: e.arn, timerId: 't', dueAt: 1 }], addTasks: [{ execution: e.arn, taskId: 'k', invocation: '{}' }] });
          assert.equal(await store.commitStep(stale), false);
          assert.deepEqual(await store.getExecution(e.arn), before);
          assert.deepEqual(spans(await store.history(e.arn, { limit: 10 })), ['1-1', '2-2']);
          assert.deepEqual(await store.dueTimers(10, 10), []);
          assert.deepEqual(await store.pendingTasks(), []);
        }));

      test('a step commit for an unknown execution is refused', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.commitStep(step(arnOf('m', 'ghost'), 2)), false);
        }));

      test('of concurrent step commits from the same event counter exactly one wins', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.commitStep(step(e.arn, 2, { state: `{"winner":${i}}` }))));
          assert.equal(outcomes.filter(Boolean).length, 1);
          const winner = outcomes.indexOf(true);
          assert.equal((await store.getExecution(e.arn))?.state, `{"winner":${winner}}`);
          assert.deepEqual(spans(await store.history(e.arn, { limit: 10 })), ['1-1', '2-2']);
        }));

      test('a step adds and removes timers and tasks together with its state', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          await store.commitStep(
            step(e.arn, 2, {
              addTimers: [{ execution: e.arn, timerId: 't1', dueAt: 100 }, { execution: e.arn, timerId: 't2', dueAt: 200 }],
              addTasks: [{ execution: e.arn, taskId: 'k1', invocation: '{"r":1}' }, { execution: e.arn, taskId: 'k2', invocation: '{"r":2}', token: 'tok-2' }],
            }),
          );
          assert.deepEqual((await store.dueTimers(1000, 10)).map((t) => t.timerId), ['t1', 't2']);
          assert.deepEqual((await store.pendingTasks()).map((t) => t.taskId).sort(), ['k1', 'k2']);
          await store.commitStep(step(e.arn, 3, { removeTimers: ['t1', 'never'], removeTasks: ['k2'] }));
          assert.deepEqual(await store.dueTimers(1000, 10), [{ execution: e.arn, timerId: 't2', dueAt: 200 }]);
          assert.deepEqual(await store.pendingTasks(), [{ execution: e.arn, taskId: 'k1', invocation: '{"r":1}' }]);
          assert.equal(await store.taskByToken('tok-2'), undefined);
        }));

      test('a timer or task added again under its id replaces the earlier one', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x', {}, { addTimers: [{ execution: arnOf('m', 'x'), timerId: 't', dueAt: 100 }], addTasks: [{ execution: arnOf('m', 'x'), taskId: 'k', invocation: '{"v":1}' }] });
          await store.commitStep(step(e.arn, 2, { addTimers: [{ execution: e.arn, timerId: 't', dueAt: 300 }], addTasks: [{ execution: e.arn, taskId: 'k', invocation: '{"v":2}', token: 'tk' }] }));
          assert.deepEqual(await store.dueTimers(1000, 10), [{ execution: e.arn, timerId: 't', dueAt: 300 }]);
          assert.deepEqual(await store.pendingTasks(), [{ execution: e.arn, taskId: 'k', invocation: '{"v":2}', token: 'tk' }]);
        }));

      test('a finished execution waits for nothing: its timers and tasks go with the final step', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x', {}, { addTimers: [{ execution: arnOf('m', 'x'), timerId: 't', dueAt: 100 }], addTasks: [{ execution: arnOf('m', 'x'), taskId: 'k', invocation: '{}', token: 'tok' }] });
          await store.commitStep(step(e.arn, 2, { status: 'SUCCEEDED', output: '{"ok":true}', stoppedAt: 9, addTimers: [{ execution: e.arn, timerId: 'late', dueAt: 1 }] }));
          assert.deepEqual(await store.dueTimers(10_000, 10), []);
          assert.deepEqual(await store.pendingTasks(), []);
          assert.equal(await store.taskByToken('tok'), undefined);
          assert.equal(await store.nextTimerAt(), undefined);
          const done = await store.getExecution(e.arn);
          assert.deepEqual([done?.status, done?.output, done?.stoppedAt], ['SUCCEEDED', '{"ok":true}', 9]);
        }));

      test('a redrive step sets the redrive count; other steps keep it', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          await store.commitStep(step(e.arn, 2, { status: 'FAILED', error: 'E', stoppedAt: 5 }));
          await store.commitStep(step(e.arn, 3, { status: 'RUNNING', redriveCount: 1 }));
          await store.commitStep(step(e.arn, 4));
          const stored = await store.getExecution(e.arn);
          assert.equal(stored?.redriveCount, 1);
          assert.equal(stored?.status, 'RUNNING');
          assert.equal(stored?.stoppedAt, undefined, 'a running step clears the stop time');
          assert.ok(stored !== undefined && !('error' in stored), 'a running step clears the error');
        }));
    });

    describe('history', () => {
      test('history blocks are kept in id order; a page holds the blocks with events after an id, forward and reversed', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          await store.commitStep(step(e.arn, 2, {}, 3));
          await store.commitStep(step(e.arn, 5));
          await store.commitStep(step(e.arn, 6, {}, 4));
          await store.commitStep(step(e.arn, 10, {}, 0));
          const all = await store.history(e.arn, { limit: 100 });
          assert.deepEqual(spans(all), ['1-1', '2-4', '5-5', '6-9'], 'a step without events stores no block');
          assert.equal(all[1]?.text, 'events 2-4');
          assert.deepEqual(spans(await store.history(e.arn, { after: 3, limit: 4 })), ['2-4', '5-5', '6-9'], 'the block holding the first event after the id comes first');
          assert.deepEqual(spans(await store.history(e.arn, { after: 4, limit: 1 })), ['5-5'], 'at most limit blocks');
          assert.deepEqual(spans(await store.history(e.arn, { after: 7, limit: 4 })), ['6-9']);
          assert.deepEqual(spans(await store.history(e.arn, { reverse: true, limit: 2 })), ['6-9', '5-5']);
          assert.deepEqual(spans(await store.history(e.arn, { reverse: true, after: 6, limit: 4 })), ['5-5', '2-4', '1-1'], 'reversed, after is the exclusive upper bound');
          assert.deepEqual(spans(await store.history(e.arn, { reverse: true, after: 3, limit: 4 })), ['2-4', '1-1']);
          assert.deepEqual(spans(await store.history(e.arn, { reverse: true, after: 2, limit: 4 })), ['1-1']);
          assert.deepEqual(await store.history(e.arn, { after: 9, limit: 4 }), []);
        }));

      test('a history block keeps its text exactly, newlines and any character included', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x');
          const text = '[1,"line1\\nline2"]\n{"raw":"x"}\r\n\t ü 𝄞 \'"';
          await store.commitStep({ ...step(e.arn, 2, {}, 3), history: { firstId: 2, lastId: 4, text } });
          assert.deepEqual(await store.history(e.arn, { after: 1, limit: 10 }), [{ firstId: 2, lastId: 4, text }]);
          assert.deepEqual((await store.history(e.arn, { reverse: true, limit: 10 })).map((h) => h.text), [text, 'started']);
        }));

      test('the history of an unknown execution is empty', () =>
        using(open, async ({ store }) => {
          assert.deepEqual(await store.history(arnOf('m', 'ghost'), { limit: 10 }), []);
        }));
    });

    describe('timers and tasks', () => {
      test('due timers are the earliest at or before the time, at most limit', () =>
        using(open, async ({ store }) => {
          for (const [name, due] of [['a', 300], ['b', 100], ['c', 200], ['d', 900]] as const) await started(store, 'm', name, {}, { addTimers: [{ execution: arnOf('m', name), timerId: `w-${name}`, dueAt: due }] });
          assert.deepEqual((await store.dueTimers(300, 10)).map((t) => [t.timerId, t.dueAt]), [['w-b', 100], ['w-c', 200], ['w-a', 300]]);
          assert.deepEqual((await store.dueTimers(300, 2)).map((t) => t.timerId), ['w-b', 'w-c']);
          assert.deepEqual(await store.dueTimers(99, 10), []);
          assert.equal(await store.nextTimerAt(), 100);
        }));

      test('with no timer pending the next timer time is undefined', () =>
        using(open, async ({ store }) => {
          assert.equal(await store.nextTimerAt(), undefined);
          assert.deepEqual(await store.dueTimers(Number.MAX_SAFE_INTEGER, 10), []);
        }));

      test('a task is found by its token; pending tasks are those of running executions', () =>
        using(open, async ({ store }) => {
          const e = await started(store, 'm', 'x', {}, { addTasks: [{ execution: arnOf('m', 'x'), taskId: 'k', invocation: '{"resource":"r"}', token: 'secret' }] });
          assert.deepEqual(await store.taskByToken('secret'), { execution: e.arn, taskId: 'k', invocation: '{"resource":"r"}', token: 'secret' });
          assert.equal(await store.taskByToken('other'), undefined);
          assert.deepEqual(await store.pendingTasks(), [{ execution: e.arn, taskId: 'k', invocation: '{"resource":"r"}', token: 'secret' }]);
        }));

      test('executions, history, timers and tasks survive a reopen', async () => {
        const f = await open();
        try {
          const e = await started(f.store, 'm', 'x', {}, { addTimers: [{ execution: arnOf('m', 'x'), timerId: 't', dueAt: 4242 }], addTasks: [{ execution: arnOf('m', 'x'), taskId: 'k', invocation: '{}' }] });
          await f.store.createStateMachine(machine('m'));
          const again = await f.reopen();
          assert.deepEqual(await again.getExecution(e.arn), e);
          assert.equal((await again.history(e.arn, { limit: 10 })).length, 1);
          assert.equal(await again.nextTimerAt(), 4242);
          assert.equal((await again.pendingTasks()).length, 1);
          assert.deepEqual(await again.getStateMachine('m'), machine('m'));
          assert.equal(await again.commitStep(step(e.arn, 2)), true, 'the counter is durable too');
        } finally {
          await f.close();
        }
      });
    });
  });
}
