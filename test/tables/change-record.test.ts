/**
 * Table change records: which writes are changes (`tableChange`) and the event an EventBridge Pipe
 * (DynamoDB stream source, event-bus target) puts on the bus for each view type (`toPipeEnvelope`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeViewType, TableDefinition } from '../../src/app/index.ts';
import { VirtualClock } from '../../src/core/index.ts';
import { createChangeSinks, formatSequenceNumber, tableChange, toPipeEnvelope, type Item, type PipeEnvelopeContext, type TableChange } from '../../src/tables/index.ts';

const orders: TableDefinition = { name: 'orders', partitionKey: { name: 'id', type: 'S' }, indexes: {}, changes: { bus: 'default', pipeName: 'orders-changes', viewType: 'NEW_AND_OLD_IMAGES' } };
const scores: TableDefinition = { name: 'scores', partitionKey: { name: 'player', type: 'S' }, sortKey: { name: 'score', type: 'N' }, indexes: {} };

const oldItem: Item = { id: { S: 'o-1' }, status: { S: 'NEW' } };
const newItem: Item = { id: { S: 'o-1' }, status: { S: 'PAID' }, total: { N: '12.5' } };

const ctx = (viewType: ChangeViewType): PipeEnvelopeContext => ({
  table: 'orders',
  pipeName: 'orders-changes',
  viewType,
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  eventId: 'c4ca4238a0b923820dcc509a6f75849b',
  now: Date.parse('2026-01-01T10:00:00.987Z'),
  sequenceNumber: formatSequenceNumber(7),
  account: '000000000000',
  region: 'us-east-1',
  streamLabel: '1970-01-01T00:00:00.000',
});

const dynamodbOf = (change: TableChange, viewType: ChangeViewType) => (toPipeEnvelope(change, ctx(viewType)).detail as { dynamodb: Record<string, unknown> }).dynamodb;

describe('tableChange', () => {
  test('a write creating an item is INSERT with the new image', () => {
    assert.deepEqual(tableChange(orders, undefined, newItem), { eventName: 'INSERT', keys: { id: { S: 'o-1' } }, newImage: newItem });
  });

  test('a write changing an item is MODIFY with both images', () => {
    assert.deepEqual(tableChange(orders, oldItem, newItem), { eventName: 'MODIFY', keys: { id: { S: 'o-1' } }, newImage: newItem, oldImage: oldItem });
  });

  test('a delete of a present item is REMOVE with the old image', () => {
    assert.deepEqual(tableChange(orders, oldItem, undefined), { eventName: 'REMOVE', keys: { id: { S: 'o-1' } }, oldImage: oldItem });
  });

  test('a delete of an absent item and a rewrite of the same item are no change', () => {
    assert.equal(tableChange(orders, undefined, undefined), undefined);
    const reordered: Item = { status: { S: 'NEW' }, id: { S: 'o-1' } };
    assert.equal(tableChange(orders, oldItem, reordered), undefined);
  });

  test('keys carry the partition and the sort key', () => {
    const item: Item = { player: { S: 'ann' }, score: { N: '7' }, at: { S: 'x' } };
    assert.deepEqual(tableChange(scores, undefined, item)?.keys, { player: { S: 'ann' }, score: { N: '7' } });
  });
});

describe('toPipeEnvelope', () => {
  test('the envelope is the Pipe event of AWS, in AWS key order', () => {
    const change = tableChange(orders, undefined, newItem) as TableChange;
    const text = JSON.stringify(toPipeEnvelope(change, ctx('NEW_AND_OLD_IMAGES')));
    assert.equal(
      text,
      '{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Event from aws:dynamodb","source":"Pipe orders-changes","account":"000000000000",' +
        '"time":"2026-01-01T10:00:00Z","region":"us-east-1","resources":["arn:aws:pipes:us-east-1:000000000000:pipe/orders-changes"],' +
        '"detail":{"eventID":"c4ca4238a0b923820dcc509a6f75849b","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",' +
        '"dynamodb":{"ApproximateCreationDateTime":1767261600,"Keys":{"id":{"S":"o-1"}},"NewImage":{"id":{"S":"o-1"},"status":{"S":"PAID"},"total":{"N":"12.5"}},' +
        '"SequenceNumber":"100000000000000000007","SizeBytes":28,"StreamViewType":"NEW_AND_OLD_IMAGES"},' +
        '"eventSourceARN":"arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/1970-01-01T00:00:00.000"}}',
    );
  });

  const modify = tableChange(orders, oldItem, newItem) as TableChange;
  const remove = tableChange(orders, oldItem, undefined) as TableChange;
  const insert = tableChange(orders, undefined, newItem) as TableChange;
  const images = (d: Record<string, unknown>) => ({ new: 'NewImage' in d, old: 'OldImage' in d });

  test('NEW_AND_OLD_IMAGES: MODIFY carries both images, INSERT the new, REMOVE the old', () => {
    assert.deepEqual(images(dynamodbOf(modify, 'NEW_AND_OLD_IMAGES')), { new: true, old: true });
    assert.deepEqual(images(dynamodbOf(insert, 'NEW_AND_OLD_IMAGES')), { new: true, old: false });
    assert.deepEqual(images(dynamodbOf(remove, 'NEW_AND_OLD_IMAGES')), { new: false, old: true });
    assert.deepEqual(dynamodbOf(modify, 'NEW_AND_OLD_IMAGES')['OldImage'], oldItem);
  });

  test('NEW_IMAGE: only the new image, so REMOVE carries keys only', () => {
    assert.deepEqual(images(dynamodbOf(modify, 'NEW_IMAGE')), { new: true, old: false });
    assert.deepEqual(images(dynamodbOf(insert, 'NEW_IMAGE')), { new: true, old: false });
    assert.deepEqual(images(dynamodbOf(remove, 'NEW_IMAGE')), { new: false, old: false });
  });

  test('OLD_IMAGE: only the old image, so INSERT carries keys only', () => {
    assert.deepEqual(images(dynamodbOf(modify, 'OLD_IMAGE')), { new: false, old: true });
    assert.deepEqual(images(dynamodbOf(insert, 'OLD_IMAGE')), { new: false, old: false });
    assert.deepEqual(images(dynamodbOf(remove, 'OLD_IMAGE')), { new: false, old: true });
  });

  test('KEYS_ONLY: keys and no image for every event name', () => {
    for (const change of [insert, modify, remove]) {
      const d = dynamodbOf(change, 'KEYS_ONLY');
      assert.deepEqual(Object.keys(d), ['ApproximateCreationDateTime', 'Keys', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
      assert.deepEqual(d['Keys'], { id: { S: 'o-1' } });
      assert.equal(d['StreamViewType'], 'KEYS_ONLY');
    }
  });

  test('the event name follows the change', () => {
    const name = (c: TableChange) => (toPipeEnvelope(c, ctx('KEYS_ONLY')).detail as { eventName: string }).eventName;
    assert.deepEqual([insert, modify, remove].map(name), ['INSERT', 'MODIFY', 'REMOVE']);
  });

  test('SizeBytes counts the keys and the images carried', () => {
    assert.ok((dynamodbOf(modify, 'NEW_AND_OLD_IMAGES')['SizeBytes'] as number) > (dynamodbOf(modify, 'NEW_IMAGE')['SizeBytes'] as number));
    assert.ok((dynamodbOf(modify, 'NEW_IMAGE')['SizeBytes'] as number) > (dynamodbOf(modify, 'KEYS_ONLY')['SizeBytes'] as number));
  });
});

describe('formatSequenceNumber', () => {
  test('numeric and text order agree, with 21 digits', () => {
    const all = [1, 2, 9, 10, 99, 100, 123456789].map(formatSequenceNumber);
    assert.deepEqual([...all].sort(), all);
    assert.ok(all.every((s) => /^1\d{20}$/.test(s)));
  });
});

describe('createChangeSinks', () => {
  test('one sink per table with changes, on the bus stream, with injected ids and time', () => {
    const clock = new VirtualClock(Date.parse('2026-03-04T05:06:07.890Z'));
    let n = 0;
    const woken: string[] = [];
    const sinks = createChangeSinks({ orders, scores }, { clock, newId: () => `id-${++n}`, onAppend: (bus) => woken.push(bus) });
    assert.deepEqual(Object.keys(sinks), ['orders']);
    const sink = sinks['orders'];
    assert.ok(sink !== undefined);
    assert.equal(sink.stream, 'bus:default');
    const ref = { table: 'orders', pk: 'o-1', sk: null };
    const record = sink.record({ ref, before: undefined, after: JSON.stringify(newItem) }, 42);
    assert.ok(record !== undefined);
    assert.equal(record.id, 'id-1');
    assert.equal(record.time, clock.now());
    const event = JSON.parse(record.payload);
    assert.equal(event.id, 'id-1');
    assert.equal(event.time, '2026-03-04T05:06:07Z');
    assert.equal(event.detail.eventID, 'id2');
    assert.equal(event.detail.dynamodb.SequenceNumber, formatSequenceNumber(42));
    assert.equal(event.detail.dynamodb.ApproximateCreationDateTime, Math.floor(clock.now() / 1000));
    assert.equal(sink.record({ ref, before: JSON.stringify(oldItem), after: JSON.stringify({ status: { S: 'NEW' }, id: { S: 'o-1' } }) }, 43), undefined);
    sink.onCommit?.();
    assert.deepEqual(woken, ['default']);
  });
});
