/**
 * WAL checkpoints run on the checkpoint thread, not in the writer's COMMIT
 * (src/storage/sqlite/background-checkpoints.ts): the writer's own automatic checkpoint is moved
 * far out, yet committed pages still reach the database file while the writer keeps going.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type SqliteDb } from '../../src/storage/index.ts';
import { SAFETY_NET_PAGES } from '../../src/storage/sqlite/background-checkpoints.ts';

let dir: string;
let db: SqliteDb;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-checkpoints-'));
  db = openDatabase({ path: join(dir, 'data.db') }, [eventLogMigrations]);
});
after(async () => {
  await writeBatcherFor(db).drain();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('committed pages reach the database file by a checkpoint the writer did not run', async () => {
  const log = createSqliteEventLog(db);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), SAFETY_NET_PAGES, 'the writer checkpoints only as a safety net');
  const file = join(dir, 'data.db');
  const sizeBefore = statSync(file).size;
  const payload = JSON.stringify({ pad: 'x'.repeat(20_000) });
  // ~3 MB over 150 commits: far below the safety net, so only the thread can copy it back.
  for (let i = 0; i < 150; i++) await log.append('bus:default', [{ id: `e${i}`, time: i, payload }]);
  const until = Date.now() + 10_000;
  while (statSync(file).size < sizeBefore + 2_000_000 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(statSync(file).size >= sizeBefore + 2_000_000, `the database file grew from ${sizeBefore} to ${statSync(file).size} bytes`);
  assert.equal((await log.read('bus:default', 149, 1))[0]?.id, 'e149');
});

/** Paths under `folder` this process (every thread shares its descriptors) has open; Linux only. */
function openFilesUnder(folder: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(folder)) open.push(target);
    } catch {
      // Closed while listing.
    }
  }
  return open;
}

test('once the writer closes the database, no thread of this process holds it open', { skip: process.platform !== 'linux' && 'reads /proc/self/fd' }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'sb-checkpoints-close-'));
  try {
    const own = openDatabase({ path: join(folder, 'data.db') }, [eventLogMigrations]);
    const log = createSqliteEventLog(own);
    // Separate commits, so the thread gets checkpoint requests and opens its own connection.
    for (let i = 0; i < 20; i++) {
      await log.append('bus:default', [{ id: `e${i}`, time: i, payload: '{}' }]);
      await new Promise((r) => setTimeout(r, 15));
    }
    await writeBatcherFor(own).close();
    own.close();
    assert.deepEqual(openFilesUnder(folder), [], 'the checkpoint thread closed its connection before close() resolved');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('an in-memory database has no WAL and no checkpoint thread', () => {
  const memory = openDatabase({ path: ':memory:' }, [eventLogMigrations]);
  try {
    writeBatcherFor(memory);
    assert.notEqual(memory.pragma('wal_autocheckpoint', { simple: true }), SAFETY_NET_PAGES);
  } finally {
    memory.close();
  }
});
