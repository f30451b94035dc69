/**
 * What a subscriber receives is the mutation's result as the mutation's own selection set
 * projected it, then restricted to the subscriber's selection (research/appsync.md §2.4, §3): a
 * field the subscriber asks for and the mutation did not select is null, even when the resolver
 * returned it; when that field is non-null the subscription field becomes null with graphql-java's
 * error; a subscription argument on a field the mutation did not select never matches. Over real
 * sockets against a running server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber, type AppsyncSocket } from '../support/appsync-socket.ts';

function subscriber(t: TestServer, id: string, query: string, variables: Record<string, unknown> = {}): Promise<AppsyncSocket> {
  return appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, query, { id, variables });
}

describe('seed 003: notifyOrderUpdated selecting fewer fields than the subscriber', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  });
  after(async () => t.close());

  /** The back end's IAM-signed mutation, with the selection given. */
  async function notify(selection: string, input: { id: string; status: string }): Promise<void> {
    const res = await t.signedPost('/graphql', {
      query: `mutation ($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { ${selection} } }`,
      variables: { input: { ...input, updatedAt: '2026-12-05T10:00:00.000Z' } },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.errors, undefined, JSON.stringify(res.json));
  }

  test('a non-null field the mutation did not select nulls the subscription field, with graphql-java\'s error', async () => {
    const wide = await subscriber(t, 'wide', 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }', { id: 'o1' });
    const narrow = await subscriber(t, 'narrow', 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status } }', { id: 'o1' });
    await notify('id status', { id: 'o1', status: 'PAID' });
    assert.deepEqual((await narrow.next((f) => f.type === 'data')).payload, { data: { onOrderUpdated: { id: 'o1', status: 'PAID' } } });
    assert.deepEqual((await wide.next((f) => f.type === 'data')).payload, {
      data: { onOrderUpdated: null },
      errors: [{ message: "Cannot return null for non-nullable type: 'AWSDateTime' within parent 'OrderUpdated' (/onOrderUpdated/updatedAt)", path: ['onOrderUpdated', 'updatedAt'] }],
    });
    // The same subscriber gets the whole object when the mutation selects what it asks for.
    await notify('id status updatedAt', { id: 'o1', status: 'PREPARING' });
    assert.deepEqual((await wide.next((f) => f.type === 'data')).payload, { data: { onOrderUpdated: { id: 'o1', status: 'PREPARING', updatedAt: '2026-12-05T10:00:00.000Z' } } });
    wide.ws.close();
    narrow.ws.close();
  });

  test('an argument on a field the mutation did not select never matches', async () => {
    const byId = await subscriber(t, 'by-id', 'subscription ($id: ID!) { onOrderUpdated(id: $id) { status } }', { id: 'o2' });
    await notify('status updatedAt', { id: 'o2', status: 'PAID' });
    await notify('id status', { id: 'o2', status: 'PREPARING' });
    // A topic's messages arrive in order: the first data frame is the second mutation's.
    assert.deepEqual((await byId.next((f) => f.type === 'data')).payload, { data: { onOrderUpdated: { status: 'PREPARING' } } });
    assert.deepEqual(byId.pending.filter((f) => f.type === 'data'), []);
    byId.ws.close();
  });
});

describe('notes: createNote selecting fewer fields than the subscriber', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => t.close());

  test('nullable fields the mutation did not select come back null, even ones its resolver returned', async () => {
    const c = await subscriber(t, 'notes', 'subscription { onNoteCreated { id text createdAt meta } }');
    // The resolver stores and returns createdAt (now) and meta; the mutation selects neither.
    const res = await t.graphql({ query: 'mutation { createNote(text: "hello", meta: "{\\"a\\":1}") { id text } }' });
    assert.equal(res.json.errors, undefined, JSON.stringify(res.json));
    const id = res.json.data.createNote.id as string;
    assert.deepEqual((await c.next((f) => f.type === 'data')).payload, { data: { onNoteCreated: { id, text: 'hello', createdAt: null, meta: null } } });
    const full = await t.graphql({ query: 'mutation { createNote(text: "again", meta: "{\\"a\\":1}", createdAt: "2026-12-05T10:00:00.000Z") { id text createdAt meta } }' });
    assert.deepEqual((await c.next((f) => f.type === 'data')).payload, { data: { onNoteCreated: { id: full.json.data.createNote.id, text: 'again', createdAt: '2026-12-05T10:00:00.000Z', meta: '{"a":1}' } } });
    c.ws.close();
  });
});
