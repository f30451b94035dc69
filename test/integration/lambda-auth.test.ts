/**
 * AWS_LAMBDA authorization end to end: a real server on loopback whose app (fixtures/apps/lambda-auth)
 * has AWS_LAMBDA as its default mode and an authorizer function in `functions/`, called over real
 * HTTP, the AppSync real-time protocol, graphql-transport-ws and the Amplify JS client. The
 * authorizer records its events on `globalThis` (it runs in this process); the server runs on a
 * virtual clock, so the result cache's TTLs are crossed by advancing it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { VirtualClock } from '../../src/core/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { connectRaw, headerProtocol } from '../support/ws-client.ts';
import { installAmplifyWebSocket, waitFor } from '../support/amplify.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/lambda-auth');
const UNAUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] };
const POST = 'mutation Post($text: String!) { post(text: $text) { id text author authType } }';

interface RecordedEvent {
  authorizationToken: string;
  requestContext: { apiId: string; accountId: string; requestId: string; queryString: string; operationName?: string; variables: Record<string, unknown> };
  requestHeaders: Record<string, string>;
}
const g = globalThis as { __lambdaAuthorizerEvents?: RecordedEvent[] };
const events = (): RecordedEvent[] => (g.__lambdaAuthorizerEvents ??= []);
const eventsFor = (token: string): RecordedEvent[] => events().filter((e) => e.authorizationToken === token);

let t: TestServer;
let clock: VirtualClock;

before(async () => {
  clock = new VirtualClock(Date.now());
  t = await startTestServer(APP, { clock });
});
after(async () => t.close());

const asLambda = (token: string, body: unknown) => t.graphql(body, { authorization: token });

describe('AWS_LAMBDA over HTTP', () => {
  test('an authorized token runs the query; ctx.identity is {resolverContext}; the event is AppSync-shaped', async () => {
    const res = await asLambda('allow-alice', { query: 'query Me { whoami }', operationName: 'Me', variables: { unused: 1 } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(JSON.parse(res.json.data.whoami), { identity: { resolverContext: { user: 'alice', plan: 'pro' } } });
    const [event, ...more] = eventsFor('allow-alice');
    assert.equal(more.length, 0);
    assert.deepEqual(Object.keys(event ?? {}).sort(), ['authorizationToken', 'requestContext', 'requestHeaders']);
    const ctx = event?.requestContext;
    assert.equal(ctx?.apiId, 'switchboard');
    assert.equal(ctx?.accountId, '000000000000');
    assert.match(ctx?.requestId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(ctx?.queryString, 'query Me { whoami }');
    assert.equal(ctx?.operationName, 'Me');
    assert.deepEqual(ctx?.variables, { unused: 1 });
    assert.equal(event?.requestHeaders['authorization'], 'allow-alice');
    assert.equal(event?.requestHeaders['content-type'], 'application/json');
  });

  test("the authorizer's resolverContext reaches an APPSYNC_JS resolver; util.authType() is Lambda Authorization", async () => {
    const res = await asLambda('allow-bob', { query: POST, variables: { text: 'hi' } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.data.post.text, 'hi');
    assert.equal(res.json.data.post.author, 'bob');
    assert.equal(res.json.data.post.authType, 'Lambda Authorization');
  });

  test('isAuthorized false is a 401 UnauthorizedException, as AppSync words it', async () => {
    const res = await asLambda('deny-mallory', { query: '{ hello }' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    assert.deepEqual(res.json, UNAUTHORIZED);
    assert.equal(eventsFor('deny-mallory').length, 1);
  });

  test('an authorizer that throws, or answers something that is not a response, refuses the call', async () => {
    const thrown = await asLambda('throw-x', { query: '{ hello }' });
    assert.equal(thrown.status, 401);
    assert.deepEqual(thrown.json, UNAUTHORIZED);
    const bad = await asLambda('bad-x', { query: '{ hello }' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json, UNAUTHORIZED);
    // Both were invoked: the refusal came from their answers.
    assert.equal(eventsFor('throw-x').length, 1);
    assert.equal(eventsFor('bad-x').length, 1);
  });

  test('a token that does not match identityValidationExpression is refused without invoking the authorizer', async () => {
    const before = events().length;
    for (const token of ['Bearer allow-eve', 'allow-EVE', 'nope-eve', 'allow-eve-and-more']) {
      const res = await asLambda(token, { query: '{ hello }' });
      assert.equal(res.status, 401, token);
      assert.deepEqual(res.json, UNAUTHORIZED);
    }
    assert.equal(events().length, before);
  });

  test('deniedFields, short and ARN forms, make those fields Unauthorized; an ARN of another API denies nothing', async () => {
    const res = await asLambda('limited-carol', { query: '{ secret hello }' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data, { secret: null, hello: 'hello' });
    assert.equal(res.json.errors.length, 1);
    assert.equal(res.json.errors[0].errorType, 'Unauthorized');
    assert.equal(res.json.errors[0].message, 'Not Authorized to access secret on type Query');
    const post = await asLambda('limited-carol', { query: POST, variables: { text: 'x' } });
    assert.equal(post.json.data.post.text, 'x');
    assert.equal(post.json.data.post.author, null);
    assert.equal(post.json.errors[0].message, 'Not Authorized to access author on type Message');
    // The same fields for a caller without denied fields.
    const full = await asLambda('allow-carol', { query: '{ secret hello }' });
    assert.deepEqual(full.json, { data: { secret: 'classified', hello: 'hello' } });
  });

  test('results are cached per token for resultTtlSeconds (300), whatever the query; invoked again after it', async () => {
    await asLambda('allow-dave', { query: '{ hello }' });
    await asLambda('allow-dave', { query: '{ whoami }' });
    await clock.advance(299_000);
    const cached = await asLambda('allow-dave', { query: POST, variables: { text: 'cached' } });
    assert.equal(cached.json.data.post.author, 'dave');
    assert.equal(eventsFor('allow-dave').length, 1);
    await clock.advance(1_000);
    const again = await asLambda('allow-dave', { query: '{ whoami }' });
    assert.equal(again.status, 200);
    const calls = eventsFor('allow-dave');
    assert.equal(calls.length, 2);
    assert.equal(calls[1]?.requestContext.queryString, '{ whoami }');
  });

  test('a refusal is cached as a grant is: the token is not re-evaluated within the TTL', async () => {
    await asLambda('deny-trudy', { query: '{ hello }' });
    await asLambda('deny-trudy', { query: '{ hello }' });
    assert.equal(eventsFor('deny-trudy').length, 1);
  });

  test('ttlOverride replaces the configured TTL: 10 s for one response, 0 (never cached) for another', async () => {
    await asLambda('short-erin', { query: '{ hello }' });
    await clock.advance(9_999);
    await asLambda('short-erin', { query: '{ hello }' });
    assert.equal(eventsFor('short-erin').length, 1);
    await clock.advance(1);
    await asLambda('short-erin', { query: '{ hello }' });
    assert.equal(eventsFor('short-erin').length, 2);

    for (let i = 0; i < 3; i++) assert.equal((await asLambda('nocache-frank', { query: '{ hello }' })).status, 200);
    assert.equal(eventsFor('nocache-frank').length, 3);
  });

  test('an API key still selects API_KEY, and an API-key caller is refused on lambda-only fields', async () => {
    const res = await t.graphql({ query: '{ hello secret }' });
    assert.equal(res.status, 200);
    assert.equal(res.json.data.hello, 'hello');
    assert.equal(res.json.errors[0].message, 'Not Authorized to access secret on type Query');
  });
});

describe('AWS_LAMBDA on the AppSync real-time protocol', () => {
  const wsUrl = () => `${t.url.replace('http', 'ws')}/graphql/realtime`;
  const host = () => new URL(t.url).host;

  test('the connection and each start are authorized by the Lambda token; a post reaches the subscriber', async () => {
    const c = await connectRaw(wsUrl(), ['graphql-ws', headerProtocol({ host: host(), Authorization: 'nocache-rtconn' })]);
    c.send({ type: 'connection_init' });
    await c.next((f) => f.type === 'connection_ack');
    // At connect there is no operation: an empty queryString, no variables.
    const [connect] = eventsFor('nocache-rtconn');
    assert.equal(connect?.requestContext.queryString, '');
    assert.deepEqual(connect?.requestContext.variables, {});
    assert.equal(connect?.requestHeaders['authorization'], 'nocache-rtconn');

    const data = JSON.stringify({ query: 'subscription OnPost { onPost { id text author } }', variables: {}, operationName: 'OnPost' });
    c.send({ id: 's1', type: 'start', payload: { data, extensions: { authorization: { host: host(), Authorization: 'nocache-rtstart' } } } });
    await c.next((f) => f.type === 'start_ack' && f.id === 's1');
    const [start] = eventsFor('nocache-rtstart');
    assert.equal(start?.requestContext.queryString, 'subscription OnPost { onPost { id text author } }');
    assert.equal(start?.requestContext.operationName, 'OnPost');

    const res = await asLambda('allow-poster', { query: POST, variables: { text: 'live' } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const frame = await c.next((f) => f.type === 'data' && f.id === 's1');
    assert.deepEqual(frame.payload.data.onPost, { id: res.json.data.post.id, text: 'live', author: 'poster' });
    c.ws.close();
  });

  test('a start whose token the authorizer denies gets an UnauthorizedException error frame', async () => {
    const c = await connectRaw(wsUrl(), ['graphql-ws', headerProtocol({ host: host(), Authorization: 'allow-rt2' })]);
    c.send({ type: 'connection_init' });
    await c.next((f) => f.type === 'connection_ack');
    const data = JSON.stringify({ query: 'subscription { onPost { id } }' });
    c.send({ id: 's2', type: 'start', payload: { data, extensions: { authorization: { host: host(), Authorization: 'deny-rt2' } } } });
    const error = await c.next((f) => f.type === 'error' && f.id === 's2');
    assert.deepEqual(error.payload.errors, [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }]);
    c.ws.close();
  });

  test('an in-band refresh takes another Lambda token only when the authorizer answers it with the same identity and denied fields', async () => {
    const c = await connectRaw(wsUrl(), ['graphql-ws', headerProtocol({ host: host(), Authorization: 'short-renew' })]);
    c.send({ type: 'connection_init' });
    await c.next((f) => f.type === 'connection_ack');
    for (const other of ['allow-renew', 'short-intruder', 'nosub-renew']) {
      // {user, plan}, another user, the same user with a denied field: each another principal.
      c.send({ type: 'refresh', payload: { authorization: { host: host(), Authorization: other } } });
      const refused = await c.next((f) => f.type === 'refresh_ack' || f.type === 'refresh_error');
      assert.deepEqual([other, refused.type, refused.payload.errors?.[0]?.message], [other, 'refresh_error', 'The new credentials belong to another principal.']);
    }
    c.send({ type: 'refresh', payload: { authorization: { host: host(), Authorization: 'nocache-renew' } } });
    assert.equal((await c.next((f) => f.type === 'refresh_ack' || f.type === 'refresh_error')).type, 'refresh_ack');
    c.ws.close();
  });

  test('a denied token at connect is a connection_error 401', async () => {
    const c = await connectRaw(wsUrl(), ['graphql-ws', headerProtocol({ host: host(), Authorization: 'deny-rt3' })]);
    c.send({ type: 'connection_init' });
    const error = await c.next((f) => f.type === 'connection_error');
    assert.equal(error.payload.errors[0].errorType, 'UnauthorizedException');
    assert.equal(error.payload.errors[0].errorCode, 401);
    await c.closed();
  });

  test('a subscription field in deniedFields is refused at start as Unauthorized', async () => {
    const c = await connectRaw(wsUrl(), ['graphql-ws', headerProtocol({ host: host(), Authorization: 'allow-rt5' })]);
    c.send({ type: 'connection_init' });
    await c.next((f) => f.type === 'connection_ack');
    const data = JSON.stringify({ query: 'subscription { onPost { text } }' });
    c.send({ id: 's5', type: 'start', payload: { data, extensions: { authorization: { host: host(), Authorization: 'nosub-rt5' } } } });
    const error = await c.next((f) => f.type === 'error' && f.id === 's5');
    assert.deepEqual(error.payload.errors, [{ errorType: 'Unauthorized', message: 'Not Authorized to access onPost on type Subscription' }]);
    c.ws.close();
  });

  test('a field in deniedFields is an error in each data frame of a subscriber that selects it', async () => {
    const c = await connectRaw(wsUrl(), ['graphql-ws', headerProtocol({ host: host(), Authorization: 'allow-rt4' })]);
    c.send({ type: 'connection_init' });
    await c.next((f) => f.type === 'connection_ack');
    // limited-* denies Message.author: a subscriber selecting it gets it as an error in each data frame.
    const data = JSON.stringify({ query: 'subscription { onPost { text author } }' });
    c.send({ id: 's4', type: 'start', payload: { data, extensions: { authorization: { host: host(), Authorization: 'limited-rt4' } } } });
    await c.next((f) => f.type === 'start_ack' && f.id === 's4');
    await asLambda('allow-poster', { query: POST, variables: { text: 'masked' } });
    const frame = await c.next((f) => f.type === 'data' && f.id === 's4');
    assert.deepEqual(frame.payload.data, { onPost: { text: 'masked', author: null } });
    assert.equal(frame.payload.errors[0].message, 'Not Authorized to access author on type Message');
    c.ws.close();
  });
});

describe('AWS_LAMBDA on graphql-transport-ws', () => {
  test('connection_init {authorization: token} authorizes the connection and its subscriptions', async () => {
    // Earlier tests' sockets are closed: wait until the server has let their subscriptions go.
    assert.ok(await waitFor(() => t.server.realtime.size === 0));
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: 'allow-tws' }, retryAttempts: 0, lazy: true });
    try {
      const acked = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      const received = new Promise<any>((resolve, reject) => {
        client.subscribe({ query: 'subscription { onPost { text author } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      await acked;
      assert.equal(eventsFor('allow-tws').length, 1);
      assert.equal(eventsFor('allow-tws')[0]?.requestContext.queryString, '');
      assert.ok(await waitFor(() => t.server.realtime.size === 1));
      await asLambda('allow-twsposter', { query: POST, variables: { text: 'over tws' } });
      const value = await received;
      assert.deepEqual(value.data, { onPost: { text: 'over tws', author: 'twsposter' } });
    } finally {
      await client.dispose();
    }
  });

  test('an authorizer slower than the 3 s init timeout does not close a client whose connection_init came in time: it is acknowledged, not closed with 4408', async () => {
    let open = (): void => undefined;
    (globalThis as { __lambdaAuthorizerGate?: Promise<void> }).__lambdaAuthorizerGate = new Promise<void>((resolve) => (open = resolve));
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    c.send({ type: 'connection_init', payload: { authorization: 'gated-slowauth' } });
    assert.ok(await waitFor(() => eventsFor('gated-slowauth').length === 1));
    // The init timeout passes while the authorizer is still thinking.
    await clock.advance(5000);
    open();
    assert.deepEqual(await c.next(), { type: 'connection_ack' });
    c.ws.close();
    await c.closed();
  });

  test('a denied token closes the connection with 4403', async () => {
    const c = await connectRaw(`${t.url.replace('http', 'ws')}/graphql`, ['graphql-transport-ws']);
    c.send({ type: 'connection_init', payload: { authorization: 'deny-tws' } });
    const closed = await c.closed();
    assert.equal(closed.code, 4403);
  });
});

type Observable = { subscribe(o: { next: (v: any) => void; error: (e: unknown) => void }): { unsubscribe(): void } };
/** Amplify's `client.graphql`, whose own type is overloaded on generated query types. */
function amplifyGraphql<T>(client: { graphql: unknown }, options: Record<string, unknown>): T {
  return (client.graphql as (this: unknown, o: Record<string, unknown>) => T).call(client, options);
}

describe('AWS_LAMBDA from the Amplify JS v6 client (authMode lambda)', () => {
  let restore: () => void = () => {};
  before(() => {
    restore = installAmplifyWebSocket();
    Amplify.configure({ API: { GraphQL: { endpoint: `${t.url}/graphql`, region: 'us-east-1', defaultAuthMode: 'lambda' } } });
  });
  after(() => restore());

  test('a query with authToken is authorized by the Lambda authorizer', async () => {
    const client = generateClient();
    const res = await amplifyGraphql<Promise<any>>(client, { query: '{ whoami }', authMode: 'lambda', authToken: 'allow-amplify' });
    assert.deepEqual(JSON.parse(res.data.whoami), { identity: { resolverContext: { user: 'amplify', plan: 'pro' } } });
    assert.equal(eventsFor('allow-amplify')[0]?.requestContext.queryString.includes('whoami'), true);
  });

  test('a subscription with authToken goes over the real-time protocol with the token as Authorization', async () => {
    assert.ok(await waitFor(() => t.server.realtime.size === 0));
    const client = generateClient();
    const observable = amplifyGraphql<Observable>(client, {
      query: 'subscription OnPost { onPost { text author } }',
      authMode: 'lambda',
      authToken: 'allow-amplifysub',
    });
    let subscription: { unsubscribe(): void } | undefined;
    const received = new Promise<any>((resolve, reject) => {
      subscription = observable.subscribe({ next: resolve, error: reject });
    });
    try {
      assert.ok(await waitFor(() => t.server.realtime.size === 1));
      await asLambda('allow-amplifyposter', { query: POST, variables: { text: 'to amplify' } });
      const value = await received;
      assert.deepEqual(value.data.onPost, { text: 'to amplify', author: 'amplifyposter' });
      // Amplify sent the token at connect and in the start; cached after the first call (TTL 300 s).
      const calls = eventsFor('allow-amplifysub');
      assert.equal(calls.length, 1);
      assert.equal(calls[0]?.requestHeaders['authorization'], 'allow-amplifysub');
    } finally {
      subscription?.unsubscribe();
    }
  });
});
