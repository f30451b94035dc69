/**
 * Seed 000 (pattern #2) end to end on `examples/flight-status`: a flight status event put on the
 * `flights` bus through the EventBridge SDK reaches a guest subscriber of `onCreateFlight` (Apollo
 * + aws-appsync links signing with guest credentials, as the seed's page does) through the rule's
 * input transformer and the IAM `createFlight` mutation, and lands in the view-model table; the
 * guest can read the board but not write to it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AuthOptions } from 'aws-appsync-auth-link';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { eventBridgeClient } from '../bus/api-support.ts';

const require = createRequire(import.meta.url);
const { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } = require('@apollo/client') as typeof import('@apollo/client');
const { createAuthLink, AUTH_TYPE } = require('aws-appsync-auth-link') as typeof import('aws-appsync-auth-link');
const { createSubscriptionHandshakeLink } = require('aws-appsync-subscription-link') as typeof import('aws-appsync-subscription-link');
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

let t: TestServer;
before(async () => {
  t = await startTestServer(join(REPO_ROOT, 'examples/flight-status'));
});
after(async () => t.close());

test('a flight status event reaches guest subscribers of onCreateFlight and the board', async () => {
  const vend = await fetch(`${t.url}/auth/guest-credentials`, { method: 'POST' });
  assert.equal(vend.status, 200);
  const guest = (await vend.json()) as { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  const url = `${t.url}/graphql`;
  const auth: AuthOptions = { type: AUTH_TYPE.AWS_IAM, credentials: { accessKeyId: guest.accessKeyId, secretAccessKey: guest.secretAccessKey, sessionToken: guest.sessionToken } };
  const link = ApolloLink.from([createAuthLink({ url, region: 'us-east-1', auth }) as never, createSubscriptionHandshakeLink({ url, region: 'us-east-1', auth }, new HttpLink({ uri: url }) as never) as never]);
  const page = new ApolloClient({ link, cache: new InMemoryCache() });

  const seen: { id: string; status: string; gate: string | null }[] = [];
  let arrived: () => void = () => {};
  const two = new Promise<void>((r) => (arrived = r));
  const subscription = page.subscribe({ query: gql`subscription { onCreateFlight { id flightNumber status gate } }` }).subscribe({
    next: (result) => {
      seen.push((result.data as { onCreateFlight: { id: string; status: string; gate: string | null } }).onCreateFlight);
      if (seen.length === 2) arrived();
    },
    error: (e: unknown) => assert.fail(String(e)),
  });
  const deadline = Date.now() + 10_000;
  while (t.server.realtime.size === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const eb = eventBridgeClient(t.url, t.accessKey);
  try {
    const flight = { id: 'UA-100-2026-12-05', airline: 'UA', flightNumber: '100', origin: 'SFO', destination: 'JFK', scheduledDeparture: '2026-12-05T16:00:00.000Z' };
    for (const change of [{ status: 'ON TIME', gate: 'B12' }, { status: 'DELAYED', gate: 'B14' }]) {
      const out = await eb.send(new PutEventsCommand({ Entries: [{ EventBusName: 'flights', Source: 'flight.operations', DetailType: 'Flight Status Changed', Detail: JSON.stringify({ ...flight, ...change }) }] }));
      assert.equal(out.FailedEntryCount, 0);
    }
  } finally {
    eb.destroy();
  }
  await two;
  subscription.unsubscribe();
  assert.deepEqual(new Set(seen.map((f) => `${f.status} ${f.gate}`)), new Set(['ON TIME B12', 'DELAYED B14']));

  // The view model holds the latest status; the guest reads it and cannot write.
  for (let i = 0; i < 100; i++) {
    const board = await page.query({ query: gql`query { getFlight(id: "UA-100-2026-12-05") { status gate } }`, fetchPolicy: 'network-only' });
    if ((board.data as { getFlight: { status: string } | null }).getFlight?.status === 'DELAYED') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const board = await page.query({ query: gql`query { listFlights { id status gate } }`, fetchPolicy: 'network-only' });
  assert.deepEqual((board.data as { listFlights: unknown[] }).listFlights.map((f) => ({ ...(f as object) })).map(({ __typename: _, ...f }: any) => f), [{ id: 'UA-100-2026-12-05', status: 'DELAYED', gate: 'B14' }]);
  const write = await page
    .mutate({ mutation: gql`mutation { createFlight(input: { id: "x", flightNumber: "1", status: "FAKE" }) { id } }` })
    .then((r) => r.error, (e: unknown) => e);
  assert.match(String((write as { message?: string })?.message ?? JSON.stringify(write)), /Not Authorized|Unauthorized/);
});
