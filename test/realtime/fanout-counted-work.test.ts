/**
 * Counted work, not time: one event to 5,000 subscribers in 3 distinct (selection, variables,
 * filter) groups runs GraphQL execution 3 times, and every subscriber of a group gets the same
 * bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard } from '../../src/server/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';

test('one event to 5,000 subscribers in 3 groups runs GraphQL execution 3 times', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-fanout-'));
  const app = await loadApp(join(REPO_ROOT, 'examples/food-ordering'));
  const server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger });
  t.after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const auth = { mode: 'API_KEY' as const, identity: null };
  const shapes = [
    'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status } }',
    'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }',
    'subscription ($id: ID!) { onOrderUpdated(id: $id) { status } }',
  ];
  const received = shapes.map(() => new Map<string, number>());
  for (let i = 0; i < 5000; i++) {
    const shape = i % 3;
    const outcome = await server.realtime.subscribe({ query: shapes[shape] as string, variables: { id: 'order-1' }, operationName: null }, { auth, headers: {}, domainName: null }, {
      deliver: (json) => received[shape]?.set(json, (received[shape]?.get(json) ?? 0) + 1),
      invalidated: () => {},
      resyncRequired: () => {},
    });
    assert.ok(outcome.ok);
  }
  // A fourth group whose filter does not match costs no execution.
  await server.realtime.subscribe({ query: shapes[0] as string, variables: { id: 'order-2' }, operationName: null }, { auth, headers: {}, domainName: null }, { deliver: () => assert.fail('filtered out'), invalidated: () => {}, resyncRequired: () => {} });

  const before = server.realtime.stats.executions;
  const delivered = await server.realtime.publish('onOrderUpdated', { id: 'order-1', status: 'PAID', updatedAt: '2026-11-25T10:00:00.000Z' });
  assert.equal(server.realtime.stats.executions - before, 3);
  assert.equal(delivered, 5000);
  assert.deepEqual(received.map((m) => [...m.values()]), [[1667], [1667], [1666]], 'each group received one identical text');
  assert.deepEqual(JSON.parse([...(received[2]?.keys() ?? [])][0] ?? ''), { data: { onOrderUpdated: { status: 'PAID' } } });
});
