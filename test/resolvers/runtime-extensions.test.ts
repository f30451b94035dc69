/** `extensions.*` calls land in the request scope's `effects`, attributed to the field. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { app, code, field, openStorage, runtimeFor } from './fixtures/harness.ts';

const storage = openStorage({});
after(() => storage.close());

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function runtimeWith(typeName: string, fieldName: string, text: string) {
  const definition = app({ dataSources: { none: { name: 'none', type: 'NONE' } }, resolvers: [{ kind: 'UNIT', typeName, fieldName, dataSource: 'none', code: code(text) }] });
  return runtimeFor(definition, storage);
}

test('extensions.setSubscriptionFilter records the filter with the field path', async () => {
  const runtime = await runtimeWith(
    'Subscription',
    'onOrderUpdated',
    `import { util, extensions } from '@aws-appsync/utils';
     export function request() { return { payload: null }; }
     export function response(ctx) {
       extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: ctx.args.id } }));
       return null;
     }`,
  );
  const invocation = field('Subscription', 'onOrderUpdated', { id: 'o1' }, { path: ['onOrderUpdated'] });
  assert.equal(await runtime.resolve(invocation), null);
  assert.deepEqual(plain(invocation.scope.effects), [
    { kind: 'setSubscriptionFilter', path: ['onOrderUpdated'], filter: { filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: 'o1' }] }] } },
  ]);
});

test('extensions.setSubscriptionInvalidationFilter records the filter with the field path', async () => {
  const runtime = await runtimeWith(
    'Subscription',
    'onGroup',
    `export function request() { return {}; }
     export function response(ctx) { extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ group: { eq: 'admins' } })); return null; }`,
  );
  const invocation = field('Subscription', 'onGroup');
  await runtime.resolve(invocation);
  assert.deepEqual(plain(invocation.scope.effects), [
    { kind: 'setSubscriptionInvalidationFilter', path: ['onGroup'], filter: { filterGroup: [{ filters: [{ fieldName: 'group', operator: 'eq', value: 'admins' }] }] } },
  ]);
});

test('extensions.invalidateSubscriptions records the subscription field and payload', async () => {
  const runtime = await runtimeWith(
    'Mutation',
    'removeMember',
    `export function request(ctx) { return { payload: ctx.args }; }
     export function response(ctx) {
       extensions.invalidateSubscriptions({ subscriptionField: 'onGroup', payload: { group: ctx.result.group } });
       return true;
     }`,
  );
  const invocation = field('Mutation', 'removeMember', { group: 'admins' });
  assert.equal(await runtime.resolve(invocation), true);
  assert.deepEqual(plain(invocation.scope.effects), [{ kind: 'invalidateSubscriptions', subscriptionField: 'onGroup', payload: { group: 'admins' } }]);
});

/** `removeMany(groups)`: one invalidateSubscriptions call per group it is given. */
const invalidatesEachGroup = () =>
  runtimeWith(
    'Mutation',
    'removeMany',
    `export function request(ctx) { return { payload: ctx.args }; }
     export function response(ctx) {
       for (const group of ctx.result.groups) extensions.invalidateSubscriptions({ subscriptionField: 'onGroup', payload: { group } });
       return true;
     }`,
  );

test('extensions.invalidateSubscriptions: a sixth distinct call in one request is a field error, and the first five stand', async () => {
  const runtime = await invalidatesEachGroup();
  const five = field('Mutation', 'removeMany', { groups: ['a', 'b', 'c', 'd', 'e'] });
  assert.equal(await runtime.resolve(five), true);
  assert.equal(five.scope.effects.length, 5);

  const six = field('Mutation', 'removeMany', { groups: ['a', 'b', 'c', 'd', 'e', 'f'] });
  await assert.rejects(runtime.resolve(six), (error: { errorType?: string; message: string }) => {
    assert.equal(error.errorType, 'InvalidationLimitExceeded');
    assert.match(error.message, /at most 5 distinct extensions\.invalidateSubscriptions calls/);
    return true;
  });
  assert.deepEqual((plain(six.scope.effects) as { payload: { group: string } }[]).map((e) => e.payload.group), ['a', 'b', 'c', 'd', 'e']);
});

test('extensions.invalidateSubscriptions: a call repeated with the same field and payload does not count again', async () => {
  const runtime = await invalidatesEachGroup();
  const repeated = field('Mutation', 'removeMany', { groups: ['a', 'b', 'c', 'd', 'e', 'a', 'e', 'c'] });
  assert.equal(await runtime.resolve(repeated), true);
  assert.equal(repeated.scope.effects.length, 8);
});

test('extensions.evictFromApiCache records the type, field and keys', async () => {
  const runtime = await runtimeWith('Mutation', 'evict', `export function request() { extensions.evictFromApiCache('Query', 'getOrder', { 'ctx.args.id': 'o1' }); return {}; }`);
  const invocation = field('Mutation', 'evict');
  await runtime.resolve(invocation);
  assert.deepEqual(plain(invocation.scope.effects), [{ kind: 'evictFromApiCache', typeName: 'Query', fieldName: 'getOrder', keys: { 'ctx.args.id': 'o1' } }]);
});

test('effects of concurrent resolutions stay in their own request scope', async () => {
  const runtime = await runtimeWith(
    'Subscription',
    'onOrderUpdated',
    `export function request() { return {}; }
     export function response(ctx) { extensions.setSubscriptionFilter({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: ctx.args.id }] }] }); return null; }`,
  );
  const a = field('Subscription', 'onOrderUpdated', { id: 'a' });
  const b = field('Subscription', 'onOrderUpdated', { id: 'b' });
  await Promise.all([runtime.resolve(a), runtime.resolve(b)]);
  const valueOf = (effects: unknown) => (plain(effects) as { filter: { filterGroup: { filters: { value: string }[] }[] } }[]).map((e) => e.filter.filterGroup[0]?.filters[0]?.value);
  assert.deepEqual(valueOf(a.scope.effects), ['a']);
  assert.deepEqual(valueOf(b.scope.effects), ['b']);
});
