/**
 * The writer thread's flat encoding of jobs (`src/storage/sqlite/workflow-writer-protocol.ts`):
 * what `JobEncoder` flattens, `decodeJobs` rebuilds as it was, through a real structured clone:
 * steps and new executions with and without their optional fields (a null error stays null, an
 * absent one absent), timers, tasks with and without a token, and the writes that travel as they are.
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
  assert.ok(sent.every((v) => v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)), 'steps travel as strings and numbers');
  const decoded = decodeJobs(sent);
  // A new execution's status, state and next event id are its first step's.
  const expected = jobs.map((job) => (job[0] === 'createExecution' ? ['createExecution', { ...job[1], status: job[2].status, state: job[2].state, nextEventId: job[2].nextEventId }, job[2]] : job));
  assert.deepEqual(decoded, expected);
  assert.equal('error' in (decoded[1] as [string, object])[1], false, 'an absent error stays absent');
  assert.equal(((decoded[2] as ['commitStep', { error: unknown }])[1]).error, null, 'a null error stays null');
  assert.deepEqual(encoder.take(), [], 'take starts the next message empty');
});
