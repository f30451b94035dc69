import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleGraphqlHttp, type AuthenticateFn, type GraphqlHttpInput, type GraphqlHttpResponse } from '../../src/graphql/index.ts';
import { API_KEY, service } from './harness.ts';

const svc = service({ resolvers: { 'Query.listPosts': () => [{ id: 'p1', title: 'T' }], 'Mutation.createPost': () => ({ id: 'p2', title: 'N' }) } });
const allow: AuthenticateFn = async () => ({ ok: true, auth: API_KEY });
const refuse: AuthenticateFn = async () => ({ ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });

function post(body: string | null): GraphqlHttpInput {
  return { method: 'POST', path: '/graphql', searchParams: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body, sourceIp: '127.0.0.1' };
}

function get(params: Record<string, string>): GraphqlHttpInput {
  return { method: 'GET', path: '/graphql', searchParams: new URLSearchParams(params), headers: {}, body: null, sourceIp: '127.0.0.1' };
}

async function send(input: GraphqlHttpInput, authenticate: AuthenticateFn = allow): Promise<{ status: number; headers: GraphqlHttpResponse['headers']; body: unknown }> {
  const response = await handleGraphqlHttp(input, { service: svc, authenticate, domainName: null });
  return { status: response.status, headers: response.headers, body: JSON.parse(response.body) };
}

const MALFORMED = { 'content-type': 'application/json; charset=UTF-8', 'x-amzn-errortype': 'MalformedHttpRequestException' };

test('an empty body is 400 Request body is empty.', async () => {
  for (const body of [null, '', '  \n']) {
    assert.deepEqual(await send(post(body)), { status: 400, headers: MALFORMED, body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] } });
  }
});

test('a body that is not a GraphQL request object is 400 Unable to parse GraphQL query.', async () => {
  for (const body of ['meow', '{}', '{}}', '[]', 'null', '{"query":42}', '{"query":"  "}', '{"query":"{ listPosts { id } }","variables":[1]}', '{"query":"{ listPosts { id } }","operationName":7}']) {
    assert.deepEqual(await send(post(body)), { status: 400, headers: MALFORMED, body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] } }, body);
  }
});

test('failed authentication is 401 with the authenticator errorType, before the body is read', async () => {
  assert.deepEqual(await send(post('meow'), refuse), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=UTF-8', 'x-amzn-errortype': 'UnauthorizedException' },
    body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] },
  });
});

test('a valid POST answers 200 with data and no errortype header', async () => {
  assert.deepEqual(await send(post(JSON.stringify({ query: '{ listPosts { id } }', variables: null }))), { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { data: { listPosts: [{ id: 'p1' }] } } });
});

test('a validation error is 200 with data null', async () => {
  assert.deepEqual(await send(post('{"query":"{ badfield }"}')), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: { data: null, errors: [{ path: null, locations: [{ line: 1, column: 3, sourceName: null }], message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'" }] },
  });
});

test('a GraphQL syntax error is 400 with the MalformedHttpRequestException header', async () => {
  const response = await send(post('{"query":"{ listPosts { id }"}'));
  assert.equal(response.status, 400);
  assert.deepEqual(response.headers, MALFORMED);
  assert.deepEqual(response.body, { errors: [{ message: 'Invalid Syntax : Expected Name, found <EOF>. at line 1 column 19', locations: [{ line: 1, column: 19, sourceName: null }], errorType: 'MalformedHttpRequestException' }] });
});

test('GET ?query= runs a query, with variables and operationName', async () => {
  assert.deepEqual((await send(get({ query: 'query L($n: Int) { listPosts(limit: $n) { title } }', variables: '{"n":1}', operationName: 'L' }))).body, { data: { listPosts: [{ title: 'T' }] } });
});

test('GET refuses a mutation, however the text starts', async () => {
  const refused = { status: 400, headers: MALFORMED, body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Mutations are not allowed over GET.' }] } };
  assert.deepEqual(await send(get({ query: 'mutation { createPost(input: {title: "x"}) { id } }' })), refused);
  assert.deepEqual(await send(get({ query: '# comment\nmutation { createPost(input: {title: "x"}) { id } }' })), refused);
  assert.deepEqual(await send(get({ query: 'query Q { listPosts { id } } mutation M { createPost(input: {title: "x"}) { id } }', operationName: 'M' })), refused);
});

test('GET without a query is 400 Request body is empty.; bad variables are Unable to parse', async () => {
  assert.deepEqual((await send(get({}))).body, { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] });
  assert.deepEqual((await send(get({ query: '{ listPosts { id } }', variables: '{nope' }))).body, { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
});

test('a subscription over HTTP is not executed: 200 OperationNotSupported', async () => {
  const response = await send(post('{"query":"subscription { onCreateFlight { id } }"}'));
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, {
    data: null,
    errors: [{ errorType: 'OperationNotSupported', message: 'Subscriptions are served over WebSocket: /graphql/realtime (AppSync protocol) or /graphql (graphql-transport-ws).' }],
  });
});

test('onExecuted sees each executed request with its auth', async () => {
  const seen: unknown[] = [];
  await handleGraphqlHttp(post('{"query":"mutation { createPost(input: {title: \\"x\\"}) { id } }"}'), {
    service: svc,
    authenticate: allow,
    domainName: null,
    onExecuted: (outcome, request, auth) => seen.push([outcome.operation, request.query, auth.mode]),
  });
  assert.deepEqual(seen, [['mutation', 'mutation { createPost(input: {title: "x"}) { id } }', 'API_KEY']]);
});
