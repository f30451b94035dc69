/**
 * The dispatcher sees rule and target changes without a restart (the store's configVersion).
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { APPSYNC_TARGET, OK, orderRule, removeDir, startHarness, tempDir, type Harness } from './delivery-support.ts';

let dir: string;
let h: Harness | undefined;
beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  removeDir(dir);
});

test('a rule added, disabled or stripped of its targets applies to the next event', async () => {
  h = await startHarness(dir, () => OK);
  await h.emit('order.updated');
  assert.equal(h.calls.length, 0, 'no rule yet');
  await orderRule(h.store, APPSYNC_TARGET);
  await h.emit('order.updated');
  assert.equal(h.calls.length, 1, 'the new rule matched');
  await h.store.setRuleState('default', 'orders', 'DISABLED', Date.now());
  await h.emit('order.updated');
  assert.equal(h.calls.length, 1, 'the disabled rule did not match');
  await h.store.setRuleState('default', 'orders', 'ENABLED', Date.now());
  await h.store.removeTargets('default', 'orders', ['t1']);
  await h.emit('order.updated');
  assert.equal(h.calls.length, 1, 'a rule without targets delivers nothing');
});
