/**
 * A committed table write and its change event survive `kill -9` together: the real
 * `switchboard start` process acknowledges the mutations, is killed with SIGKILL (no shutdown hook
 * runs), and every acknowledged item has its change event on the bus in the SQLite file it left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventLog, createSqliteTableStore, eventLogMigrations, openDatabase, tablesMigrations } from '../../src/storage/index.ts';
import { postGraphql, REPO_ROOT, startSwitchboardProcess } from '../support/server-process.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/order-changes');

test('acknowledged writes and their change events survive kill -9 together', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-changes-kill-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const proc = await startSwitchboardProcess([APP], dataDir);
  const ids = Array.from({ length: 20 }, (_, i) => `k-${i}`);
  try {
    const apiKey = proc.credentials().apiKeys[0] ?? '';
    // Concurrent requests: their writes share group commits.
    const answers = await Promise.all(
      ids.map((id) => postGraphql(proc.url, { query: 'mutation($id: ID!) { putOrder(id: $id, item: "x") { id } }', variables: { id } }, { 'x-api-key': apiKey })),
    );
    assert.deepEqual(answers.map((a) => a.json.data?.putOrder?.id), ids);
  } finally {
    await proc.kill9();
  }

  const db = openDatabase({ path: join(dataDir, 'switchboard.db') }, [eventLogMigrations, tablesMigrations]);
  try {
    const store = createSqliteTableStore(db);
    for (const id of ids) assert.ok((await store.get({ table: 'orders', pk: id, sk: null })) !== undefined, `item ${id} is kept`);
    const events = (await createSqliteEventLog(db).read('bus:default', 0, 1000)).map((r) => JSON.parse(r.payload));
    const inserted = events.filter((e) => e.source === 'Pipe orders-changes' && e.detail.eventName === 'INSERT').map((e) => e.detail.dynamodb.Keys.id.S);
    assert.deepEqual([...inserted].sort(), [...ids].sort());
  } finally {
    db.close();
  }
});
