/**
 * The older client generation, unmodified: Apollo Client 3 with aws-appsync-subscription-link
 * 3.1.x and aws-appsync-auth-link 3.x (what most AppSync apps written before 2025 ship), API key and
 * IAM (SigV4 by the auth link on HTTP, by the subscription link on /connect and each start). They
 * cannot share node_modules with the root's Apollo Client 4, so they are declared in
 * `test/clients/apollo3/` (own package.json and lockfile) and this test installs them with
 * `npm ci` on first use and whenever that lockfile changes, under the root's
 * `node_modules/.switchboard-test-clients/apollo3` (ignored, and outside `test/`, so no
 * third-party test file sits in the test tree). Without the npm registry the suite says so and
 * skips (fails in CI).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import WebSocket from 'ws';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

const MANIFEST_DIR = join(REPO_ROOT, 'test/clients/apollo3');
const CLIENT_DIR = join(REPO_ROOT, 'node_modules/.switchboard-test-clients/apollo3');

/** The install is current when it was made from the lockfile in test/clients/apollo3 now. */
function installed(): boolean {
  if (!existsSync(join(CLIENT_DIR, 'node_modules/aws-appsync-subscription-link/package.json'))) return false;
  const lock = (dir: string): string => readFileSync(join(dir, 'package-lock.json'), 'utf8');
  return existsSync(join(CLIENT_DIR, 'package-lock.json')) && lock(CLIENT_DIR) === lock(MANIFEST_DIR);
}

function installClients(): string | undefined {
  if (installed()) return undefined;
  try {
    mkdirSync(CLIENT_DIR, { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(MANIFEST_DIR, file), join(CLIENT_DIR, file));
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', CLIENT_DIR], { stdio: 'pipe', timeout: 180_000 });
    return undefined;
  } catch (error) {
    return `could not install test/clients/apollo3 (npm ci): ${(error as Error).message.split('\n')[0]}`;
  }
}

const problem = installClients();
if (problem !== undefined && process.env['CI'] === 'true') throw new Error(problem);
if (problem !== undefined) console.warn(`SKIPPED aws-appsync-subscription-link 3.1.x tests: ${problem}`);

// Node 20 has no global WebSocket; the link calls `new WebSocket(url, protocols)` on the global.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/* eslint-disable @typescript-eslint/no-explicit-any */
const load = (): { apollo: any; authLink: any; subscriptionLink: any; version: string; authVersion: string } => {
  const require = createRequire(join(CLIENT_DIR, 'package.json'));
  return {
    apollo: require('@apollo/client/core'),
    authLink: require('aws-appsync-auth-link'),
    subscriptionLink: require('aws-appsync-subscription-link'),
    version: (require('aws-appsync-subscription-link/package.json') as { version: string }).version,
    authVersion: (require('aws-appsync-auth-link/package.json') as { version: string }).version,
  };
};

/** Seed 003's onOrderUpdated admits the default mode (API_KEY) only; the fixture opens it to IAM too. */
const ORDER_APPS = { API_KEY: 'examples/food-ordering', AWS_IAM: 'test/fixtures/apps/order-updates-iam' } as const;

describe('Apollo Client 3 + aws-appsync-subscription-link 3.1.x', { skip: problem }, () => {
  let t: TestServer;
  let lib: ReturnType<typeof load>;
  before(() => {
    lib = load();
  });

  const client = (auth: unknown): any => {
    const url = `${t.url}/graphql`;
    const { ApolloClient, ApolloLink, HttpLink, InMemoryCache } = lib.apollo;
    const link = ApolloLink.from([lib.authLink.createAuthLink({ url, region: 'us-east-1', auth }), lib.subscriptionLink.createSubscriptionHandshakeLink({ url, region: 'us-east-1', auth }, new HttpLink({ uri: url }))]);
    return new ApolloClient({ link, cache: new InMemoryCache() });
  };

  test('the links are aws-appsync-subscription-link 3.1.x and aws-appsync-auth-link 3.x', () => {
    assert.match(lib.version, /^3\.1\./);
    assert.match(lib.authVersion, /^3\./);
  });

  for (const mode of ['API_KEY', 'AWS_IAM'] as const) {
    test(`a ${mode} subscriber sees its order's updates made by an IAM-signed client, in order`, async (ctx) => {
      t = await startTestServer(join(REPO_ROOT, ORDER_APPS[mode]));
      ctx.after(() => t.close());
      const { gql } = lib.apollo;
      const { AUTH_TYPE } = lib.authLink;
      const iam = { type: AUTH_TYPE.AWS_IAM, credentials: { accessKeyId: t.accessKey.accessKeyId, secretAccessKey: t.accessKey.secretAccessKey } };
      const subscriber = client(mode === 'API_KEY' ? { type: AUTH_TYPE.API_KEY, apiKey: t.apiKey } : iam);
      const backend = client(iam);
      const orderId = `order-3x-${mode}`;
      const statuses: string[] = [];
      let done: () => void = () => {};
      const allSeen = new Promise<void>((r) => (done = r));
      const subscription = subscriber
        .subscribe({ query: gql`subscription OnOrderUpdated($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }`, variables: { id: orderId } })
        .subscribe({
          next: (result: any) => {
            statuses.push(result.data.onOrderUpdated.status);
            if (statuses.length === 4) done();
          },
          error: (e: unknown) => assert.fail(String(e)),
        });
      const deadline = Date.now() + 10_000;
      while (t.server.realtime.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.server.realtime.size, 1, 'the subscription registered');
      const listed = await fetch(`${t.url}/console/api/connections`, { headers: { 'x-api-key': t.apiKey } });
      assert.deepEqual(((await listed.json()) as { connections: { authMode: unknown }[] }).connections.map((c) => c.authMode), [mode], 'the link connected with this mode');
      const notify = gql`mutation Notify($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }`;
      for (const status of ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']) {
        await backend.mutate({ mutation: notify, variables: { input: { id: 'someone-else', status, updatedAt: '2026-11-25T10:00:00.000Z' } } });
        await backend.mutate({ mutation: notify, variables: { input: { id: orderId, status, updatedAt: '2026-11-25T10:00:00.000Z' } } });
      }
      await allSeen;
      assert.deepEqual(statuses, ['PAID', 'PREPARING', 'OUT_FOR_DELIVERY', 'DELIVERED']);
      subscription.unsubscribe();
      while ((t.server.realtime.size as number) !== 0 && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(t.server.realtime.size, 0, 'unsubscribing stops the server-side subscription');
    });
  }
});
