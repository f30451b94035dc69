/**
 * Real clients, unmodified: Apollo Client 4 with aws-appsync-auth-link and
 * aws-appsync-subscription-link 4.x (what seed 000's frontend uses), API key and IAM: a subscriber
 * of onOrderUpdated(id) sees the notifyOrderUpdated mutations for its order, made by an IAM-signed
 * client. The API-key subscriber uses the seed-003 app; the IAM one the same API with the
 * subscription open to IAM (test/fixtures/apps/order-updates-iam: the seed's admits API keys only).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createRequire } from 'node:module';
import type { AuthOptions } from 'aws-appsync-auth-link';

// The AppSync links are CommonJS and require '@apollo/client' as CommonJS: load Apollo the same
// way, so there is one ApolloLink class (the dual-package hazard would otherwise split them).
const require = createRequire(import.meta.url);
const { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } = require('@apollo/client') as typeof import('@apollo/client');
const { createAuthLink, AUTH_TYPE } = require('aws-appsync-auth-link') as typeof import('aws-appsync-auth-link');
const { createSubscriptionHandshakeLink } = require('aws-appsync-subscription-link') as typeof import('aws-appsync-subscription-link');
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

// Node 20 has no global WebSocket; the link calls `new WebSocket(url, protocols)` on the global.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

let t: TestServer;

function apollo(auth: AuthOptions): InstanceType<typeof ApolloClient> {
  const url = `${t.url}/graphql`;
  const region = 'us-east-1';
  const link = ApolloLink.from([createAuthLink({ url, region, auth }) as never, createSubscriptionHandshakeLink({ url, region, auth }, new HttpLink({ uri: url }) as never) as never]);
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

const ON_ORDER_UPDATED = gql`
  subscription OnOrderUpdated($id: ID!) {
    onOrderUpdated(id: $id) {
      id
      status
      updatedAt
    }
  }
`;
const NOTIFY = gql`
  mutation Notify($input: NotifyOrderUpdatedInput!) {
    notifyOrderUpdated(input: $input) {
      id
      status
      updatedAt
    }
  }
`;

/** Seed 003's onOrderUpdated admits the default mode (API_KEY) only; the fixture opens it to IAM too. */
const ORDER_APPS = { API_KEY: 'examples/food-ordering', AWS_IAM: 'test/fixtures/apps/order-updates-iam' } as const;

/** The server's one open connection's auth mode, as the console lists it. */
async function connectionAuthModes(): Promise<unknown[]> {
  const res = await fetch(`${t.url}/console/api/connections`, { headers: { 'x-api-key': t.apiKey } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { connections: { authMode: unknown }[] }).connections.map((c) => c.authMode);
}

describe('Apollo + aws-appsync-subscription-link 4.x', () => {
  for (const mode of ['API_KEY', 'AWS_IAM'] as const) {
    test(`a ${mode} subscriber sees each status of its order, in order`, async (ctx) => {
      t = await startTestServer(join(REPO_ROOT, ORDER_APPS[mode]));
      ctx.after(() => t.close());
      const iam: AuthOptions = { type: AUTH_TYPE.AWS_IAM, credentials: { accessKeyId: t.accessKey.accessKeyId, secretAccessKey: t.accessKey.secretAccessKey } };
      const subscriber = apollo(mode === 'API_KEY' ? { type: AUTH_TYPE.API_KEY, apiKey: t.apiKey } : iam);
      const backend = apollo(iam);
      const orderId = `order-${mode}`;
      const statuses: string[] = [];
      let done: () => void = () => {};
      const allSeen = new Promise<void>((r) => (done = r));
      const subscription = subscriber.subscribe({ query: ON_ORDER_UPDATED, variables: { id: orderId } }).subscribe({
        next: (result) => {
          statuses.push((result.data as { onOrderUpdated: { status: string } }).onOrderUpdated.status);
          if (statuses.length === 4) done();
        },
        error: (e: unknown) => assert.fail(String(e)),
      });
      const deadline = Date.now() + 10_000;
      while (t.server.realtime.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.server.realtime.size, 1, 'the subscription registered');
      assert.deepEqual(await connectionAuthModes(), [mode], 'the link connected with this mode');
      for (const status of ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']) {
        await backend.mutate({ mutation: NOTIFY, variables: { input: { id: 'someone-else', status, updatedAt: '2026-11-25T10:00:00.000Z' } } });
        await backend.mutate({ mutation: NOTIFY, variables: { input: { id: orderId, status, updatedAt: '2026-11-25T10:00:00.000Z' } } });
      }
      await allSeen;
      assert.deepEqual(statuses, ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']);
      subscription.unsubscribe();
      while ((t.server.realtime.size as number) !== 0 && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.server.realtime.size, 0, 'unsubscribing stops the server-side subscription');
    });
  }
});

describe('Apollo + aws-appsync-subscription-link 4.x with IAM (SigV4 on /connect and on each start)', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/notes'));
  });
  after(async () => t.close());

  test('an IAM subscriber of an @aws_iam subscription receives notes created by an API-key client', async () => {
    const iam: AuthOptions = { type: AUTH_TYPE.AWS_IAM, credentials: { accessKeyId: t.accessKey.accessKeyId, secretAccessKey: t.accessKey.secretAccessKey } };
    const subscriber = apollo(iam);
    const writer = apollo({ type: AUTH_TYPE.API_KEY, apiKey: t.apiKey });
    const texts: string[] = [];
    let done: () => void = () => {};
    const seen = new Promise<void>((r) => (done = r));
    const subscription = subscriber.subscribe({ query: gql`subscription { onNoteCreated { text } }` }).subscribe({
      next: (result) => {
        texts.push((result.data as { onNoteCreated: { text: string } }).onNoteCreated.text);
        if (texts.length === 2) done();
      },
      error: (e: unknown) => assert.fail(String(e)),
    });
    const deadline = Date.now() + 10_000;
    while (t.server.realtime.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const text of ['first', 'second']) await writer.mutate({ mutation: gql`mutation ($text: String!) { createNote(text: $text) { id text } }`, variables: { text } });
    await seen;
    assert.deepEqual(texts, ['first', 'second']);
    subscription.unsubscribe();
  });

  test('an IAM subscriber of a subscription without @aws_iam is refused as Unauthorized (AppSync field rules)', async () => {
    // Seed 003's onOrderUpdated has no auth directive: only the default mode (API_KEY) may subscribe.
    const food = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
    try {
      const url = `${food.url}/graphql`;
      const auth: AuthOptions = { type: AUTH_TYPE.AWS_IAM, credentials: { accessKeyId: food.accessKey.accessKeyId, secretAccessKey: food.accessKey.secretAccessKey } };
      const link = ApolloLink.from([createAuthLink({ url, region: 'us-east-1', auth }) as never, createSubscriptionHandshakeLink({ url, region: 'us-east-1', auth }, new HttpLink({ uri: url }) as never) as never]);
      const client = new ApolloClient({ link, cache: new InMemoryCache() });
      const outcome = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: ON_ORDER_UPDATED, variables: { id: 'x' } }).subscribe({ next: resolve, error: resolve });
      });
      assert.ok(outcome !== undefined);
      assert.equal(food.server.realtime.size, 0);
    } finally {
      await food.close();
    }
  });
});
