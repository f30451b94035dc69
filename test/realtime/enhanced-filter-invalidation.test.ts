/**
 * Seed 004's rules over a real socket: the subscription resolver's enhanced filter admits five
 * channels (and, as on AWS, ignores the channel argument); the IAM-only `unsubscribe` mutation
 * invalidates exactly the subscriptions whose invalidation filter matches, which get
 * "Subscription complete." and a closed socket. A mutation that invalidates twice in one request
 * ends both sets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber, type AppsyncSocket } from '../support/appsync-socket.ts';

let t: TestServer;

function subscriber(channel: string): Promise<AppsyncSocket> {
  return appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription ($n: String!) { subscribe(name: $n) { name data } }', { id: channel, variables: { n: channel } });
}

async function publish(name: string, data: unknown): Promise<void> {
  const res = await t.graphql({ query: 'mutation ($n: String!, $d: AWSJSON) { publish(name: $n, data: $d) { name data } }', variables: { n: name, d: JSON.stringify(data) } });
  assert.equal(res.status, 200, JSON.stringify(res.json));
}

async function iam(query: string): Promise<any> {
  return (await t.signedPost('/graphql', { query })).json;
}

describe('enhanced filters and invalidation (seed 004)', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/channels'));
  });
  after(async () => t.close());

  test('the resolver filter admits the five channels and blocks the rest', async () => {
    const c = await subscriber('tech');
    await publish('not-a-channel', { n: 0 });
    await publish('tech', { n: 1 });
    await publish('sports', { n: 2 });
    const first = await c.next((f) => f.type === 'data');
    const second = await c.next((f) => f.type === 'data');
    assert.deepEqual([first.payload.data.subscribe.name, second.payload.data.subscribe.name], ['tech', 'sports']);
    assert.equal(c.pending.filter((f) => f.type === 'data').length, 0);
    c.ws.close();
  });

  test('unsubscribe with an API key is refused: it is IAM-only', async () => {
    const res = await t.graphql({ query: 'mutation { unsubscribe(name: "tech") { name } }' });
    assert.equal(res.json.errors[0].errorType, 'Unauthorized');
  });

  test('an IAM unsubscribe ends exactly the matching subscriptions and closes their sockets', async () => {
    const tech = await subscriber('tech');
    const news = await subscriber('news');
    const res = await iam('mutation { unsubscribe(name: "tech") { name } }');
    assert.deepEqual(res, { data: { unsubscribe: { name: 'tech' } } });
    assert.deepEqual(await tech.next((f) => f.type === 'complete'), { type: 'complete', id: 'tech', payload: { message: 'Subscription complete.' } });
    assert.equal((await tech.closed()).code, 1000);
    await publish('news', { still: 'here' });
    const data = await news.next((f) => f.type === 'data');
    assert.equal(data.payload.data.subscribe.name, 'news');
    news.ws.close();
  });

  test('the admin invalidate API ends exactly the matching subscriptions, as the mutation does', async () => {
    const general = await subscriber('general');
    const random = await subscriber('random-5');
    const res = await t.signedPost('/admin/subscriptions/invalidate', { field: 'subscribe', payload: { name: 'general' } });
    assert.deepEqual(res, { status: 200, json: { invalidated: 1 } });
    assert.deepEqual(await general.next((f) => f.type === 'complete'), { type: 'complete', id: 'general', payload: { message: 'Subscription complete.' } });
    assert.equal((await general.closed()).code, 1000);
    await publish('random-5', { still: 'here' });
    assert.equal((await random.next((f) => f.type === 'data')).payload.data.subscribe.name, 'random-5');
    random.ws.close();
  });

  test('two invalidateSubscriptions calls in one request end both sets of matching subscriptions, and only those', async () => {
    const tech = await subscriber('tech');
    const news = await subscriber('news');
    const sports = await subscriber('sports');
    const general = await subscriber('general');
    const res = await iam('mutation { unsubscribeBoth(first: "tech", second: "news") { name } }');
    assert.deepEqual(res, { data: { unsubscribeBoth: { name: 'tech' } } });
    for (const [c, id] of [[tech, 'tech'], [news, 'news']] as const) {
      assert.deepEqual(await c.next((f) => f.type === 'complete'), { type: 'complete', id, payload: { message: 'Subscription complete.' } });
      assert.equal((await c.closed()).code, 1000);
    }
    // The filter admits all five channels: both survivors receive this one, and nothing ended them.
    await publish('sports', { still: 'here' });
    for (const c of [sports, general]) {
      assert.equal((await c.next((f) => f.type === 'data')).payload.data.subscribe.name, 'sports');
      assert.deepEqual(c.pending.filter((f) => f.type !== 'ka'), [], 'no complete or error frame');
      assert.equal(c.ws.readyState, c.ws.OPEN);
    }
    sports.ws.close();
    general.ws.close();
  });
});
