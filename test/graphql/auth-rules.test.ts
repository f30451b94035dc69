import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthContext } from '../../src/auth/index.ts';
import { allowListMatcher, buildRuleTable, isAllowed } from '../../src/graphql/auth-rules.ts';
import { API_KEY, blogSchema, cognito, IAM, META, service } from './harness.ts';

const POST = { id: 'p1', title: 'T', comments: [] };
const svc = service({
  resolvers: {
    'Query.getPost': () => POST,
    'Query.secret': () => ({ code: 'c', hint: 'h' }),
    'Query.admin': () => 'root',
    'Query.anyUser': () => 'user',
    'Query.mustExist': () => 'here',
    'Mutation.createFlight': () => POST,
    'Mutation.deletePost': () => POST,
  },
});

async function run(query: string, auth: AuthContext) {
  const outcome = await svc.execute({ query }, { auth, ...META });
  return { status: outcome.status, ...(JSON.parse(JSON.stringify(outcome.body)) as { data: unknown; errors?: { message: string; path: unknown }[] }) };
}

function denied(field: string, type: string, path: readonly (string | number)[], line: number, column: number) {
  return { path, data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line, column, sourceName: null }], message: `Not Authorized to access ${field} on type ${type}` };
}

const GUEST: AuthContext = { ...IAM, guestAllow: ['Query.*', 'Mutation.createFlight'] };

test('a field directive wins over its type directive', async () => {
  // Secret is @aws_iam; Secret.hint is @aws_api_key only.
  assert.deepEqual(await run('{ secret { code hint } }', API_KEY), { status: 200, data: { secret: { code: null, hint: 'h' } }, errors: [denied('code', 'Secret', ['secret', 'code'], 1, 12)] });
  assert.deepEqual(await run('{ secret { code hint } }', IAM), { status: 200, data: { secret: { code: 'c', hint: null } }, errors: [denied('hint', 'Secret', ['secret', 'hint'], 1, 17)] });
});

test('without any directive only the default mode is admitted', async () => {
  assert.deepEqual(await run('{ getPost(id: "p1") { id } }', API_KEY), { status: 200, data: { getPost: { id: 'p1' } } });
  assert.deepEqual(await run('{ getPost(id: "p1") { id } }', IAM), { status: 200, data: { getPost: null }, errors: [denied('getPost', 'Query', ['getPost'], 1, 3)] });
});

test('a return type without a directive denies the mutation mode its fields (the seed 002 trap)', async () => {
  // createFlight is @aws_iam but Post has no directive: IAM may call it, not read Post.id (non-null, so createFlight becomes null).
  assert.deepEqual(await run('mutation { createFlight(title: "x") { id } }', IAM), { status: 200, data: { createFlight: null }, errors: [denied('id', 'Post', ['createFlight', 'id'], 1, 39)] });
});

test('a denied field resolver is never invoked', async () => {
  const before = svc.runtime.calls.length;
  await run('{ admin }', API_KEY);
  assert.equal(svc.runtime.calls.length, before);
});

test('cognito_groups admits members of a listed group only', async () => {
  assert.deepEqual(await run('{ admin }', cognito(['Users', 'Admin'])), { status: 200, data: { admin: 'root' } });
  assert.deepEqual(await run('{ admin }', cognito(['Users'])), { status: 200, data: { admin: null }, errors: [denied('admin', 'Query', ['admin'], 1, 3)] });
  assert.deepEqual(await run('{ admin }', cognito(null)), { status: 200, data: { admin: null }, errors: [denied('admin', 'Query', ['admin'], 1, 3)] });
  assert.deepEqual(await run('{ admin }', API_KEY), { status: 200, data: { admin: null }, errors: [denied('admin', 'Query', ['admin'], 1, 3)] });
});

test('@aws_cognito_user_pools without groups admits any pool user', async () => {
  assert.deepEqual(await run('{ anyUser }', cognito(null)), { status: 200, data: { anyUser: 'user' } });
});

test('a denied non-null root field nulls data, with one Unauthorized error', async () => {
  assert.deepEqual(await run('{ mustExist }', IAM), { status: 200, data: null, errors: [denied('mustExist', 'Query', ['mustExist'], 1, 3)] });
});

test('guest credentials reach only the root fields their allow-list names', async () => {
  assert.deepEqual(await run('{ secret { code } }', GUEST), { status: 200, data: { secret: { code: 'c' } } });
  assert.deepEqual(await run('mutation { deletePost(id: "p1") { title } }', GUEST), { status: 200, data: { deletePost: null }, errors: [denied('deletePost', 'Mutation', ['deletePost'], 1, 12)] });
  const createOnly: AuthContext = { ...IAM, guestAllow: ['Mutation.createFlight'] };
  assert.deepEqual(await run('{ secret { code } }', createOnly), { status: 200, data: { secret: null }, errors: [denied('secret', 'Query', ['secret'], 1, 3)] });
});

test('the guest allow-list restricts root fields only: nested fields follow the directives', async () => {
  // Post has no directive: IAM (guest or not) is refused on Post.id whatever the list says.
  assert.deepEqual(await run('mutation { createFlight(title: "x") { id } }', GUEST), { status: 200, data: { createFlight: null }, errors: [denied('id', 'Post', ['createFlight', 'id'], 1, 39)] });
});

test('allow-list patterns: `*` matches any run of characters, dots are literal', () => {
  const match = allowListMatcher(['Query.*', 'Mutation.create*']);
  assert.equal(match('Query', 'getPost'), true);
  assert.equal(match('Mutation', 'createFlight'), true);
  assert.equal(match('Mutation', 'deletePost'), false);
  assert.equal(match('QueryX', 'a'), false);
  assert.equal(allowListMatcher(['Query.get'])('Query', 'getPost'), false);
});

test('AWS_LAMBDA deniedFields are refused like a missing directive', async () => {
  const lambda = service({ defaultMode: 'AWS_LAMBDA', resolvers: { 'Query.getPost': () => POST } });
  const auth: AuthContext = { mode: 'AWS_LAMBDA', identity: { resolverContext: {} }, deniedFields: ['Post.title'] };
  const outcome = await lambda.execute({ query: '{ getPost(id: "p1") { id title } }' }, { auth, ...META });
  assert.deepEqual(JSON.parse(JSON.stringify(outcome.body)), { data: { getPost: null }, errors: [denied('title', 'Post', ['getPost', 'title'], 1, 26)] });
});

test('the rule table: field rule, else type rule, else the default mode', () => {
  const table = buildRuleTable(blogSchema(), 'API_KEY');
  const rule = (type: string, field: string) => {
    const entry = [...table.entries()].find(([t]) => t.name === type)?.[1].get(field);
    return entry && { modes: [...entry.modes].sort(), groups: entry.cognitoGroups };
  };
  assert.deepEqual(rule('Secret', 'code'), { modes: ['AWS_IAM'], groups: undefined });
  assert.deepEqual(rule('Secret', 'hint'), { modes: ['API_KEY'], groups: undefined });
  assert.deepEqual(rule('Post', 'id'), { modes: ['API_KEY'], groups: undefined });
  assert.deepEqual(rule('Query', 'admin'), { modes: ['AMAZON_COGNITO_USER_POOLS'], groups: ['Admin'] });
  assert.equal(isAllowed(undefined, API_KEY), true);
});
