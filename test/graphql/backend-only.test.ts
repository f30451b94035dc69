/**
 * Backend-only root fields (`api.backendOnly`): the pass-through mutation a back end calls to
 * trigger subscriptions is absent from the schema every other caller sees (introspection and
 * validation), and types only it reached go with it; the back end (SigV4 with a configured access
 * key, the bus's AppSync targets) sees and calls it, and its subscribers still get the result.
 * The food-ordering example hides seed 003's `notifyOrderUpdated`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildAppSchema } from '../../src/graphql/index.ts';
import { isBackendCaller, publicSchemaOf } from '../../src/graphql/backend-only.ts';
import { EVENTBRIDGE_TARGET_AUTH } from '../../src/bus/delivery/index.ts';
import { isSwitchboardError, silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard } from '../../src/server/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';

const SDL = `
interface Node { id: ID! }
type Item implements Node @aws_api_key @aws_iam { id: ID! name: String }
type Secret implements Node { id: ID! }
type Audit { at: AWSDateTime! }
input ItemInput { name: String }
input SecretInput { note: String nested: SecretNested }
input SecretNested { deep: Int }
type Query { item(id: ID!): Item node(id: ID!): Node }
type Mutation {
  addItem(input: ItemInput!): Item
  notifyItem(input: SecretInput!): Item @aws_iam
  audit: Audit @aws_iam
}
type Subscription { onItem: Item @aws_subscribe(mutations: ["addItem", "notifyItem"]) }
`;

describe('the public schema without backend-only fields (unit)', () => {
  const full = buildAppSchema(SDL, 'schema.graphql');

  test('a hidden root field is gone, with the input and output types only it reached', () => {
    const open = publicSchemaOf(full, ['Mutation.notifyItem', 'Mutation.audit'], 'where');
    assert.deepEqual(Object.keys(open.getMutationType()?.getFields() ?? {}), ['addItem']);
    for (const gone of ['SecretInput', 'SecretNested', 'Audit']) assert.equal(open.getType(gone), undefined, `${gone} must be hidden`);
    for (const kept of ['Item', 'ItemInput', 'Node', 'Query', 'Subscription']) assert.ok(open.getType(kept), `${kept} must stay`);
    assert.ok(!printSchema(open).includes('notifyItem('), 'the field must not be printed');
    // Still triggers: the subscription's directive keeps naming it (the full schema executes it).
    assert.match(printSchema(full), /notifyItem/);
  });

  test('an interface keeps all its implementations, reachable or not', () => {
    const open = publicSchemaOf(full, ['Mutation.notifyItem'], 'where');
    assert.deepEqual(open.getPossibleTypes(open.getType('Node') as never).map((t) => t.name).sort(), ['Item', 'Secret']);
  });

  test('hiding every mutation leaves a schema without a mutation root', () => {
    const open = publicSchemaOf(full, ['Mutation.addItem', 'Mutation.notifyItem', 'Mutation.audit'], 'where');
    assert.equal(open.getMutationType(), undefined);
    assert.ok(open.getType('ItemInput') === undefined && open.getType('Item') !== undefined);
  });

  test('a name that is not a root field of the schema is a config error naming the entry', () => {
    assert.throws(
      () => publicSchemaOf(full, ['Mutation.nope'], 'app/switchboard.config.ts:9 api.backendOnly'),
      (e: unknown) => isSwitchboardError(e, 'SB_CONFIG_INVALID') && /^app\/switchboard\.config\.ts:9 api\.backendOnly: "Mutation\.nope" is not a field of the schema's Mutation type/.test((e as Error).message),
    );
    assert.throws(() => publicSchemaOf(full, ['Query.item', 'Query.node'], 'w'), /without a query root/);
  });

  test('the back end is SigV4 with a configured key or the server itself; never an API key, a token or a guest', () => {
    const iam = { accountId: '0', cognitoIdentityPoolId: null, cognitoIdentityId: null, sourceIp: [], username: 'K', userArn: 'arn', cognitoIdentityAuthType: null, cognitoIdentityAuthProvider: null } as const;
    assert.equal(isBackendCaller({ mode: 'AWS_IAM', identity: iam }), true);
    assert.equal(isBackendCaller(EVENTBRIDGE_TARGET_AUTH), true);
    assert.equal(isBackendCaller({ mode: 'AWS_IAM', identity: iam, guestAllow: ['Query.*'] }), false);
    assert.equal(isBackendCaller({ mode: 'API_KEY', identity: null }), false);
    assert.equal(isBackendCaller({ mode: 'AMAZON_COGNITO_USER_POOLS', identity: null }), false);
  });
});

const INTROSPECT = '{ __schema { mutationType { fields { name } } types { name } } hidden: __type(name: "NotifyOrderUpdatedInput") { name } }';
const NOTIFY = 'mutation ($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }';

describe('backend-only notifyOrderUpdated in the food-ordering example (real server)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  });
  after(async () => t.close());

  test('introspection with an API key shows neither the mutation nor its input type', async () => {
    const res = await t.graphql({ query: INTROSPECT });
    assert.equal(res.status, 200);
    const mutations = res.json.data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    assert.deepEqual(mutations, ['createOrder']);
    const types = res.json.data.__schema.types.map((ty: { name: string }) => ty.name);
    assert.ok(!types.includes('NotifyOrderUpdatedInput') && types.includes('OrderUpdated') && types.includes('CreateOrderInput'), types.join(', '));
    assert.equal(res.json.data.hidden, null);
  });

  test('introspection signed with the config’s access key shows both', async () => {
    const res = await t.signedPost('/graphql', { query: INTROSPECT });
    assert.deepEqual(res.json.data.__schema.mutationType.fields.map((f: { name: string }) => f.name), ['createOrder', 'notifyOrderUpdated']);
    assert.deepEqual(res.json.data.hidden, { name: 'NotifyOrderUpdatedInput' });
  });

  test('called with an API key it is an unknown field: a validation error, nothing executed', async () => {
    const res = await t.graphql({ query: 'mutation { notifyOrderUpdated(input: {id: "o", status: PAID, updatedAt: "2026-12-06T10:00:00.000Z"}) { id } }' });
    assert.equal(res.status, 200);
    assert.equal(res.json.data, null);
    assert.equal(res.json.errors[0].errorType, undefined);
    assert.match(res.json.errors[0].message, /FieldUndefined: Field 'notifyOrderUpdated' in type 'Mutation' is undefined/);
  });

  test('called by the back end it executes, and an API-key subscriber of the public schema receives it', async () => {
    const c = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription { onOrderUpdated(id: "o-1") { id status } }');
    const res = await t.signedPost('/graphql', { query: NOTIFY, variables: { input: { id: 'o-1', status: 'PAID', updatedAt: '2026-12-06T10:00:00.000Z' } } });
    assert.deepEqual(res.json, { data: { notifyOrderUpdated: { id: 'o-1', status: 'PAID', updatedAt: '2026-12-06T10:00:00.000Z' } } });
    const data = await c.next((f) => f.type === 'data');
    assert.deepEqual(data.payload.data, { onOrderUpdated: { id: 'o-1', status: 'PAID' } });
    c.ws.close();
  });
});

test('a backendOnly entry naming no field stops the start with the config file and line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-backend-only-'));
  try {
    writeFileSync(join(dir, 'schema.graphql'), 'type Query { hello: String }\ntype Mutation { ping: String }\n');
    writeFileSync(join(dir, 'switchboard.config.ts'), "import { defineApp } from 'switchboard';\n\nexport default defineApp({\n  api: {\n    backendOnly: ['Mutation.pong'],\n  },\n});\n");
    const app = await loadApp(dir);
    await assert.rejects(startSwitchboard({ app, dataDir: join(dir, '.data'), port: 0, host: '127.0.0.1', logger: silentLogger }), (e: Error) => {
      assert.equal(e.message, `${join(dir, 'switchboard.config.ts')}:5 api.backendOnly: "Mutation.pong" is not a field of the schema's Mutation type (expected "<Root>.<field>" naming a field of Query, Mutation or Subscription)`);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
