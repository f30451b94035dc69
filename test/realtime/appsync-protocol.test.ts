/**
 * The AppSync real-time protocol over a real socket, one test per rule (research/appsync.md §2).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw, headerProtocol, type RawClient } from '../support/ws-client.ts';

let t: TestServer;
const SUB = 'subscription S($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';

async function notify(id: string, status: string): Promise<any> {
  return (
    await t.signedPost('/graphql', {
      query: 'mutation N($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }',
      variables: { input: { id, status, updatedAt: '2026-11-25T10:00:00.000Z' } },
    })
  ).json;
}

async function ready(): Promise<RawClient> {
  const host = new URL(t.url).host;
  const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol({ host, 'x-api-key': t.apiKey })]);
  c.send({ type: 'connection_init' });
  await c.next((f) => f.type === 'connection_ack');
  return c;
}

function start(c: RawClient, id: string, query: string, variables: Record<string, unknown>, authorization?: Record<string, string>): void {
  c.send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: authorization ?? { host: new URL(t.url).host, 'x-api-key': t.apiKey } } } });
}

describe('AppSync real-time protocol', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  });
  after(async () => t.close());

  test('connection_init is answered with connection_ack {connectionTimeoutMs: 300000} and an immediate ka', async () => {
    const host = new URL(t.url).host;
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol({ host, 'x-api-key': t.apiKey })]);
    assert.equal(c.ws.protocol, 'graphql-ws', 'the server selects graphql-ws, never the header- token');
    c.send({ type: 'connection_init' });
    assert.deepEqual(await c.next(), { type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    assert.deepEqual(await c.next(), { type: 'ka' });
    c.ws.close();
  });

  test('credentials in the upgrade request headers authenticate the connection and its starts', async () => {
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws'], { 'x-api-key': t.apiKey });
    c.send({ type: 'connection_init' });
    await c.next((f) => f.type === 'connection_ack');
    c.send({ id: 'hdr', type: 'start', payload: { data: JSON.stringify({ query: SUB, variables: { id: 'order-hdr' } }) } });
    await c.next((f) => f.type === 'start_ack' && f.id === 'hdr');
    await notify('order-hdr', 'PAID');
    assert.equal((await c.next((f) => f.type === 'data')).payload.data.onOrderUpdated.status, 'PAID');
    c.ws.close();
  });

  test('a message that is not JSON gets an error MalformedMessage, and the connection stays open', async () => {
    const c = await ready();
    c.ws.send('{not json');
    assert.deepEqual(await c.next((f) => f.type === 'error'), { type: 'error', payload: { errors: [{ errorType: 'MalformedMessage', message: 'Message is not valid JSON.' }] } });
    start(c, 'after', SUB, { id: 'order-x' });
    await c.next((f) => f.type === 'start_ack' && f.id === 'after');
    c.ws.close();
  });

  test('a message of an unknown type gets an error UnsupportedOperation with its id', async () => {
    const c = await ready();
    c.send({ id: 'q-1', type: 'query' });
    const error = await c.next((f) => f.type === 'error');
    assert.equal(error.id, 'q-1');
    assert.equal(error.payload.errors[0].errorType, 'UnsupportedOperation');
    c.ws.close();
  });

  test('connection_terminate closes the socket with 1000', async () => {
    const c = await ready();
    c.send({ type: 'connection_terminate' });
    assert.equal((await c.closed()).code, 1000);
  });

  test('a connection holds 100 subscriptions; the 101st start gets MaxSubscriptionsReachedError and the others stay live', async () => {
    const c = await ready();
    for (let i = 0; i < 100; i++) {
      start(c, `s-${i}`, SUB, { id: 'order-max' });
      await c.next((f) => f.type === 'start_ack' && f.id === `s-${i}`);
    }
    start(c, 's-100', SUB, { id: 'order-max' });
    const refused = await c.next((f) => f.type === 'error');
    assert.equal(refused.id, 's-100');
    assert.equal(refused.payload.errors[0].errorType, 'MaxSubscriptionsReachedError');
    await notify('order-max', 'PAID');
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) ids.add((await c.next((f) => f.type === 'data')).id);
    assert.equal(ids.size, 100);
    assert.ok(!ids.has('s-100'));
    c.ws.close();
  });

  test('a subscriber receives the mutation result projected to its selection, filtered by its argument', async () => {
    const c = await ready();
    start(c, 'sub-1', SUB, { id: 'order-1' });
    assert.deepEqual(await c.next((f) => f.type === 'start_ack'), { type: 'start_ack', id: 'sub-1' });
    await notify('order-2', 'PAID');
    await notify('order-1', 'PREPARING');
    const data = await c.next((f) => f.type === 'data');
    assert.ok(Number.isInteger(data.offset) && data.offset > 0, 'each data frame carries its topic offset');
    assert.deepEqual(data, { type: 'data', id: 'sub-1', offset: data.offset, payload: { data: { onOrderUpdated: { id: 'order-1', status: 'PREPARING', updatedAt: '2026-11-25T10:00:00.000Z' } } } });
    assert.equal(c.pending.filter((f) => f.type === 'data').length, 0, 'the order-2 update was filtered out');
    c.ws.close();
  });

  test('stop is answered with complete and no more data follows', async () => {
    const c = await ready();
    start(c, 'sub-2', SUB, { id: 'order-3' });
    await c.next((f) => f.type === 'start_ack');
    c.send({ type: 'stop', id: 'sub-2' });
    assert.deepEqual(await c.next((f) => f.type === 'complete'), { type: 'complete', id: 'sub-2' });
    await notify('order-3', 'PAID');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.pending.filter((f) => f.type === 'data').length, 0);
    c.ws.close();
  });

  test('a reused subscription id is refused with DuplicatedOperationError', async () => {
    const c = await ready();
    start(c, 'dup', SUB, { id: 'x' });
    await c.next((f) => f.type === 'start_ack');
    start(c, 'dup', SUB, { id: 'y' });
    const error = await c.next((f) => f.type === 'error');
    assert.equal(error.id, 'dup');
    assert.equal(error.payload.errors[0].errorType, 'DuplicatedOperationError');
    c.ws.close();
  });

  test('a mutation sent through the realtime channel is refused as not supported', async () => {
    const c = await ready();
    start(c, 'm1', 'mutation { createOrder(input: {products: []}) { id } }', {});
    const error = await c.next((f) => f.type === 'error');
    assert.deepEqual(error.payload.errors[0], { errorType: 'UnsupportedOperation', message: 'mutation not supported through the realtime channel' });
    c.ws.close();
  });

  test('a legacy start with payload.query instead of payload.data is refused as unknown', async () => {
    const c = await ready();
    c.send({ id: 'legacy', type: 'start', payload: { query: SUB, variables: { id: 'a' } } });
    const error = await c.next((f) => f.type === 'error');
    assert.equal(error.payload.errors[0].message, 'unknown not supported through the realtime channel');
    c.ws.close();
  });

  test('a connection without credentials gets connection_error with errorCode 401 and is closed', async () => {
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws']);
    c.send({ type: 'connection_init' });
    const error = await c.next();
    assert.deepEqual(error, { type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }] } });
    await c.closed();
  });

  test('the old query-string header form (standard base64, not URL-encoded) is accepted', async () => {
    const host = new URL(t.url).host;
    const header = Buffer.from(JSON.stringify({ host, 'x-api-key': t.apiKey })).toString('base64');
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime?header=${header}&payload=e30=`, ['graphql-ws']);
    c.send({ type: 'connection_init' });
    assert.equal((await c.next()).type, 'connection_ack');
    c.ws.close();
  });

  test('a start with a wrong API key in its own authorization is refused with UnauthorizedException', async () => {
    const c = await ready();
    start(c, 'bad', SUB, { id: 'a' }, { host: new URL(t.url).host, 'x-api-key': 'da2-wrongwrongwrongwrongwrongwr' });
    const error = await c.next((f) => f.type === 'error');
    assert.equal(error.payload.errors[0].errorType, 'UnauthorizedException');
    c.ws.close();
  });

  test('an offered graphql-transport-ws-only subprotocol on /graphql/realtime is refused', async () => {
    await assert.rejects(connectRaw(`${t.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-transport-ws']), /upgrade refused with 400/);
  });
});
