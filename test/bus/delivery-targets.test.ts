/**
 * Every target kind through a real server and the AWS SDK: a Lambda function from the app's
 * `functions/`, a subscription field (no mutation), another bus whose own rule fires, and an API
 * destination (a real HTTP server on loopback) with its connection's auth and the target's
 * HttpParameters, as EventBridge sends them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { appsyncSubscriber } from '../support/appsync-socket.ts';
import { callBusApi } from '../../src/cli/bus-client.ts';
import { signSigV4 } from '../../src/auth/index.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/targets');
const calls = ((globalThis as Record<string, unknown>)['__sbRecordCalls'] ??= []) as { event: any; functionName: string }[];
const hooks: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

let t: TestServer;
let eb: EventBridgeClient;
let hook: Server;

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sb = (op: string, input: object) => callBusApi({ url: t.url, credentials: t.accessKey }, `SwitchboardEvents.${op}`, input);
const state = globalThis as Record<string, unknown>;

const put = (source: string, detail: object) => eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'test', Detail: JSON.stringify(detail) }] }));

describe('event-bus targets', () => {
  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const address = hook.address();
    process.env['SB_TEST_HOOK_URL'] = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t = await startTestServer(APP);
    eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey });
  });
  after(async () => {
    eb.destroy();
    await t.close();
    await new Promise((r) => hook.close(r));
  });

  test('a Lambda target calls functions/<name>.ts with the whole event', async () => {
    const out = await put('t.fn', { n: 1 });
    const id = out.Entries?.[0]?.EventId;
    const call = await waitFor('the function call', () => calls.find((c) => c.event?.id === id));
    assert.equal(call.functionName, 'record');
    assert.deepEqual(call.event.detail, { n: 1 });
    assert.equal(call.event.source, 't.fn');
  });

  test('a subscription target publishes the input to the field subscribers, with no mutation', async () => {
    const c = await appsyncSubscriber(t.url, { 'x-api-key': t.apiKey }, 'subscription { onAlert { level message } }');
    await put('t.pub', { level: 'high', message: 'disk full', ignored: 1 });
    const data = await c.next((f) => f.type === 'data', 10_000);
    assert.deepEqual(data.payload.data, { onAlert: { level: 'high', message: 'disk full' } });
    c.ws.close();
  });

  test('a bus target re-injects the same event into the other bus, whose rules then match it', async () => {
    const out = await put('t.bus', { n: 2 });
    const id = out.Entries?.[0]?.EventId;
    // The audit bus's rule calls the function with its constant input; the event id is the same.
    await waitFor('the audit rule', () => calls.find((c) => c.event?.audited === true));
    const trace = await sb('GetEventTrace', { EventId: id, EventBusName: 'audit' });
    assert.equal((trace['event'] as { id: string }).id, id, 'the audit bus holds the same event id');
  });

  test('an API destination gets the event with the connection auth, path and headers EventBridge sends', async () => {
    const out = await put('t.http', { order: 7 });
    const id = out.Entries?.[0]?.EventId;
    const req = await waitFor('the hook call', () => hooks.find((h) => h.body.includes(String(id))));
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/hooks/orders');
    assert.equal(req.headers['x-hook-key'], 'hook-secret');
    assert.equal(req.headers['x-trace'], 't-1');
    assert.equal(req.headers['x-from'], 'connection', 'connection parameters win over the target HttpParameters');
    assert.equal(req.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    assert.equal(req.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(req.body).detail, { order: 7 });
  });

  test('a target that keeps failing lands in the dead letters with AWS DLQ attributes; redrive delivers it once fixed', async () => {
    state['__sbFlakyFail'] = true;
    const out = await put('t.flaky', { n: 3 });
    const id = out.Entries?.[0]?.EventId ?? '';
    const letters = async () => ((await sb('ListDeadLetters', {}))['DeadLetters'] as { Id: number; EventId: string; Attributes: Record<string, string>; Event: string }[]).filter((l) => l.EventId === id);
    let letter: Awaited<ReturnType<typeof letters>>[number] | undefined;
    for (const until = Date.now() + 10_000; letter === undefined && Date.now() < until; ) {
      letter = (await letters())[0];
      if (letter === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(letter, 'dead-lettered');
    assert.equal(letter.Attributes['ERROR_CODE'], 'FUNCTION_ERROR');
    assert.equal(letter.Attributes['ERROR_MESSAGE'], 'Error: flaky is down');
    assert.equal(letter.Attributes['EXHAUSTED_RETRY_CONDITION'], 'MaximumRetryAttempts');
    assert.equal(letter.Attributes['RETRY_ATTEMPTS'], '0');
    assert.equal(letter.Attributes['RULE_ARN'], 'arn:aws:events:us-east-1:000000000000:rule/toFlaky');
    assert.equal(JSON.parse(letter.Event).id, id);
    assert.deepEqual((await sb('GetDeadLetter', { Id: letter.Id }))['DeadLetter'], letter);

    state['__sbFlakyFail'] = false;
    assert.deepEqual(await sb('RedriveDeadLetters', { Ids: [letter.Id, 999_999] }), { Redriven: 1, Unknown: [999_999] });
    await waitFor('the redriven delivery', () => ((state['__sbFlakyDone'] ?? []) as string[]).find((d) => d === id));
    assert.deepEqual(await letters(), [], 'the letter is gone');

    // The function ran; its "delivered" attempt is committed just after it returns.
    let trace = await sb('GetEventTrace', { EventId: id });
    for (const until = Date.now() + 10_000; !JSON.stringify(trace).includes('"delivered"') && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
      trace = await sb('GetEventTrace', { EventId: id });
    }
    const rules = trace['rules'] as { name: string; matched: boolean; failedField?: string; targets?: { id: string; input: string; attempts: { outcome: string; code?: string }[] }[] }[];
    const flaky = rules.find((r) => r.name === 'toFlaky');
    assert.equal(flaky?.matched, true);
    assert.deepEqual(flaky?.targets?.[0]?.attempts.map((a) => [a.outcome, a.code]), [['dead-lettered', 'FUNCTION_ERROR'], ['delivered', undefined]]);
    assert.equal(JSON.parse(flaky?.targets?.[0]?.input ?? '{}').id, id, 'the input is the whole event');
    assert.deepEqual(rules.find((r) => r.name === 'toFunction'), { name: 'toFunction', state: 'ENABLED', matched: false, failedField: 'source' });
  });

  test('a target whose function does not exist is a NO_RESOURCE dead letter at once', async () => {
    const out = await put('t.missing', {});
    const id = out.Entries?.[0]?.EventId;
    const letter = await (async () => {
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
        const found = ((await sb('ListDeadLetters', {}))['DeadLetters'] as { EventId: string; Attributes: Record<string, string> }[]).find((l) => l.EventId === id);
        if (found) return found;
      }
      return undefined;
    })();
    assert.equal(letter?.Attributes['ERROR_CODE'], 'NO_RESOURCE');
    assert.equal(letter?.Attributes['EXHAUSTED_RETRY_CONDITION'], undefined);
  });

  test('GET /events/<id>/trace answers the trace to a SigV4-signed request, and 404s an unknown id', async () => {
    const out = await put('t.fn', { traced: true });
    const id = out.Entries?.[0]?.EventId ?? '';
    await waitFor('the function call', () => calls.find((c) => c.event?.id === id));
    const get = async (eventId: string) => {
      const url = `${t.url}/events/${eventId}/trace`;
      const { host: _host, ...headers } = signSigV4({ method: 'GET', url, headers: {}, body: '', credentials: t.accessKey, region: 'us-east-1', service: 'events', now: Date.now() });
      const res = await fetch(url, { headers });
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };
    // The function ran; its "delivered" attempt is committed just after it returns.
    let ok = await get(id);
    for (const until = Date.now() + 10_000; !JSON.stringify(ok.json).includes('"delivered"') && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
      ok = await get(id);
    }
    assert.equal(ok.status, 200);
    const rule = ok.json['rules'].find((r: { name: string }) => r.name === 'toFunction');
    assert.deepEqual(rule.targets[0].attempts.map((a: { outcome: string }) => a.outcome), ['delivered']);
    const missing = await get('no-such-event');
    assert.equal(missing.status, 400);
    assert.equal(missing.json['__type'], 'ResourceNotFoundException');
  });
});
