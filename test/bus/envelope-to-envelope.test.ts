import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEventTime, toEnvelope, toEnvelopeText, validatePutEventsEntry, type PutEventsEntry } from '../../src/bus/envelope/index.ts';

const ctx = { id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', now: new Date('2024-05-01T10:00:00.987Z'), account: '111111111111', region: 'eu-west-1' };

function validated(entry: PutEventsEntry) {
  const check = validatePutEventsEntry(entry);
  assert.ok(check.ok);
  return check.entry;
}

test('the envelope has AWS key order and version "0"', () => {
  const envelope = toEnvelope(validated({ Source: 's', DetailType: 'd', Detail: '{"x":[1]}', Resources: ['r'] }), ctx);
  assert.equal(
    JSON.stringify(envelope),
    '{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"d","source":"s","account":"111111111111","time":"2024-05-01T10:00:00Z","region":"eu-west-1","resources":["r"],"detail":{"x":[1]}}',
  );
});

test('resources default to an empty array', () => {
  assert.deepEqual(toEnvelope(validated({ Source: 's', DetailType: 'd', Detail: '{}' }), ctx).resources, []);
});

test('time comes from Time when given, else the call time, as RFC 3339 seconds in UTC', () => {
  assert.equal(toEnvelope(validated({ Source: 's', DetailType: 'd', Detail: '{}', Time: 1_514_004_228.9 }), ctx).time, '2017-12-23T04:43:48Z');
  assert.equal(toEnvelope(validated({ Source: 's', DetailType: 'd', Detail: '{}', Time: new Date('2017-12-22T18:43:48.5Z') }), ctx).time, '2017-12-22T18:43:48Z');
  assert.equal(toEnvelope(validated({ Source: 's', DetailType: 'd', Detail: '{}' }), ctx).time, '2024-05-01T10:00:00Z');
});

test('fractions of a second are dropped, never rounded up', () => {
  assert.equal(formatEventTime(Date.UTC(2024, 0, 1, 23, 59, 59, 999)), '2024-01-01T23:59:59Z');
  assert.equal(formatEventTime(-1), '1969-12-31T23:59:59Z');
});

test('replayed events carry replay-name right after region', () => {
  const envelope = toEnvelope(validated({ Source: 's', DetailType: 'd', Detail: '{}' }), { ...ctx, replayName: 'rp' });
  assert.deepEqual(Object.keys(envelope), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail']);
});

test('toEnvelopeText is JSON.stringify(toEnvelope(...)), byte for byte', () => {
  const entries: PutEventsEntry[] = [
    { Source: 's', DetailType: 'd', Detail: '{}' },
    { Source: 'com.example "quoted"\\', DetailType: 'Ünïcödé \u2028 \u0001 🙂', Detail: '{ "a" : [1, 2.50, -0, 1e3, "x\\u0000y"], "b": {"c": null, "__proto__": {"d": true}}, "toJSON": "no" }', Resources: ['arn:1', 'r "2"'] },
    { Source: 's', DetailType: 'd', Detail: '{"a":1,"a":2}', Time: 1_514_004_228.9 },
    { Source: 's', DetailType: 'd', Detail: '{"big":123456789012345678901234567890,"neg":-1.5e-7}', Time: new Date('1970-01-01T00:00:00Z') },
  ];
  for (const entry of entries) {
    for (const c of [ctx, { ...ctx, replayName: 'replay "1"' }, { ...ctx, id: 'x\ny', account: '', region: '\u00e9' }]) {
      const e = validated(entry);
      assert.equal(toEnvelopeText(e, c), JSON.stringify(toEnvelope(e, c)));
    }
  }
});

test('events of the same second share the time text, and a new second gets its own', () => {
  assert.equal(formatEventTime(Date.UTC(2024, 0, 1, 0, 0, 1, 10)), '2024-01-01T00:00:01Z');
  assert.equal(formatEventTime(Date.UTC(2024, 0, 1, 0, 0, 1, 990)), '2024-01-01T00:00:01Z');
  assert.equal(formatEventTime(Date.UTC(2024, 0, 1, 0, 0, 2, 0)), '2024-01-01T00:00:02Z');
  assert.equal(formatEventTime(Date.UTC(2024, 0, 1, 0, 0, 1, 500)), '2024-01-01T00:00:01Z');
});
