/**
 * Rule (issue 5, durability): task tokens are stored rows. A callback task started before a
 * restart is completed after it by SendTaskSuccess with the token sent before, on a new engine
 * over the same database file opened again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type StoredStateMachine } from '../../src/storage/index.ts';
import { createWorkflowEngine, TaskFailure, type IntegrationPorts } from '../../src/workflows/index.ts';

const machine: StoredStateMachine = {
  name: 'Approval',
  definition: JSON.stringify({
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
        Parameters: { Entries: [{ Source: 'test', DetailType: 'approval.requested', Detail: { 'token.$': '$$.Task.Token' } }] },
        End: true,
      },
    },
  }),
  roleArn: 'arn:aws:iam::000000000000:role/test',
  type: 'STANDARD',
  createdAt: 0,
  updatedAt: 0,
  revision: 1,
};

test('a task token sent before a restart completes its task after it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-token-restart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'workflows.db');
  const clock = new VirtualClock(Date.parse('2026-12-06T10:00:00.000Z'));
  const tokens: string[] = [];
  const fail = () => Promise.reject(new TaskFailure('States.TaskFailed', 'none'));
  const ports: IntegrationPorts = {
    putEvents: async (entries) => {
      for (const entry of entries) {
        const detail = (entry as { Detail: unknown }).Detail;
        tokens.push((typeof detail === 'string' ? JSON.parse(detail) : detail).token);
      }
      return { Entries: entries.map(() => ({ EventId: 'e' })), FailedEntryCount: 0 };
    },
    invokeFunction: fail,
    startExecution: fail,
  };
  const scope = () => ({ region: 'us-east-1', accountId: '000000000000' });

  const firstDb = openDatabase({ path }, [workflowMigrations]);
  const first = createWorkflowEngine({ store: createSqliteWorkflowStore(firstDb), clock, logger: silentLogger, ports, scope });
  await first.start();
  const { arn } = await first.startExecution(machine, { name: 'order-1', input: '{}' });
  await first.settle();
  await first.stop();
  firstDb.close();
  const token = tokens[0];
  assert.ok(token !== undefined, 'the callback was sent before the restart');

  const secondDb = openDatabase({ path }, [workflowMigrations]);
  t.after(() => secondDb.close());
  const store = createSqliteWorkflowStore(secondDb);
  const second = createWorkflowEngine({ store, clock, logger: silentLogger, ports, scope });
  t.after(() => second.stop());
  await second.start();
  await second.settle();
  assert.equal((await store.getExecution(arn))?.status, 'RUNNING', 'still waiting for its token');
  assert.equal(await second.sendTaskResult(token, { output: { approved: true } }), true);
  await second.settle();
  const done = await store.getExecution(arn);
  assert.equal(done?.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(done?.output ?? 'null'), { approved: true });
});
