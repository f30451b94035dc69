/**
 * Subscription topic messages are stored in the event log with time-ordered ids (UUIDv7): in
 * append order their ids sort in order, so the log's id index grows at its right edge instead of
 * taking a random page per published message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { createSqliteEventLog, eventLogMigrations, openDatabase } from '../../src/storage/index.ts';
import { createTopicLog, topicStream } from '../../src/realtime/topic-log.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('topic messages get UUIDv7 ids that sort in the order they were published', async (t) => {
  const db = openDatabase({ path: ':memory:' }, [eventLogMigrations]);
  t.after(() => db.close());
  const clock = new VirtualClock(Date.parse('2026-12-06T10:00:00.000Z'));
  const eventLog = createSqliteEventLog(db);
  const topics = createTopicLog(eventLog, clock, silentLogger, 10_000);
  await topics.append('onOrderUpdated', [{ n: 1 }, { n: 2 }]);
  clock.advance(5);
  await topics.append('onOrderUpdated', [{ n: 3 }]);
  await topics.append('onOrderUpdated', [{ n: 4 }]);
  const records = await eventLog.read(topicStream('onOrderUpdated'), 0, 10);
  const ids = records.map((r) => r.id);
  assert.equal(ids.length, 4);
  for (const id of ids) assert.match(id, V7);
  assert.deepEqual([...ids].sort(), ids, 'id order is publish order');
  assert.equal(new Set(ids).size, 4);
});
