/**
 * Schedule rules through the AWS SDK against a real server: PutRule checks ScheduleExpression in
 * AWS's grammar with AWS's error, and a rule put with a schedule fires on the server's real clock
 * (a one-off `at(...)` two seconds ahead) to its target, with no restart or reload.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { eventBridgeClient, sdkError } from './api-support.ts';
import { callBusApi } from '../../src/cli/bus-client.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/targets');
const calls = ((globalThis as Record<string, unknown>)['__sbRecordCalls'] ??= []) as { event: Record<string, unknown>; functionName: string }[];

let t: TestServer;
let eb: EventBridgeClient;
before(async () => {
  t = await startTestServer(APP);
  eb = eventBridgeClient(t.url, t.accessKey);
});
after(async () => {
  eb.destroy();
  await t.close();
});

test('PutRule refuses a ScheduleExpression outside AWS grammar with AWS\'s message', async () => {
  for (const expression of ['rate(1 minutes)', 'rate(0 minutes)', 'cron(0 12 * * * *)', 'cron(0 12 ? * ? *)', 'cron(60 * * * ? *)', 'every 5 minutes']) {
    assert.deepEqual(await sdkError(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: expression }))), { name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.', status: 400 }, expression);
  }
  for (const expression of ['rate(1 minute)', 'rate(5 minutes)', 'cron(0/15 * ? * MON-FRI *)', 'cron(0 10 L * ? *)']) {
    await eb.send(new PutRuleCommand({ Name: 'good', ScheduleExpression: expression, State: 'DISABLED' }));
  }
});

test('schedules are refused on a custom bus', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'custom' }));
  assert.deepEqual(await sdkError(eb.send(new PutRuleCommand({ Name: 'tick', EventBusName: 'custom', ScheduleExpression: 'rate(1 minute)' }))), {
    name: 'ValidationException', message: 'ScheduleExpression is supported only on the default event bus.', status: 400,
  });
});

test('a rule put with a schedule fires on time to its target, as a Scheduled Event', async () => {
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
  const text = at.toISOString().slice(0, 19);
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'once', ScheduleExpression: `at(${text})` }));
  await eb.send(new PutTargetsCommand({ Rule: 'once', Targets: [{ Id: 'rec', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:record' }] }));
  const until = Date.now() + 10_000;
  let call: (typeof calls)[number] | undefined;
  while (call === undefined && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    call = calls.find((c) => Array.isArray(c.event['resources']) && (c.event['resources'] as string[]).includes(RuleArn ?? ''));
  }
  assert.ok(call, 'the scheduled event reached the function');
  assert.ok(Date.now() >= at.getTime(), 'not before its time');
  assert.equal(call.event['detail-type'], 'Scheduled Event');
  assert.equal(call.event['source'], 'aws.events');
  assert.equal(call.event['time'], `${text}Z`);
  // trace: the scheduled event matched its own rule only, and its attempt is recorded.
  let trace: any;
  for (let i = 0; i < 100; i++) {
    trace = await callBusApi({ url: t.url, credentials: t.accessKey }, 'SwitchboardEvents.GetEventTrace', { EventId: call.event['id'] });
    if (trace.rules?.find((r: any) => r.name === 'once')?.targets?.[0]?.attempts?.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const rules = Object.fromEntries((trace.rules as any[]).map((r) => [r.name, r]));
  assert.equal(rules['once']?.matched, true);
  assert.equal(rules['good']?.matched, false);
  assert.equal(rules['once']?.targets?.[0]?.attempts?.[0]?.outcome, 'delivered');
});
