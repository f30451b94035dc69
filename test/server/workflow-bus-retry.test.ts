/**
 * The workflows wiring repeats a putEvents task's call to our own bus while the bus answers an
 * internal failure, and stops repeating once the engine is stopping: stop does not wait out the
 * retry window, and the task stays pending (the execution is still RUNNING) for the next start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations } from '../../src/storage/index.ts';
import { awsJsonError } from '../../src/bus/api/aws-json-error.ts';
import { createWorkflows } from '../../src/server/workflows.ts';
import type { AppDefinition } from '../../src/app/index.ts';
import type { TableService } from '../../src/tables/index.ts';
import type { FunctionLoader } from '../../src/server/app-functions.ts';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('an internal failure of our own bus is repeated until the engine stops; then stop ends within one delay and the task stays pending', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-bus-retry-'));
  const db = openDatabase({ path: join(dir, 'switchboard.db') }, [workflowMigrations]);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = new VirtualClock();
  let calls = 0;
  const workflows = createWorkflows({
    store: createSqliteWorkflowStore(db),
    app: () => ({ region: 'us-east-1' }) as unknown as AppDefinition,
    tables: () => ({}) as TableService,
    clock,
    logger: silentLogger,
    busApi: {
      async handle() {
        calls++;
        return awsJsonError(500, 'InternalException', 'the event log is unreachable');
      },
    },
    functions: {} as FunctionLoader,
  });
  await workflows.engine.start();
  const definition = JSON.stringify({ StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'test', DetailType: 'x', Detail: {} }] }, End: true } } });
  const machine = { name: 'Put', definition, roleArn: 'arn:aws:iam::000000000000:role/test', type: 'STANDARD' as const, createdAt: 0, updatedAt: 0, revision: 1 };
  const { arn: executionArn } = await workflows.engine.startExecution(machine, { input: '{}' });

  // Retries at 250, 750, 1,750 ms...
  for (let i = 0; i < 20 && calls < 3; i++) {
    await turn();
    await clock.advance(250);
  }
  assert.ok(calls >= 3, `the call was repeated (${calls} calls)`);
  assert.equal(workflows.engine.stopping(), false);

  const stopped = workflows.engine.stop();
  assert.equal(workflows.engine.stopping(), true);
  const callsAtStop = calls;
  let done = false;
  void stopped.then(() => (done = true));
  // One delay (at most 5 s) is the longest stop may wait; the 60 s window is never waited out.
  for (let waited = 0; waited <= 5_000 && !done; waited += 250) {
    await turn();
    await clock.advance(250);
  }
  await turn();
  assert.equal(done, true, 'stop ended within one retry delay');
  assert.ok(calls <= callsAtStop + 1, 'at most the attempt already waiting ran after stop');
  const execution = await workflows.engine.getExecution(executionArn);
  assert.equal(execution?.status, 'RUNNING', 'the task stays pending for the next start, the execution does not fail');
});
