/**
 * Identical subscriptions share one preparation (`PreparedSubscriptions`, src/graphql/subscription.ts):
 * the same document, operation, variables and auth shape give the same prepared subscription,
 * without coercing or projecting again; anything different prepares anew; the field's
 * authorization is checked for every subscriber; a field with a subscription resolver is prepared
 * (and its resolver run) for every subscriber.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAppSchema, PreparedSubscriptions, type PreparedSubscription } from '../../src/graphql/index.ts';
import { API_KEY, IAM, META, service } from './harness.ts';

const SDL = `
type Order @aws_api_key @aws_iam { id: ID! status: String }
type Query { order(id: ID!): Order }
type Mutation { update(id: ID!): Order }
type Subscription {
  onUpdate(id: ID): Order @aws_subscribe(mutations: ["update"]) @aws_api_key
  onResolved(id: ID): Order @aws_subscribe(mutations: ["update"]) @aws_api_key
}`;
const ON_UPDATE = 'subscription ($id: ID) { onUpdate(id: $id) { id status } }';

function setup() {
  return service({ schema: buildAppSchema(SDL, 'schema.graphql'), resolvers: { 'Subscription.onResolved': () => null }, additionalModes: ['AWS_IAM'] });
}

async function prepared(svc: ReturnType<typeof setup>, query: string, variables: Record<string, unknown>, auth = API_KEY): Promise<PreparedSubscription> {
  const outcome = await svc.subscribe({ query, variables, operationName: null }, { ...META, auth });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.subscription;
}

test('identical subscriptions (document, variables, auth shape) share one prepared subscription', async () => {
  const svc = setup();
  const first = await prepared(svc, ON_UPDATE, { id: 'o-1' });
  const second = await prepared(svc, ON_UPDATE, { id: 'o-1' });
  assert.equal(second, first);
  assert.deepEqual(second.args, { id: 'o-1' });
  assert.equal(JSON.stringify(await second.project({ id: 'o-1', status: 'PAID', extra: 1 })), '{"data":{"onUpdate":{"id":"o-1","status":"PAID"}}}');
});

test('other variables, an explicit null, another selection or another auth shape prepare anew', async () => {
  const svc = setup();
  const base = await prepared(svc, ON_UPDATE, { id: 'o-1' });
  const other = await prepared(svc, ON_UPDATE, { id: 'o-2' });
  const nulled = await prepared(svc, ON_UPDATE, { id: null });
  const selection = await prepared(svc, 'subscription ($id: ID) { onUpdate(id: $id) { id } }', { id: 'o-1' });
  assert.equal(new Set([base, other, nulled, selection]).size, 4);
  assert.deepEqual(other.args, { id: 'o-2' });
  assert.deepEqual([...nulled.explicitNull], ['id'], 'an explicit null is kept apart from an omitted argument');
  assert.deepEqual([...base.explicitNull], []);
});

test('a shared preparation is refused to an identity the field does not allow', async () => {
  const svc = setup();
  await prepared(svc, ON_UPDATE, { id: 'o-1' });
  const refused = await svc.subscribe({ query: ON_UPDATE, variables: { id: 'o-1' }, operationName: null }, { ...META, auth: IAM });
  assert.deepEqual(refused, { ok: false, errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onUpdate on type Subscription' }] });
  assert.equal((await prepared(svc, ON_UPDATE, { id: 'o-1' })).fieldName, 'onUpdate', 'and the allowed one still gets it');
});

test('a field with a subscription resolver is prepared for every subscriber, its resolver run each time', async () => {
  const svc = setup();
  const query = 'subscription ($id: ID) { onResolved(id: $id) { id } }';
  const first = await prepared(svc, query, { id: 'o-1' });
  const second = await prepared(svc, query, { id: 'o-1' });
  assert.notEqual(second, first);
  assert.equal(svc.runtime.calls.filter((c) => c.fieldName === 'onResolved').length, 2);
});

test('the shared preparations are bounded: the oldest goes first', () => {
  const cache = new PreparedSubscriptions(2);
  const entry = (shapeKey: string) => ({ shapeKey, fieldName: 'f', args: {}, explicitNull: new Set<string>(), effects: [], project: async () => ({ data: null }) });
  const [a, b, c] = [entry('a'), entry('b'), entry('c')];
  cache.set(a);
  cache.set(b);
  cache.set(c);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('b'), b);
  assert.equal(cache.get('c'), c);
});
