/**
 * The console's HTTP API and page serving, on real servers in process: the food-ordering app
 * (events, rules, traces, executions, connections), the notes fixture (a user-pool JWT logs in)
 * and web-push-orders (push subscriptions). Every call goes over real HTTP with the app's own
 * credentials; nothing is mocked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { REPO_ROOT, startSwitchboardProcess } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';
import { startMockPushService, type MockPushService } from '../push/support/mock-push-service.ts';
import { createSqlitePushStore, openDatabase, pushMigrations } from '../../src/storage/index.ts';
import { buildConsoleIfNeeded, consoleApi, consoleCall, rawGet, waitFor, type Credential } from './console-support.ts';

process.env['SB_ORDER_WAIT_SECONDS'] = '1';
process.env['SB_PUSH_ALLOWED_ENDPOINTS'] = 'http://127.0.0.1:*';

describe('console API on food-ordering', () => {
  let t: TestServer;
  let key: Credential;
  before(async () => {
    await buildConsoleIfNeeded();
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
    key = { 'x-api-key': t.apiKey };
  });
  after(async () => {
    await t.close();
  });

  test('answers 401 with {message} without a credential, with a wrong key, and with a token the app does not accept', async () => {
    for (const credential of [{}, { 'x-api-key': 'da2-wrongwrongwrongwrongwrongwr' }, { authorization: 'Bearer not.a.jwt' }] as Credential[]) {
      for (const path of ['/session', '/events', '/connections', '/push']) {
        const res = await consoleApi(t.url, credential, path);
        assert.equal(res.status, 401, `${path} with ${JSON.stringify(credential)}`);
        assert.equal(typeof res.json.message, 'string');
      }
      assert.equal((await consoleCall(t.url, credential, 'events', 'AWSEvents.ListRules', {})).status, 401);
    }
    // A dev token is a JWT, but this app enables no user pool: refused by its own authenticator.
    const token = (await (await fetch(`${t.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username: 'ann' }) })).json()) as { token: string };
    const jwt = token.token;
    assert.ok(jwt.split('.').length === 3);
    assert.equal((await consoleApi(t.url, { authorization: `Bearer ${jwt}` }, '/session')).status, 401);
  });

  test('logs in with an API key of the app', async () => {
    const res = await consoleApi(t.url, key, '/session');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { app: 'food-ordering', region: res.json.region, authMode: 'API_KEY', user: null, push: false, workflows: true });
  });

  test('the event stream returns the order.created event of a createOrder mutation, then only what is new', async () => {
    const first = await consoleApi(t.url, key, '/events');
    assert.equal(first.status, 200);
    assert.ok(first.json.buses.includes('default'));
    const created = await t.graphql({ query: 'mutation { createOrder(input: { products: [{ name: "soup", quantity: 1 }] }) { id } }' });
    const orderId: string = created.json.data.createOrder.id;
    let cursor: string = first.json.cursor;
    const seen: any[] = [];
    const event = await waitFor('the order.created event', async () => {
      const page = await consoleApi(t.url, key, `/events?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(page.status, 200);
      cursor = page.json.cursor;
      seen.push(...page.json.events);
      return seen.find((e) => e.detailType === 'order.created' && JSON.stringify(e.detail).includes(orderId));
    });
    assert.equal(event.bus, 'default');
    assert.equal(event.source, 'order.api');
    assert.match(event.id, /^[0-9a-f-]{36}$/);
    assert.match(event.receivedAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(seen.filter((e) => e.id === event.id).length, 1, 'each event once across polls');
    // Newest first within a page; a fresh read (no cursor) has it too.
    const fresh = await consoleApi(t.url, key, '/events?limit=500');
    assert.ok(fresh.json.events.some((e: any) => e.id === event.id));
    const times = fresh.json.events.map((e: any) => e.receivedAt);
    assert.deepEqual(times, [...times].sort().reverse());

    // Its trace through the generic operation call: OrderHandlerRule matched, and its workflow target was attempted.
    const trace = await waitFor('the delivered attempt', async () => {
      const r = await consoleCall(t.url, key, 'events', 'SwitchboardEvents.GetEventTrace', { EventId: event.id, EventBusName: 'default' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const rule = r.json.rules.find((x: any) => x.name === 'OrderHandlerRule');
      return rule?.targets?.[0]?.attempts.some((a: any) => a.outcome === 'delivered') === true ? r.json : undefined;
    });
    assert.equal(trace.rules.find((x: any) => x.name === 'UpdateOrder').matched, false);
  });

  test('call runs an allowed bus or Step Functions operation and passes its answer or error through', async () => {
    const rules = await consoleCall(t.url, key, 'events', 'AWSEvents.ListRules', { EventBusName: 'default' });
    assert.equal(rules.status, 200);
    assert.deepEqual(rules.json.Rules.map((r: any) => r.Name).sort(), ['OrderHandlerRule', 'UpdateOrder']);
    const targets = await consoleCall(t.url, key, 'events', 'AWSEvents.ListTargetsByRule', { Rule: 'OrderHandlerRule' });
    assert.equal(targets.json.Targets[0].Id, 'OrderProcessing');

    const pattern = rules.json.Rules.find((r: any) => r.Name === 'OrderHandlerRule').EventPattern;
    const event = (source: string) => JSON.stringify({ id: '1', account: '000000000000', source, time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'order.created', resources: [], detail: {} });
    assert.deepEqual((await consoleCall(t.url, key, 'events', 'AWSEvents.TestEventPattern', { EventPattern: pattern, Event: event('order.api') })).json, { Result: true });
    assert.deepEqual((await consoleCall(t.url, key, 'events', 'AWSEvents.TestEventPattern', { EventPattern: pattern, Event: event('other') })).json, { Result: false });

    const machines = await consoleCall(t.url, key, 'states', 'AWSStepFunctions.ListStateMachines');
    assert.equal(machines.status, 200);
    assert.ok(machines.json.stateMachines.some((m: any) => m.name === 'OrderProcessing'));
    const letters = await consoleCall(t.url, key, 'events', 'SwitchboardEvents.ListDeadLetters', {});
    assert.deepEqual(letters.json, { DeadLetters: [] });

    const missing = await consoleCall(t.url, key, 'events', 'SwitchboardEvents.GetEventTrace', { EventId: 'nope' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.__type, 'ResourceNotFoundException');
    const noMachine = await consoleCall(t.url, key, 'states', 'AWSStepFunctions.DescribeStateMachine', { stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Nope' });
    assert.equal(noMachine.status, 400);
    assert.equal(noMachine.json.__type, 'StateMachineDoesNotExist');
  });

  test('call refuses operations outside the console allow list, and malformed requests', async () => {
    for (const [service, target] of [
      ['events', 'AWSEvents.PutEvents'],
      ['events', 'AWSEvents.PutRule'],
      ['events', 'AWSEvents.DeleteRule'],
      ['events', 'SwitchboardEvents.ForwardEvents'],
      ['states', 'AWSStepFunctions.StartExecution'],
      ['states', 'AWSStepFunctions.DeleteStateMachine'],
      ['events', 'AWSStepFunctions.ListStateMachines'],
    ] as const) {
      const res = await consoleCall(t.url, key, service, target, { Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] });
      assert.equal(res.status, 403, target);
      assert.equal(res.json.__type, 'AccessDeniedException');
    }
    const noBody = await consoleApi(t.url, key, '/call', { method: 'POST', body: 'not an object' });
    assert.equal(noBody.status, 400);
    const badService = await consoleApi(t.url, key, '/call', { method: 'POST', body: { service: 'lambda', target: 'x' } });
    assert.equal(badService.status, 400);
    const badInput = await consoleApi(t.url, key, '/call', { method: 'POST', body: { service: 'events', target: 'AWSEvents.ListRules', input: [1] } });
    assert.equal(badInput.status, 400);
  });

  test('connections lists each WebSocket with its protocol, auth mode and subscription fields', async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
    const standard = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      standard.once('open', resolve);
      standard.once('error', reject);
    });
    const frames: any[] = [];
    standard.on('message', (d) => frames.push(JSON.parse(d.toString())));
    standard.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': t.apiKey } }));
    await waitFor('connection_ack', () => frames.find((f) => f.type === 'connection_ack'));
    standard.send(JSON.stringify({ id: 'one', type: 'subscribe', payload: { query: 'subscription { onOrderUpdated(id: "o-1") { id status } }' } }));

    const appsync = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription { onOrderUpdated(id: "o-2") { id } }', { id: 'a' });

    const view = await waitFor('both subscriptions listed', async () => {
      const res = await consoleApi(t.url, key, '/connections');
      assert.equal(res.status, 200);
      return res.json.subscriptions >= 2 ? res.json : undefined;
    });
    assert.equal(view.total, 2);
    assert.equal(view.byProtocol['transport-ws'].connections, 1);
    assert.equal(view.byProtocol.appsync.connections, 1);
    const byProtocol = (p: string) => view.connections.find((c: any) => c.subprotocol === p);
    assert.deepEqual(byProtocol('graphql-transport-ws').subscriptions, [{ id: 'one', field: 'onOrderUpdated' }]);
    assert.equal(byProtocol('graphql-transport-ws').authMode, 'API_KEY');
    assert.deepEqual(byProtocol('graphql-ws').subscriptions, [{ id: 'a', field: 'onOrderUpdated' }]);
    assert.equal(byProtocol('graphql-ws').authMode, 'API_KEY');
    assert.match(byProtocol('graphql-ws').connectedAt, /^\d{4}-/);
    assert.equal(byProtocol('graphql-ws').sourceIp, '127.0.0.1', 'the peer address, read from the socket when listed');

    standard.close();
    appsync.ws.close();
    await waitFor('the sockets gone', async () => ((await consoleApi(t.url, key, '/connections')).json.total === 0 ? true : undefined));
  });

  test('push says it is not configured for this app', async () => {
    assert.deepEqual((await consoleApi(t.url, key, '/push')).json, { configured: false, total: 0, subscriptions: [] });
  });

  test('serves the page: redirect, index.html without caching, hashed assets, client-side routes', async () => {
    const redirect = await rawGet(t.url, '/console?apiKey=abc');
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers['location'], '/console/?apiKey=abc');
    const index = await rawGet(t.url, '/console/');
    assert.equal(index.status, 200);
    assert.match(String(index.headers['content-type']), /^text\/html/);
    assert.equal(index.headers['cache-control'], 'no-cache');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    const style = /href="(\/console\/assets\/[^"]+\.css)"/.exec(index.body)?.[1];
    assert.ok(script !== undefined && style !== undefined, index.body);
    const js = await rawGet(t.url, script);
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.match(String((await rawGet(t.url, style)).headers['content-type']), /^text\/css/);
    for (const route of ['/console/events', '/console/executions/arn%3Aaws%3Astates%3Aus-east-1%3A0%3Aexecution%3AX%3Ay', '/console/dead-letters?bus=default']) {
      const page = await rawGet(t.url, route);
      assert.equal(page.status, 200, route);
      assert.equal(page.body, index.body, route);
    }
    assert.equal((await rawGet(t.url, '/console/assets/missing.js')).status, 404);
    const api = await rawGet(t.url, '/console/api/nothing');
    assert.equal(api.status, 404);
    assert.equal(typeof JSON.parse(api.body).message, 'string');
  });

  test('no path leaves console/dist: .. and its encodings are refused', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/%2E%2E/%2E%2E/package.json',
      '/console/..%2fpackage.json',
      '/console/assets/..%2f..%2f..%2fpackage.json',
      '/console/assets/../../../package.json',
      '/console/..%5cpackage.json',
      '/console/.%2e/src/server/console/routes.ts',
      '/console/%00index.html',
      '/console/%E0%A4%A',
    ]) {
      const res = await rawGet(t.url, path);
      assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
      assert.ok(!res.body.includes('"name": "switchboard"') && !res.body.includes('consoleRoutes'), path);
    }
  });
});

describe('console API on an app with user pools', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => {
    await t.close();
  });

  test('a dev token (Authorization: Bearer <jwt>) logs in as its user', async () => {
    const token = (await (await fetch(`${t.url}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username: 'ann' }) })).json()) as { token: string };
    const jwt = token.token;
    const res = await consoleApi(t.url, { authorization: `Bearer ${jwt}` }, '/session');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.authMode, 'AMAZON_COGNITO_USER_POOLS');
    assert.equal(res.json.user, 'ann');
    const tampered = `${jwt.slice(0, -4)}AAAA`;
    assert.equal((await consoleApi(t.url, { authorization: `Bearer ${tampered}` }, '/session')).status, 401);
  });
});

describe('console API on web-push-orders', () => {
  let t: TestServer;
  let mock: MockPushService;
  before(async () => {
    mock = await startMockPushService();
    t = await startTestServer(join(REPO_ROOT, 'examples/web-push-orders'));
  });
  after(async () => {
    await t.close();
    await mock.close();
  });

  test('lists push subscriptions with their user, push service origin and followed orders', async () => {
    const publicKey = ((await (await fetch(`${t.url}/push/vapid.json`)).json()) as { publicKey: string }).publicKey;
    const sub = mock.subscribe();
    const post = async (path: string, body: unknown) => (await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<any>;
    const { subscriptionId } = await post('/subscribe', { ...sub.json(), userId: 'ann', applicationServerKey: publicKey });
    await post('/subscribe/order', { orderId: 'order-7', subscriptionId });
    const res = await consoleApi(t.url, { 'x-api-key': t.apiKey }, '/push');
    assert.equal(res.status, 200);
    assert.equal(res.json.configured, true);
    assert.equal(res.json.total, 1);
    const [listed] = res.json.subscriptions;
    assert.deepEqual({ ...listed, createdAt: undefined, updatedAt: undefined }, { id: subscriptionId, userId: 'ann', endpointOrigin: mock.origin, createdAt: undefined, updatedAt: undefined, expiresAt: null, orders: ['order-7'] });
    assert.ok(!JSON.stringify(res.json).includes(sub.keys.auth), 'no keys');
  });
});

test('PushStore.listSubscriptions pages through subscriptions in id order', async () => {
  const store = createSqlitePushStore(openDatabase({ path: ':memory:' }, [pushMigrations]));
  for (const id of ['c', 'a', 'b']) {
    await store.putSubscription({ id, endpoint: `https://push.example/${id}`, p256dh: 'k', auth: 'a', vapidKey: 'v', createdAt: 1, updatedAt: 1 });
  }
  assert.deepEqual((await store.listSubscriptions({ limit: 2 })).map((s) => s.id), ['a', 'b']);
  assert.deepEqual((await store.listSubscriptions({ after: 'b', limit: 2 })).map((s) => s.id), ['c']);
});

describe('console from the command line', () => {
  test('switchboard start prints the console link with the API key, and the link serves the page', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-console-cli-'));
    const server = await startSwitchboardProcess([join(REPO_ROOT, 'examples/food-ordering')], dataDir);
    try {
      const key = server.credentials().apiKeys[0] ?? '';
      const link = new RegExp(`Console +(http://\\S+/console/\\?apiKey=${key})`).exec(server.output())?.[1];
      assert.ok(link !== undefined, server.output());
      const page = await fetch(link);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">/);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a console source newer than console/dist makes the next page request rebuild it first', { timeout: 60_000 }, async () => {
    const t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
    try {
      const source = join(REPO_ROOT, 'console/src/main.tsx');
      const now = new Date();
      utimesSync(source, now, now);
      const res = await rawGet(t.url, '/console/');
      assert.equal(res.status, 200);
      assert.ok(statSync(join(REPO_ROOT, 'console/dist/index.html')).mtimeMs >= statSync(source).mtimeMs, 'dist rebuilt after the source changed');
      assert.match(res.body, /\/console\/assets\/index-[\w-]+\.js/);
    } finally {
      await t.close();
    }
  });
});
