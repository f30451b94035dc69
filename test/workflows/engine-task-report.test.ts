/**
 * A task's outcome whose commit fails is not dropped (durable engine): the report is tried again,
 * backing off on the engine's clock, until it is applied, and the execution ends. A stop during
 * the backoff ends at once (it does not wait for the backoff, nor forever on a virtual clock);
 * the task then runs again on the next start. The store is SQLite in a temp folder whose
 * `commitStep` fails on demand, as a disk error or a writer thread's death would make it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import type { StoredStateMachine, WorkflowStore } from '../../src/storage/index.ts';
import { createWorkflowEngine, TaskFailure, type IntegrationPorts } from '../../src/workflows/index.ts';
import { tempWorkflowStore } from './temp-store.ts';

const machine: StoredStateMachine = {
  name: 'OneTask',
  definition: JSON.stringify({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', End: true } } }),
  roleArn: 'arn:aws:iam::000000000000:role/test',
  type: 'STANDARD',
  createdAt: 0,
  updatedAt: 0,
  revision: 1,
};

interface Rig {
  readonly store: WorkflowStore;
  readonly clock: VirtualClock;
  /** commitStep calls that fail from now on (Infinity: all). */
  failing: number;
  /** commitStep calls made so far. */
  commits: number;
  /** Task invocations so far. */
  invocations: number;
  engine(): ReturnType<typeof createWorkflowEngine>;
}

function rig(t: { after(fn: () => void): void }): Rig {
  const inner = tempWorkflowStore(t, 'sb-task-report-');
  const r: Rig = {
    store: {
      ...inner,
      commitStep(commit) {
        r.commits++;
        if (r.failing > 0) {
          r.failing--;
          return Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }));
        }
        return inner.commitStep(commit);
      },
    },
    clock: new VirtualClock(),
    failing: 0,
    commits: 0,
    invocations: 0,
    engine() {
      const ports: IntegrationPorts = {
        invokeFunction: async () => {
          r.invocations++;
          return { ok: true };
        },
        putEvents: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no bus here')),
        startExecution: () => Promise.reject(new TaskFailure('States.TaskFailed', 'no child executions here')),
      };
      return createWorkflowEngine({ store: r.store, clock: r.clock, logger: silentLogger, ports, scope: () => ({ region: 'us-east-1', accountId: '000000000000' }) });
    },
  };
  return r;
}

/** Lets promise chains and the store's I/O run until `check` holds (real time, bounded). */
async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
}

test('a task outcome whose commit fails is tried again, backing off, until it is applied; the execution ends once', async (t) => {
  const r = rig(t);
  const engine = r.engine();
  t.after(() => engine.stop());
  await engine.start();
  r.failing = 3;
  const started = await engine.startExecution(machine, { name: 'e1', input: '{"n":1}' });
  await until('the first failed report', () => r.commits === 1);
  // Backoff 250, 500, 1,000 ms: nothing is tried again before its time.
  await r.clock.advance(249);
  await until('a quiet moment', () => true);
  assert.equal(r.commits, 1);
  await r.clock.advance(1);
  await until('the second try', () => r.commits === 2);
  await r.clock.advance(500);
  await until('the third try', () => r.commits === 3);
  await r.clock.advance(1000);
  const ended = await engine.awaitCompletion(started.arn);
  assert.equal(ended.status, 'SUCCEEDED');
  assert.equal(ended.output, '{"ok":true}');
  assert.equal(r.invocations, 1, 'the task ran once: its outcome was kept, not the task run again');
  assert.equal(r.commits, 4);
});

test('a stop during the backoff ends at once; the next start runs the task again and the execution ends', async (t) => {
  const r = rig(t);
  const first = r.engine();
  await first.start();
  r.failing = Infinity;
  const started = await first.startExecution(machine, { name: 'e2', input: '{"n":2}' });
  await until('a failed report', () => r.commits >= 1);
  await first.stop(); // the virtual clock never moves: a stop that waited for the backoff would hang here
  assert.equal((await r.store.getExecution(started.arn))?.status, 'RUNNING');
  r.failing = 0;
  const second = r.engine();
  t.after(() => second.stop());
  await second.start();
  const ended = await second.awaitCompletion(started.arn);
  assert.equal(ended.status, 'SUCCEEDED');
  assert.equal(r.invocations, 2, 'at least once: the task ran again on the next start');
});
