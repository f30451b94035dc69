/** NONE: `ctx.result` is the request's `payload` (AppSync's local resolver). */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openStorage } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

const none = storage.dataSource({ name: 'none', type: 'NONE' });
const call = { auth: { mode: 'API_KEY', identity: null }, typeName: 'Mutation', fieldName: 'notify' } as const;

test('NONE returns the payload of the request', async () => {
  assert.deepEqual(await none.invoke({ payload: { id: 'o1', status: 'PAID' } }, call), { id: 'o1', status: 'PAID' });
  assert.equal(await none.invoke({ payload: 0 }, call), 0);
  assert.equal(await none.invoke({ payload: false }, call), false);
});

test('NONE returns null without a payload', async () => {
  assert.equal(await none.invoke({}, call), null);
  assert.equal(await none.invoke(null, call), null);
  assert.equal(await none.invoke('not an object', call), null);
});
