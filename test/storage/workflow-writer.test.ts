/**
 * The workflow store's writer thread (`src/storage/sqlite/workflow-writer.ts`): writes are answered
 * in the order they were made, a failing write is refused alone with SQLite's code while the ones
 * committed with it stand, a thread's death fails the writes waiting for it and the next write
 * starts a new one, `close` waits for the writes made before it, and a thread with nothing
 * to do does not keep the process alive. The store's contract runs against it in
 * contract-sqlite.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { openThreadedSqliteWorkflowStore } from '../../src/storage/index.ts';
import { execution, firstStep, step } from './contract/workflow-store-contract.ts';
import { REPO_ROOT } from '../support/server-process.ts';

function folder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-writer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('writes made in one turn are answered in the order they were made, over several messages to the thread', async (t) => {
  const store = openThreadedSqliteWorkflowStore({ path: join(folder(t), 'workflows.db') });
  t.after(() => store.close());
  const order: number[] = [];
  // More than one group of writes (the store sends them to the thread in groups of 48).
  await Promise.all(
    Array.from({ length: 120 }, (_, i) => {
      const e = execution('m', `e${i}`);
      return store.createExecution(e, firstStep(e)).then((outcome) => {
        assert.equal(outcome, 'created');
        order.push(i);
      });
    }),
  );
  assert.deepEqual(order, Array.from({ length: 120 }, (_, i) => i));
  assert.equal((await store.listExecutions({ machine: 'm', limit: 200 })).length, 120, 'read back on the store\'s own connection');
});

test('a write that fails is refused alone, with SQLite\'s error code; the writes committed with it stand', async (t) => {
  const store = openThreadedSqliteWorkflowStore({ path: join(folder(t), 'workflows.db') });
  t.after(() => store.close());
  const a = execution('m', 'a');
  const b = execution('m', 'b');
  await store.createExecution(a, firstStep(a));
  await store.createExecution(b, firstStep(b));
  // Same turn: a valid step of `a`, a step of `b` that repeats history event 1 (a unique key).
  const good = store.commitStep(step(a.arn, 2));
  const bad = store.commitStep({ ...step(b.arn, 2), history: { firstId: 1, lastId: 1, text: 'again' } });
  assert.equal(await good, true);
  await assert.rejects(bad, (error: Error & { code?: string }) => error.code === 'SQLITE_CONSTRAINT_UNIQUE');
  assert.equal((await store.getExecution(a.arn))?.nextEventId, 3);
  assert.equal((await store.getExecution(b.arn))?.nextEventId, 2, 'the refused step changed nothing');
  assert.deepEqual((await store.history(b.arn, { limit: 10 })).map((e) => e.text), ['started']);
});

test('when the thread dies, the writes waiting for it fail and the next write starts a new thread', async (t) => {
  const threads: Worker[] = [];
  const store = openThreadedSqliteWorkflowStore({ path: join(folder(t), 'workflows.db'), onThread: (w) => threads.push(w) });
  t.after(() => store.close());
  const a = execution('m', 'a');
  assert.equal(await store.createExecution(a, firstStep(a)), 'created');
  assert.equal(threads.length, 1);
  // The thread is ending when these writes are made (20: a group sent at once, the rest at the
  // end of the turn): it never answers them.
  const ending = (threads[0] as Worker).terminate();
  const waiting = Array.from({ length: 20 }, (_, i) => {
    const e = execution('m', `lost${i}`);
    return store.createExecution(e, firstStep(e));
  });
  await ending;
  const outcomes = await Promise.allSettled(waiting);
  assert.ok(outcomes.every((o) => o.status === 'rejected' && /writer thread exited/.test(String(o.reason))), 'every waiting write failed');
  // The next write runs on a new thread; what was committed before stands.
  assert.equal(await store.commitStep(step(a.arn, 2)), true);
  assert.equal(threads.length, 2);
  const b = execution('m', 'b');
  assert.equal(await store.createExecution(b, firstStep(b)), 'created', 'the new thread gets the definition the old one had');
  assert.equal((await store.getExecution(a.arn))?.nextEventId, 3);
  await store.drain();
});

test('close waits for the writes made before it; a write after it is refused; nothing keeps the file open', async (t) => {
  const dir = folder(t);
  const path = join(dir, 'workflows.db');
  const store = openThreadedSqliteWorkflowStore({ path });
  const e = execution('m', 'last');
  const created = store.createExecution(e, firstStep(e));
  await store.close();
  assert.equal(await created, 'created');
  await assert.rejects(store.commitStep(step(e.arn, 2)), /closed/);
  // Both connections are closed: SQLite removed the WAL with the last one.
  assert.equal(existsSync(`${path}-wal`), false);
  const again = openThreadedSqliteWorkflowStore({ path });
  t.after(() => again.close());
  assert.equal((await again.getExecution(e.arn))?.status, 'RUNNING');
});

test('a writer thread with nothing to do does not keep the process alive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wf-writer-'));
  try {
    const script = join(dir, 'child.mts');
    writeFileSync(script, `
      import { openThreadedSqliteWorkflowStore } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'src/storage/index.ts')).href)};
      const store = openThreadedSqliteWorkflowStore({ path: ${JSON.stringify(join(dir, 'workflows.db'))} });
      await store.createStateMachine({ name: 'm', definition: '{}', roleArn: 'r', type: 'STANDARD', createdAt: 1, updatedAt: 1, revision: 1 });
      console.log('written');
      // No close: the process must still end.
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      // A hang guard, not a timing check: the process ends at once or never.
      const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (c) => {
        clearTimeout(guard);
        resolve(c);
      });
    });
    assert.equal(out.trim(), 'written');
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
