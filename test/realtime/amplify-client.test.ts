/**
 * The real Amplify JS v6 client (aws-amplify 6.22, `generateClient` from `aws-amplify/api`),
 * unmodified, against a real Switchboard: HTTP queries and mutations, and subscriptions over the
 * AppSync real-time protocol (research/appsync.md §1.2, §2, §10.2).
 *
 * The only adaptation is in the environment, not in Amplify: Node 20 gets a global `WebSocket`
 * (the `ws` package) that dials `ws://` where Amplify asks for `wss://127.0.0.1:PORT` — Amplify
 * always maps an `http://` endpoint to `wss://…/graphql/realtime` (test/support/amplify.ts).
 * Credentials come in through Amplify's documented library options: a static
 * `credentialsProvider` for IAM and a `tokenProvider` returning a Switchboard dev JWT for user pools.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { decodeJWT } from '@aws-amplify/core'; // aws-amplify's own dependency; aws-amplify/utils does not re-export it
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { installAmplifyWebSocket, recordedSockets, waitFor } from '../support/amplify.ts';

const CREATE_ORDER = /* GraphQL */ `
  mutation CreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) {
      id
      status
      products {
        name
        quantity
      }
    }
  }
`;
const NOTIFY = /* GraphQL */ `
  mutation Notify($input: NotifyOrderUpdatedInput!) {
    notifyOrderUpdated(input: $input) {
      id
      status
      updatedAt
    }
  }
`;
const ON_ORDER_UPDATED = /* GraphQL */ `
  subscription OnOrderUpdated($id: ID!) {
    onOrderUpdated(id: $id) {
      id
      status
      updatedAt
    }
  }
`;
const CREATE_NOTE = /* GraphQL */ `
  mutation CreateNote($text: String!) {
    createNote(text: $text) {
      id
      text
    }
  }
`;
const ON_NOTE_CREATED = /* GraphQL */ `
  subscription OnNoteCreated {
    onNoteCreated {
      id
      text
    }
  }
`;

type Observable = { subscribe(o: { next: (v: any) => void; error: (e: unknown) => void }): { unsubscribe(): void } };
/** What the tests use of Amplify's client (its own type is overloaded on generated query types). */
type AmplifyClient = { graphql: unknown };

function graphql(client: AmplifyClient, options: Record<string, unknown>): Promise<any> {
  return (client.graphql as (this: AmplifyClient, o: Record<string, unknown>) => Promise<any>).call(client, options);
}
function subscribe(client: AmplifyClient, options: Record<string, unknown>): Observable {
  return (client.graphql as (this: AmplifyClient, o: Record<string, unknown>) => Observable).call(client, options);
}

/** Amplify rejects with the whole GraphQL result (`{data, errors}`) on errors; make it readable. */
function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

function configure(t: TestServer, auth: { token?: string } = {}): void {
  Amplify.configure(
    { API: { GraphQL: { endpoint: `${t.url}/graphql`, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: t.apiKey } } },
    {
      Auth: {
        credentialsProvider: {
          getCredentialsAndIdentityId: async () => ({ credentials: { accessKeyId: t.accessKey.accessKeyId, secretAccessKey: t.accessKey.secretAccessKey } }),
          clearCredentialsAndIdentityId: () => {},
        },
        tokenProvider: {
          getTokens: async () => (auth.token ? { accessToken: decodeJWT(auth.token) } : null),
        },
      },
    },
  );
}

let restoreWebSocket: () => void = () => {};

before(() => {
  restoreWebSocket = installAmplifyWebSocket();
});
after(() => restoreWebSocket());

describe('Amplify JS v6 against seed 003 (food-ordering)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
    configure(t);
  });
  after(async () => {
    // Amplify closes its socket 1 s after the last subscription stops; wait for that before stopping.
    await waitFor(() => recordedSockets.every((s) => s.socket.readyState === s.socket.CLOSED), 5000);
    await t.close();
  });

  test('Amplify generateClient: a query and a mutation with an API key', async () => {
    const client = generateClient();
    const query = await graphql(client, { query: 'query Typename { __typename }' }).catch((e) => assert.fail(describeError(e)));
    assert.deepEqual(query.data, { __typename: 'Query' });
    const created = await graphql(client, { query: CREATE_ORDER, variables: { input: { products: [{ name: 'pizza', quantity: 2 }] } } }).catch((e) =>
      assert.fail(describeError(e)),
    );
    assert.equal(created.errors, undefined);
    assert.equal(created.data.createOrder.status, 'PENDING');
    assert.deepEqual(created.data.createOrder.products, [{ name: 'pizza', quantity: 2 }]);
    assert.equal(typeof created.data.createOrder.id, 'string');
    // The API key is what authorised it: the IAM-only mutation is refused in the same mode.
    const refused = await graphql(client, { query: NOTIFY, variables: { input: { id: 'x', status: 'PAID', updatedAt: '2026-11-25T10:00:00.000Z' } } }).then(
      (r) => r,
      (e) => e,
    );
    assert.ok(Array.isArray(refused?.errors) && refused.errors.length > 0, `notifyOrderUpdated with an API key must fail: ${describeError(refused)}`);
  });

  test('Amplify generateClient: an API-key subscriber of onOrderUpdated(id) receives each status of its order, in order', async () => {
    const subscriber = generateClient();
    const backend = generateClient({ authMode: 'iam' });
    const orderId = 'order-amplify';
    const statuses: string[] = [];
    const errors: string[] = [];
    let done: () => void = () => {};
    const allSeen = new Promise<void>((r) => (done = r));
    const socketsBefore = recordedSockets.length;
    const subscription = subscribe(subscriber, { query: ON_ORDER_UPDATED, variables: { id: orderId } }).subscribe({
      next: ({ data }) => {
        assert.equal(data.onOrderUpdated.id, orderId, 'only updates of the subscribed order arrive');
        statuses.push(data.onOrderUpdated.status);
        if (statuses.length === 4) done();
      },
      error: (e) => errors.push(describeError(e)),
    });
    try {
      assert.ok(await waitFor(() => t.server.realtime.size === 1 || errors.length > 0), 'the subscription registered on the server');
      assert.deepEqual(errors, []);
      const socket = recordedSockets[socketsBefore];
      assert.ok(socket, 'Amplify opened a WebSocket');
      assert.match(socket.requestedUrl, /^wss:\/\/127\.0\.0\.1:\d+\/graphql\/realtime$/, 'Amplify derives wss://…/graphql/realtime from the http endpoint');
      assert.equal(socket.socket.protocol, 'graphql-ws', 'the server selected graphql-ws, not the header- token');
      for (const status of ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']) {
        // An IAM-signed (SigV4 by Amplify) publish for another order, then one for ours.
        for (const id of ['someone-else', orderId]) {
          const r = await graphql(backend, { query: NOTIFY, variables: { input: { id, status, updatedAt: '2026-11-25T10:00:00.000Z' } } }).catch((e) =>
            assert.fail(`IAM notifyOrderUpdated through Amplify: ${describeError(e)}`),
          );
          assert.equal(r.data.notifyOrderUpdated.status, status);
        }
      }
      const timeout = setTimeout(done, 10_000);
      await allSeen;
      clearTimeout(timeout);
      assert.deepEqual(errors, []);
      assert.deepEqual(statuses, ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    } finally {
      subscription.unsubscribe();
    }
    assert.ok(await waitFor(() => t.server.realtime.size === 0, 5000), `unsubscribing stops the server-side subscription (size ${t.server.realtime.size})`);
    const socket = recordedSockets[socketsBefore];
    const start = socket?.sent.find((f) => f.type === 'start');
    assert.ok(start, 'Amplify sent a start frame');
    assert.ok(
      socket?.sent.some((f) => f.type === 'stop' && f.id === start.id),
      'Amplify sent stop for its subscription id',
    );
    assert.ok(await waitFor(() => socket?.socket.readyState === socket?.socket.CLOSED, 5000), 'Amplify closes the idle socket');
  });

  test('Amplify: the keep-alive expectation', async () => {
    const client = generateClient();
    const socketsBefore = recordedSockets.length;
    const errors: string[] = [];
    const subscription = subscribe(client, { query: ON_ORDER_UPDATED, variables: { id: 'order-ka' } }).subscribe({
      next: () => {},
      error: (e) => errors.push(describeError(e)),
    });
    try {
      assert.ok(await waitFor(() => t.server.realtime.size === 1 || errors.length > 0), 'the subscription registered on the server');
      assert.deepEqual(errors, []);
      const socket = recordedSockets[socketsBefore];
      assert.ok(socket, 'Amplify opened a WebSocket');
      assert.ok(await waitFor(() => socket.received.length >= 2, 5000), `frames: ${JSON.stringify(socket.received)}`);
      const [ack, ka] = socket.received;
      assert.equal(ack.type, 'connection_ack');
      assert.ok(Number.isInteger(ack.payload?.connectionTimeoutMs) && ack.payload.connectionTimeoutMs > 0, 'the ack carries connectionTimeoutMs');
      assert.deepEqual(ka, { type: 'ka' }, `the frame right after connection_ack is ka; frames: ${JSON.stringify(socket.received)}`);
    } finally {
      subscription.unsubscribe();
    }
    assert.ok(await waitFor(() => t.server.realtime.size === 0, 5000));
  });
});

describe('Amplify JS v6 against the notes app (user pools)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
    const res = await fetch(`${t.url}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', groups: [] }) });
    assert.equal(res.status, 200);
    const { token } = (await res.json()) as { token: string };
    configure(t, { token });
  });
  after(async () => {
    await waitFor(() => recordedSockets.every((s) => s.socket.readyState === s.socket.CLOSED), 5000);
    await t.close();
  });

  test('Amplify generateClient: a user-pool subscriber (authMode userPool with a dev JWT) receives notes', async () => {
    const subscriber = generateClient({ authMode: 'userPool' });
    const writer = generateClient();
    const socketsBefore = recordedSockets.length;
    const texts: string[] = [];
    const errors: string[] = [];
    let done: () => void = () => {};
    const seen = new Promise<void>((r) => (done = r));
    const subscription = subscribe(subscriber, { query: ON_NOTE_CREATED }).subscribe({
      next: ({ data }) => {
        texts.push(data.onNoteCreated.text);
        if (texts.length === 2) done();
      },
      error: (e) => errors.push(describeError(e)),
    });
    try {
      assert.ok(await waitFor(() => t.server.realtime.size === 1 || errors.length > 0), 'the subscription registered on the server');
      assert.deepEqual(errors, []);
      const socket = recordedSockets[socketsBefore];
      const start = socket?.sent.find((f) => f.type === 'start');
      assert.ok(start, 'Amplify sent a start frame');
      assert.equal(typeof start.payload.extensions.authorization.Authorization, 'string', 'the start carries the JWT as Authorization');
      for (const text of ['first', 'second']) {
        const r = await graphql(writer, { query: CREATE_NOTE, variables: { text } }).catch((e) => assert.fail(describeError(e)));
        assert.equal(r.data.createNote.text, text);
      }
      const timeout = setTimeout(done, 10_000);
      await seen;
      clearTimeout(timeout);
      assert.deepEqual(errors, []);
      assert.deepEqual(texts, ['first', 'second']);
      // The user-pool token also works for HTTP through Amplify.
      const who = await graphql(subscriber, { query: 'query { whoami }' }).catch((e) => assert.fail(describeError(e)));
      const identity = JSON.parse(who.data.whoami).identity;
      assert.equal(identity.username, 'alice');
    } finally {
      subscription.unsubscribe();
    }
    assert.ok(await waitFor(() => t.server.realtime.size === 0, 5000));
  });
});
