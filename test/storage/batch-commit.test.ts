/**
 * The transaction of a batch of writes (`createBatchCommit`, src/storage/sqlite/write-batcher.ts):
 * one commit for all of a batch's jobs, a job that throws rolled back alone, and with
 * `rerunnable` jobs the batch that had a throwing job run again with a savepoint per job, so that
 * the other jobs' writes are committed exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/storage/index.ts';
import { createBatchCommit } from '../../src/storage/sqlite/write-batcher.ts';

function database() {
  const db = openDatabase({ path: ':memory:' }, []);
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  const add = db.prepare('INSERT INTO t (k, n) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = n + 1');
  const rows = () => db.prepare<[], { k: string; n: number }>('SELECT k, n FROM t ORDER BY k').all();
  return { db, add, rows };
}

for (const rerunnable of [false, true]) {
  test(`a job that throws is refused alone; the others are committed once (rerunnable: ${rerunnable})`, () => {
    const { db, add, rows } = database();
    const batch = createBatchCommit(db, { rerunnable });
    let runs = 0;
    const outcomes = batch.run([
      () => {
        runs++;
        add.run('a');
        return 'a';
      },
      () => {
        add.run('b');
        throw new Error('no');
      },
      () => add.run('c').changes,
    ]);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, false, true]);
    assert.equal(outcomes[0]?.ok === true && outcomes[0].value, 'a');
    assert.deepEqual(rows(), [{ k: 'a', n: 1 }, { k: 'c', n: 1 }], 'the refused job wrote nothing; the others once each');
    assert.equal(runs, rerunnable ? 2 : 1, 'rerunnable: the batch ran whole, then again with savepoints');
    assert.equal(db.inTransaction, false);
    db.close();
  });
}

test('a rerunnable batch with no job throwing runs once, in one transaction', () => {
  const { db, add, rows } = database();
  const batch = createBatchCommit(db, { rerunnable: true });
  let runs = 0;
  const outcomes = batch.run(['x', 'y', 'z'].map((k) => () => {
    runs++;
    return add.run(k).changes;
  }));
  assert.deepEqual(outcomes, [1, 1, 1].map((value) => ({ ok: true, value })));
  assert.equal(runs, 3);
  assert.deepEqual(rows().map((r) => r.n), [1, 1, 1]);
  db.close();
});
