/**
 * The README's promise, through real processes and real HTTP: `switchboard start` with no app
 * serves the seed-003 food-ordering app; `createOrder` with the printed API key returns an order
 * with an id and PENDING; after `kill -9` and a restart the order is still in the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSwitchboardProcess, postGraphql } from '../support/server-process.ts';
import { openDatabase, createSqliteTableStore, tablesMigrations, eventLogMigrations, createSqliteEventLog } from '../../src/storage/index.ts';
import { createTableService } from '../../src/tables/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';

const CREATE_ORDER = {
  query: 'mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { id status products { name quantity } createdAt updatedAt } }',
  variables: { input: { products: [{ name: 'Margherita', quantity: 2 }] } },
};

test('createOrder with the printed API key survives kill -9 and restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-quickstart-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const first = await startSwitchboardProcess([], dataDir);
  const apiKey = first.credentials().apiKeys[0];
  assert.ok(apiKey?.startsWith('da2-'), 'a generated AppSync-style API key is written to credentials.json');
  assert.match(first.output(), new RegExp(`API key\\s+${apiKey}`), 'the banner prints the API key');

  const created = await postGraphql(first.url, CREATE_ORDER, { 'x-api-key': apiKey ?? '' });
  assert.equal(created.status, 200, JSON.stringify(created.json));
  const order = created.json.data.createOrder;
  assert.match(order.id, /^[0-9a-f-]{36}$/);
  assert.equal(order.status, 'PENDING');
  assert.deepEqual(order.products, [{ name: 'Margherita', quantity: 2 }]);

  await first.kill9();

  // The table, read straight from the SQLite file the killed process left behind.
  const app = await loadApp(join(REPO_ROOT, 'examples/food-ordering'));
  const db = openDatabase({ path: join(dataDir, 'switchboard.db') }, [eventLogMigrations, tablesMigrations]);
  try {
    const tables = createTableService({ store: createSqliteTableStore(db), tables: app.tables });
    const item = await tables.getItem({ table: 'orders', key: { id: order.id } });
    assert.equal(item?.status, 'PENDING');
    const events = await createSqliteEventLog(db).read('bus:default', 0, 100);
    assert.ok(events.some((e) => JSON.parse(e.payload)['detail-type'] === 'order.created'), 'order.created was appended to the bus log');
  } finally {
    db.close();
  }

  // And the restarted server serves the same data folder with the same key.
  const second = await startSwitchboardProcess([], dataDir);
  try {
    assert.equal(second.credentials().apiKeys[0], apiKey, 'the generated key is stable across restarts');
    const again = await postGraphql(second.url, CREATE_ORDER, { 'x-api-key': apiKey ?? '' });
    assert.equal(again.json.data.createOrder.status, 'PENDING');
  } finally {
    assert.equal(await second.stop(), 0, 'SIGTERM shuts down cleanly with exit code 0');
  }
});
