/**
 * The AWS JSON 1.1 envelope of the bus API: SigV4 with a configured access key for service
 * `events` (refusals named as AWS names them), `UnknownOperationException` for an unknown
 * `X-Amz-Target`, `SerializationException` for a body that is not JSON.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { signSigV4 } from '../../src/auth/index.ts';
import { sdkError, startBusApi, type BusApiHarness } from './api-support.ts';

let h: BusApiHarness;
before(async () => {
  h = await startBusApi();
});
after(() => h.close());

const ENTRY = { Source: 'a', DetailType: 'b', Detail: '{}' };

async function rawCall(target: string, body: string, options: { service?: string; sign?: boolean } = {}): Promise<{ status: number; json: { __type?: string; message?: string }; contentType: string | null }> {
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  const signed =
    options.sign === false
      ? headers
      : signSigV4({ method: 'POST', url: `${h.server.url}/`, headers, body, credentials: h.server.accessKey, region: 'us-east-1', service: options.service ?? 'events', now: Date.now() });
  // `host` is a forbidden fetch header; fetch sends the same value itself.
  const { host: _host, ...sendable } = signed as Record<string, string>;
  const res = await fetch(`${h.server.url}/`, { method: 'POST', headers: sendable, body });
  return { status: res.status, json: (await res.json()) as { __type?: string; message?: string }, contentType: res.headers.get('content-type') };
}

test('a request signed with an unknown access key id is refused with UnrecognizedClientException', async () => {
  const client = h.clientWith({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever' });
  assert.deepEqual(await sdkError(client.send(new PutEventsCommand({ Entries: [ENTRY] }))), {
    name: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
    status: 400,
  });
});

test('a request signed with the wrong secret is refused with InvalidSignatureException', async () => {
  const client = h.clientWith({ accessKeyId: h.server.accessKey.accessKeyId, secretAccessKey: 'not-the-secret' });
  const error = await sdkError(client.send(new ListRulesCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.status, 400);
  assert.match(error.message, /^The request signature we calculated does not match the signature you provided/);
  assert.equal((await h.busLog()).length, 0, 'nothing was appended by refused calls');
});

test('a request signed for another service is refused with InvalidSignatureException', async () => {
  const out = await rawCall('AWSEvents.ListRules', '{}', { service: 'appsync' });
  assert.equal(out.status, 400);
  assert.deepEqual(out.json, { __type: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'events'." });
});

test('an unsigned request is refused with MissingAuthenticationTokenException', async () => {
  const out = await rawCall('AWSEvents.ListRules', '{}', { sign: false });
  assert.equal(out.status, 400);
  assert.equal(out.json.__type, 'MissingAuthenticationTokenException');
});

test('an unknown X-Amz-Target is UnknownOperationException', async () => {
  const out = await rawCall('AWSEvents.PutPermission', '{}');
  assert.equal(out.status, 400);
  assert.equal(out.json.__type, 'UnknownOperationException');
  assert.equal((await rawCall('DynamoDB_20120810.ListTables', '{}')).json.__type, 'UnknownOperationException');
});

test('a body that is not JSON is SerializationException', async () => {
  const out = await rawCall('AWSEvents.PutEvents', '{"Entries": [');
  assert.equal(out.status, 400);
  assert.equal(out.json.__type, 'SerializationException');
  assert.equal(out.contentType, 'application/x-amz-json-1.1');
});

test('a member of the wrong JSON type is SerializationException', async () => {
  const out = await rawCall('AWSEvents.PutRule', '{"Name": "r", "EventPattern": {"source": ["a"]}}');
  assert.equal(out.status, 400);
  assert.equal(out.json.__type, 'SerializationException');
});
