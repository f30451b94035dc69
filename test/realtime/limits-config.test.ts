/**
 * AppSync's real-time limits are the defaults and an app may change them (`api.subscriptions`):
 * the fixture raises `maxInValues` to 8 and lowers `maxPerConnection` to 3. Over real sockets, a
 * filter within the raised limit is accepted and delivers; one over it, or over a limit left at
 * AppSync's value, gets `InvalidFilterError` with AppSync's message; the fourth subscription of a
 * connection gets `MaxSubscriptionsReachedError` on both protocols.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw } from '../support/ws-client.ts';
import { appsyncConnect, type AppsyncSocket } from '../support/appsync-socket.ts';
import { loadApp } from '../../src/app/index.ts';

let t: TestServer;
const SUB = 'subscription ($f: AWSJSON!) { onPost(filter: $f) { topic kind } }';

const appsync = (): Promise<AppsyncSocket> => appsyncConnect(t.url, { 'x-api-key': t.apiKey });

/** Sends a start with `filter` and answers the first frame about it: `start_ack` or `error`. */
const start = (c: AppsyncSocket, id: string, filter: unknown): Promise<any> => c.start(id, SUB, { variables: { f: JSON.stringify(filter) } });

const topics = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${i}`);

describe('real-time limits from the app config (api.subscriptions)', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/filter-limits'));
  });
  after(async () => t.close());

  test('the config section is loaded with the values it sets and AppSync defaults for the rest', async () => {
    const app = await loadApp(join(REPO_ROOT, 'test/fixtures/apps/filter-limits'));
    assert.deepEqual(app.subscriptions, { maxPerConnection: 3, filterLimits: { maxInValues: 8 } });
    const plain = await loadApp(join(REPO_ROOT, 'test/fixtures/apps/channels'));
    assert.deepEqual(plain.subscriptions, { maxPerConnection: 100, filterLimits: {} });
  });

  test('an in-list of 8 values, over AppSync’s 5 but within the raised limit, is accepted and filters', async () => {
    const c = await appsync();
    assert.equal((await start(c, 'eight', { topic: { in: topics(8) } })).type, 'start_ack');
    await t.graphql({ query: 'mutation { post(topic: "elsewhere", kind: "no") { topic } }' });
    await t.graphql({ query: 'mutation { post(topic: "t7", kind: "yes") { topic kind } }' });
    const data = await c.next((f) => f.type === 'data');
    assert.deepEqual(data.payload.data.onPost, { topic: 't7', kind: 'yes' });
    c.ws.close();
  });

  test('an in-list of 9 values, over the raised limit, gets InvalidFilterError with the limit in the message', async () => {
    const c = await appsync();
    const refused = await start(c, 'nine', { topic: { in: topics(9) } });
    assert.deepEqual(refused, { id: 'nine', type: 'error', payload: { errors: [{ errorType: 'InvalidFilterError', message: 'subscription exceeds maximum value limit 8 for operator `in`.' }] } });
    c.ws.close();
  });

  test('a limit the app left alone keeps AppSync’s value: 6 fields in one group is refused', async () => {
    const c = await appsync();
    const refused = await start(c, 'six', { topic: { eq: 'x' }, kind: { eq: 'y' }, a: { eq: 1 }, b: { eq: 2 }, c: { eq: 3 }, d: { eq: 4 } });
    assert.equal(refused.type, 'error');
    assert.equal(refused.payload.errors[0].errorType, 'InvalidFilterError');
    assert.match(refused.payload.errors[0].message, /\b5\b/);
    assert.equal((await start(c, 'five', { topic: { eq: 'x' }, kind: { eq: 'y' }, a: { eq: 1 }, b: { eq: 2 }, c: { eq: 3 } })).type, 'start_ack');
    c.ws.close();
  });

  test('AppSync protocol: the fourth subscription of a connection gets MaxSubscriptionsReachedError (limit 3)', async () => {
    const c = await appsync();
    for (const id of ['a', 'b', 'c']) assert.equal((await start(c, id, { topic: { eq: id } })).type, 'start_ack');
    assert.deepEqual(await start(c, 'd', { topic: { eq: 'd' } }), { id: 'd', type: 'error', payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 3 subscriptions reached' }] } });
    c.ws.close();
  });

  test('graphql-transport-ws: the fourth subscription of a connection gets MaxSubscriptionsReachedError (limit 3)', async () => {
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    c.send({ type: 'connection_init', payload: { 'x-api-key': t.apiKey } });
    await c.next((f) => f.type === 'connection_ack');
    for (const id of ['a', 'b', 'c', 'd']) c.send({ id, type: 'subscribe', payload: { query: SUB, variables: { f: JSON.stringify({ topic: { eq: id } }) } } });
    const refused = await c.next((f) => f.type === 'error');
    assert.deepEqual(refused, { id: 'd', type: 'error', payload: [{ message: 'Max number of 3 subscriptions reached', extensions: { errorType: 'MaxSubscriptionsReachedError' } }] });
    await t.graphql({ query: 'mutation { post(topic: "c", kind: "live") { topic kind } }' });
    const data = await c.next((f) => f.type === 'next');
    assert.deepEqual([data.id, data.payload.data.onPost], ['c', { topic: 'c', kind: 'live' }]);
    c.ws.close();
  });
});
