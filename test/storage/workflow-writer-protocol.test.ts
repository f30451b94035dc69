/**
 * The writer thread's flat encoding of jobs (`src/storage/sqlite/workflow-writer-protocol.ts`):
 * what `JobEncoder` flattens, `decodeJobs` rebuilds as it was, through a real structured clone:
 * steps and new executions with and without their optional fields (a null error stays null, an
 * absent one absent), timers, tasks with and without a token, and the writes that travel as they are.
 * A definition's text goes to a thread once; after a new thread, once again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJobs, JobEncoder, type WriterJob } from '../../src/storage/sqlite/workflow-writer-protocol.ts';
import { execution, firstStep, step } from './contract/workflow-store-contract.ts';

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:m:e';

test('jobs flattened by JobEncoder come back from decodeJobs as they were, after a structured clone', () => {
  const e = execution('m', 'e', { input: '{"big":"input"}', startedAt: 77, redriveCount: 2 });
  const jobs: WriterJob[] = [
    ['createExecution', e, firstStep(e)],
    ['commitStep', step(ARN, 2)],
    ['commitStep', step(ARN, 3, {
      status: 'FAILED', output: '{"o":1}', error: null, cause: 'why', stoppedAt: 9, redriveCount: 1,
      addTimers: [{ execution: ARN, timerId: 't1', dueAt: 100 }, { execution: ARN, timerId: 't2', dueAt: 200 }],
      removeTimers: ['t0'],
      addTasks: [{ execution: ARN, taskId: 'k1', invocation: '{"i":1}', token: 'tok' }, { execution: ARN, taskId: 'k2', invocation: '{"i":2}' }],
      removeTasks: ['k0', 'k00'],
    }, 3)],
    ['commitStep', step(ARN, 6, { status: 'FAILED', error: 'E' }, 0)],
    ['createStateMachine', { name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD', createdAt: 1, updatedAt: 1, revision: 1 }],
    ['updateStateMachine', 'm', { roleArn: 'x' }, 5],
    ['deleteStateMachine', 'm'],
    ['deleteClosedExecutions', 10, 20],
  ];
  const encoder = new JobEncoder();
  for (const job of jobs) encoder.add(job);
  const sent = structuredClone(encoder.take());
  assert.ok(sent.jobs.every((v) => v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)), 'steps travel as strings and numbers');
  const decoded = decodeJobs(sent, []);
  // A new execution's status, state and next event id are its first step's.
  const expected = jobs.map((job) => (job[0] === 'createExecution' ? ['createExecution', { ...job[1], status: job[2].status, state: job[2].state, nextEventId: job[2].nextEventId }, job[2]] : job));
  assert.deepEqual(decoded, expected);
  assert.equal('error' in (decoded[1] as [string, object])[1], false, 'an absent error stays absent');
  assert.equal(((decoded[2] as ['commitStep', { error: unknown }])[1]).error, null, 'a null error stays null');
  assert.deepEqual(encoder.take(), { jobs: [], definitions: [] }, 'take starts the next message empty');
});

test('a definition text goes to the thread once, in the first message that uses it; a new thread gets it again', () => {
  const encoder = new JobEncoder();
  const threadTexts: string[] = [];
  const start = (name: string, definition: string): WriterJob => {
    const e = execution('m', name, { definition });
    return ['createExecution', e, firstStep(e)];
  };
  const definitionOf = (job: WriterJob | undefined): unknown => (job?.[0] === 'createExecution' ? job[1].definition : undefined);
  const big = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 'x'.repeat(10_000), End: true } } });

  encoder.add(start('a', big));
  encoder.add(start('b', big));
  const first = structuredClone(encoder.take());
  assert.equal(first.definitions.filter((v) => v === big).length, 1, 'sent once for two executions');
  assert.equal(first.jobs.includes(big), false, 'the jobs refer to it by number');
  assert.deepEqual(decodeJobs(first, threadTexts).map(definitionOf), [big, big]);

  encoder.add(start('c', big));
  encoder.add(start('d', '{"other":1}'));
  const second = structuredClone(encoder.take());
  assert.deepEqual(second.definitions.filter((v) => typeof v === 'string'), ['{"other":1}'], 'only the text the thread lacks');
  assert.deepEqual(decodeJobs(second, threadTexts).map(definitionOf), [big, '{"other":1}']);

  encoder.newThread();
  encoder.add(start('e', big));
  const fresh: string[] = [];
  assert.deepEqual(decodeJobs(structuredClone(encoder.take()), fresh).map(definitionOf), [big], 'a new thread gets the text again');
  assert.throws(() => decodeJobs({ jobs: first.jobs, definitions: [] }, []), /definition 0 was never sent/);
});
