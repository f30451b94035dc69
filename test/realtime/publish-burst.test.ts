/**
 * A burst of publishes to one topic is written in batches (not one commit each), keeps offset
 * order, and a stop right after it drains every accepted publish before closing the database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard } from '../../src/server/index.ts';
import { openDatabase, eventLogMigrations, tablesMigrations, createSqliteEventLog } from '../../src/storage/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';

test('1,000 concurrent publishes then stop: all durable, in order, no error logged', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-burst-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
  const app = await loadApp(join(REPO_ROOT, 'examples/food-ordering'));
  const server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger });
  const seen: number[] = [];
  await server.realtime.subscribe({ query: 'subscription { onOrderUpdated(id: "b") { updatedAt } }', variables: null, operationName: null }, { auth: { mode: 'API_KEY', identity: null }, headers: {}, domainName: null }, {
    deliver: (_json, offset) => seen.push(offset),
    invalidated: () => {},
    resyncRequired: () => {},
  });
  const publishes = Array.from({ length: 1000 }, (_, i) => server.realtime.publish('onOrderUpdated', { id: 'b', status: 'PAID', updatedAt: `2026-11-25T10:00:00.${String(i).padStart(3, '0')}Z` }));
  await server.stop();
  assert.equal((await Promise.all(publishes)).reduce((a, b) => a + b, 0), 1000, 'every publish was delivered');
  assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i + 1), 'offsets 1..1000, in order');
  assert.deepEqual(lines, [], 'nothing went wrong at shutdown');
  const db = openDatabase({ path: join(dataDir, 'switchboard.db') }, [eventLogMigrations, tablesMigrations]);
  try {
    const log = createSqliteEventLog(db);
    assert.equal(await log.head('sub:onOrderUpdated'), 1000);
  } finally {
    db.close();
  }
});
