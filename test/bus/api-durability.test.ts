/**
 * The PutEvents promise: an acknowledged event is durable. The real `switchboard start` process
 * acknowledges a PutEvents from the SDK client, is killed with SIGKILL (no shutdown hook runs),
 * and the event is in the bus's log in the SQLite file it left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { openDatabase, createSqliteEventLog, createSqliteBusStore, eventLogMigrations, busMigrations } from '../../src/storage/index.ts';
import { startSwitchboardProcess } from '../support/server-process.ts';
import { eventBridgeClient, HELLO_APP } from './api-support.ts';

test('an acknowledged PutEvents survives kill -9, and so do the rules and targets', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bus-durable-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const proc = await startSwitchboardProcess([HELLO_APP], dataDir);
  const key = proc.credentials().accessKeys[0];
  assert.ok(key, 'the server wrote an access key to credentials.json');
  const client = eventBridgeClient(proc.url, key);
  let ids: (string | undefined)[];
  try {
    await client.send(new PutRuleCommand({ Name: 'kept', EventPattern: '{"source":["com.example"]}' }));
    await client.send(new PutTargetsCommand({ Rule: 'kept', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));
    const out = await client.send(
      new PutEventsCommand({ Entries: [{ Source: 'com.example', DetailType: 'Survives', Detail: '{"n":1}' }, { Source: 'com.example', DetailType: 'Survives', Detail: '{"n":2}' }] }),
    );
    assert.equal(out.FailedEntryCount, 0);
    ids = (out.Entries ?? []).map((e) => e.EventId);
  } finally {
    client.destroy();
    await proc.kill9();
  }

  const db = openDatabase({ path: join(dataDir, 'switchboard.db') }, [eventLogMigrations, busMigrations]);
  try {
    const log = await createSqliteEventLog(db).read('bus:default', 0, 100);
    assert.deepEqual(log.map((r) => r.id), ids);
    assert.deepEqual(log.map((r) => JSON.parse(r.payload).detail), [{ n: 1 }, { n: 2 }]);
    const store = createSqliteBusStore(db);
    assert.equal((await store.getRule('default', 'kept'))?.eventPattern, '{"source":["com.example"]}');
    assert.deepEqual((await store.listTargets('default', 'kept'))?.map((x) => x.id), ['t']);
  } finally {
    db.close();
  }
});
