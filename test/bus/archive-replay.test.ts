/**
 * Archive and replay through the AWS SDK against a real server: an archive holds the matching
 * events put after it was created, at once (no archive lag); a replay delivers them again to the
 * bus's rules with `replay-name` after `region`, only within its time window, only to its
 * FilterArns rules when given; AWS's errors for the wrong calls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { eventBridgeClient, sdkError } from './api-support.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/targets');
const calls = ((globalThis as Record<string, unknown>)['__sbRecordCalls'] ??= []) as { event: Record<string, unknown>; functionName: string }[];
const RECORD_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:record';
const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
const ARCHIVE_ARN = 'arn:aws:events:us-east-1:000000000000:archive/orders-archive';

let t: TestServer;
let eb: EventBridgeClient;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function put(source: string, n: number): Promise<string> {
  const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'replay-test', Detail: JSON.stringify({ n }) }] }));
  const id = out.Entries?.[0]?.EventId;
  assert.ok(id !== undefined);
  return id;
}

const deliveriesOf = (id: string) => calls.filter((c) => c.event['id'] === id);
const replayedOf = (id: string, replay: string) => deliveriesOf(id).filter((c) => c.event['replay-name'] === replay);

async function replayDone(name: string): Promise<string> {
  return waitFor(`replay ${name} to end`, async () => {
    const r = await eb.send(new DescribeReplayCommand({ ReplayName: name }));
    return r.State === 'COMPLETED' || r.State === 'FAILED' || r.State === 'CANCELLED' ? r.State : undefined;
  });
}

describe('archive and replay', () => {
  const ids: Record<string, string> = {};
  let windowStart = 0;

  before(async () => {
    t = await startTestServer(APP);
    eb = eventBridgeClient(t.url, t.accessKey);
    await eb.send(new PutRuleCommand({ Name: 'all-orders', EventPattern: JSON.stringify({ source: ['r.orders'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'all-orders', Targets: [{ Id: 'rec', Arn: RECORD_ARN }] }));
    await eb.send(new PutRuleCommand({ Name: 'live-only', EventPattern: JSON.stringify({ source: ['r.orders'], 'replay-name': [{ exists: false }] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'live-only', Targets: [{ Id: 'rec', Arn: RECORD_ARN }] }));
    windowStart = Math.floor(Date.now() / 1000) - 60;
    ids['before'] = await put('r.orders', 0);
  });
  after(async () => {
    eb.destroy();
    await t.close();
  });

  test('an archive holds the matching events put after its creation, counted at once', async () => {
    const created = await eb.send(new CreateArchiveCommand({ ArchiveName: 'orders-archive', EventSourceArn: BUS_ARN, EventPattern: JSON.stringify({ source: ['r.orders'] }), RetentionDays: 0 }));
    assert.equal(created.ArchiveArn, ARCHIVE_ARN);
    assert.equal(created.State, 'ENABLED');
    ids['b'] = await put('r.orders', 1);
    ids['c'] = await put('r.orders', 2);
    ids['other'] = await put('r.other', 3);
    const described = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }));
    assert.equal(described.EventCount, 2, 'the two matching events, no lag');
    assert.ok((described.SizeBytes ?? 0) > 0);
    assert.equal(described.EventSourceArn, BUS_ARN);
    const listed = await eb.send(new ListArchivesCommand({ NamePrefix: 'orders' }));
    assert.deepEqual(listed.Archives?.map((a) => a.ArchiveName), ['orders-archive']);
    for (const key of ['before', 'b', 'c']) await waitFor(`live deliveries of ${key}`, () => (deliveriesOf(ids[key] ?? '').length === 2 ? true : undefined));
  });

  test('a replay delivers the archived events again, marked with replay-name after region, to the rules that match them', async () => {
    const start = await eb.send(new StartReplayCommand({
      ReplayName: 'replay-1',
      EventSourceArn: ARCHIVE_ARN,
      EventStartTime: new Date(windowStart * 1000),
      EventEndTime: new Date(Date.now() + 60_000),
      Destination: { Arn: BUS_ARN },
    }));
    assert.equal(start.State, 'STARTING');
    assert.equal(await replayDone('replay-1'), 'COMPLETED');
    for (const key of ['b', 'c']) {
      const replayed = await waitFor(`replay of ${key}`, () => (replayedOf(ids[key] ?? '', 'replay-1').length > 0 ? replayedOf(ids[key] ?? '', 'replay-1') : undefined));
      assert.equal(replayed.length, 1, 'once: only all-orders matches, live-only excludes replays');
      assert.deepEqual(Object.keys(replayed[0]?.event ?? {}), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail']);
    }
    assert.equal(replayedOf(ids['before'] ?? '', 'replay-1').length, 0, 'put before the archive existed: not archived');
    assert.equal(deliveriesOf(ids['other'] ?? '').length, 0, 'not matched by the archive pattern (nor by any rule)');
    const described = await eb.send(new DescribeReplayCommand({ ReplayName: 'replay-1' }));
    assert.ok(described.ReplayEndTime instanceof Date);
    assert.ok(described.EventLastReplayedTime instanceof Date);
    assert.equal(described.Destination?.Arn, BUS_ARN);
  });

  test('a replay restricted by FilterArns delivers only to those rules', async () => {
    const before = calls.length;
    await eb.send(new StartReplayCommand({
      ReplayName: 'replay-filtered',
      EventSourceArn: ARCHIVE_ARN,
      EventStartTime: new Date(windowStart * 1000),
      EventEndTime: new Date(Date.now() + 60_000),
      Destination: { Arn: BUS_ARN, FilterArns: ['arn:aws:events:us-east-1:000000000000:rule/live-only'] },
    }));
    assert.equal(await replayDone('replay-filtered'), 'COMPLETED');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls.slice(before).filter((c) => c.event['replay-name'] === 'replay-filtered').length, 0, 'live-only excludes replayed events');
  });

  test('a replay window that holds no events replays nothing', async () => {
    await eb.send(new StartReplayCommand({ ReplayName: 'replay-empty', EventSourceArn: ARCHIVE_ARN, EventStartTime: new Date(0), EventEndTime: new Date(1000), Destination: { Arn: BUS_ARN } }));
    assert.equal(await replayDone('replay-empty'), 'COMPLETED');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls.filter((c) => c.event['replay-name'] === 'replay-empty').length, 0);
    const listed = await eb.send(new ListReplaysCommand({ NamePrefix: 'replay-' }));
    assert.deepEqual(listed.Replays?.map((r) => r.ReplayName), ['replay-1', 'replay-empty', 'replay-filtered']);
  });

  test('wrong calls get AWS errors', async () => {
    const window = { EventStartTime: new Date(windowStart * 1000), EventEndTime: new Date(Date.now() + 60_000), Destination: { Arn: BUS_ARN } };
    assert.deepEqual(await sdkError(eb.send(new StartReplayCommand({ ReplayName: 'replay-1', EventSourceArn: ARCHIVE_ARN, ...window }))), {
      name: 'ResourceAlreadyExistsException', message: 'Replay replay-1 already exists.', status: 400,
    });
    assert.equal((await sdkError(eb.send(new StartReplayCommand({ ReplayName: 'x', EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/nope', ...window })))).name, 'ResourceNotFoundException');
    assert.deepEqual(await sdkError(eb.send(new StartReplayCommand({ ReplayName: 'y', EventSourceArn: ARCHIVE_ARN, ...window, EventStartTime: window.EventEndTime }))), {
      name: 'ValidationException', message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.', status: 400,
    });
    assert.equal((await sdkError(eb.send(new CancelReplayCommand({ ReplayName: 'replay-1' })))).name, 'IllegalStatusException');
    assert.equal((await sdkError(eb.send(new CreateArchiveCommand({ ArchiveName: 'orders-archive', EventSourceArn: BUS_ARN })))).name, 'ResourceAlreadyExistsException');
    assert.deepEqual(await sdkError(eb.send(new CreateArchiveCommand({ ArchiveName: 'a2', EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/missing' }))), {
      name: 'ResourceNotFoundException', message: 'Event bus missing does not exist.', status: 400,
    });
    assert.equal((await sdkError(eb.send(new CreateArchiveCommand({ ArchiveName: 'a3', EventSourceArn: BUS_ARN, EventPattern: '{"source":"not-a-list"}' })))).name, 'InvalidEventPatternException');
    await eb.send(new DeleteArchiveCommand({ ArchiveName: 'orders-archive' }));
    assert.deepEqual(await sdkError(eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))), {
      name: 'ResourceNotFoundException', message: 'Archive orders-archive does not exist.', status: 400,
    });
  });
});
