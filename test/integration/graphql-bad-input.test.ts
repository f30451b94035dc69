/**
 * Bad input over real HTTP: each case gets the error AppSync gives, and the server keeps serving
 * (every test ends by making a normal call on the same server).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/notes');
let t: TestServer;

async function stillServing(): Promise<void> {
  const res = await t.graphql({ query: 'mutation { createNote(text: "still here") { id text } }' });
  assert.equal(res.status, 200);
  assert.equal(res.json.data.createNote.text, 'still here');
}

describe('bad input gets AppSync-shaped errors and the server keeps serving', () => {
  before(async () => {
    t = await startTestServer(APP);
  });
  after(async () => t.close());

  test('an empty body is a 400 MalformedHttpRequestException "Request body is empty."', async () => {
    const res = await t.graphql('');
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-errortype'), 'MalformedHttpRequestException');
    assert.deepEqual(res.json, { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] });
    await stillServing();
  });

  for (const body of ['meow', '{}', '{}}', '[]', '{"query": 42}']) {
    test(`body ${body} is a 400 "Unable to parse GraphQL query."`, async () => {
      const res = await t.graphql(body);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
    });
  }

  test('a 10 MB body is refused with 413 PayloadTooLargeException', async () => {
    const huge = JSON.stringify({ query: `mutation { createNote(text: "${'x'.repeat(10 * 1024 * 1024)}") { id } }` });
    const res = await t.graphql(huge);
    assert.equal(res.status, 413);
    assert.equal(res.json.errors[0].errorType, 'PayloadTooLargeException');
    await stillServing();
  });

  test('a 500-level nested query is refused by the depth limit', async () => {
    const query = `query { ${'getNote(id: "1") { '.repeat(1)}${'a { '.repeat(499)}b${' }'.repeat(500)} }`;
    const res = await t.graphql({ query });
    assert.equal(res.status, 200);
    assert.equal(res.json.data, null);
    assert.match(res.json.errors[0].message, /QueryDepthLimitExceeded/);
    await stillServing();
  });

  test('an unknown field is a validation error in graphql-java wording', async () => {
    const res = await t.graphql({ query: '{ badfield }' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      data: null,
      errors: [{ path: null, locations: [{ line: 1, column: 3, sourceName: null }], message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'" }],
    });
  });

  test('a wrong scalar value in a variable is refused before any resolver runs', async () => {
    const res = await t.graphql({
      query: 'mutation ($at: AWSDateTime) { createNote(text: "x", createdAt: $at) { id } }',
      variables: { at: '2026-11-25 10:00' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.data, null);
    assert.match(res.json.errors[0].message, /^Variable 'at' has an invalid value/);
    assert.match(res.json.errors[0].message, /AWSDateTime/);
  });

  test('a missing required variable reads as AppSync words it', async () => {
    const res = await t.graphql({ query: 'query ($id: ID!) { getNote(id: $id) { id } }', variables: {} });
    assert.equal(res.json.errors[0].message, "Variable 'id' has coerced Null value for NonNull type 'ID!'");
  });

  test('a resolver that raises util.error gives a field error with errorType, errorInfo and a null field', async () => {
    const res = await t.graphql({ query: '{ boom }' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      data: { boom: null },
      errors: [{ path: ['boom'], data: null, errorType: 'BoomError', errorInfo: { hint: 'on purpose' }, locations: [{ line: 1, column: 3, sourceName: null }], message: 'Something went wrong' }],
    });
    await stillServing();
  });

  test('a GraphQL syntax error is a 400 MalformedHttpRequestException', async () => {
    const res = await t.graphql({ query: '{ getNote(id: "1" { id }' });
    assert.equal(res.status, 400);
    assert.equal(res.json.errors[0].errorType, 'MalformedHttpRequestException');
    assert.match(res.json.errors[0].message, /^Invalid Syntax/);
  });

  test('no credentials is a 401 UnauthorizedException', async () => {
    const res = await t.graphql({ query: '{ getNote(id: "1") { id } }' }, {});
    assert.equal(res.status, 401);
    assert.equal(res.json.errors[0].errorType, 'UnauthorizedException');
    const wrong = await t.graphql({ query: '{ getNote(id: "1") { id } }' }, { 'x-api-key': 'da2-notakeyatallxxxxxxxxxxxxx' });
    assert.equal(wrong.status, 401);
  });

  test('AWSJSON round-trips: parsed for resolvers, serialized once on output', async () => {
    const created = await t.graphql({ query: 'mutation ($m: AWSJSON) { createNote(text: "j", meta: $m) { id meta } }', variables: { m: '{"tags":["a","b"],"n":1}' } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.deepEqual(JSON.parse(created.json.data.createNote.meta), { tags: ['a', 'b'], n: 1 });
    const bad = await t.graphql({ query: 'mutation ($m: AWSJSON) { createNote(text: "j", meta: $m) { id } }', variables: { m: "{'a':1}" } });
    assert.equal(bad.json.data, null);
  });
});
