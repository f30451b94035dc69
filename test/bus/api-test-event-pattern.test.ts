/**
 * TestEventPattern through the real SDK client: true/false answers from the compiled matcher,
 * AWS's InvalidEventPatternException text for a bad pattern, and AWS's answer for a bad event.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { sdkError, startBusApi, type BusApiHarness } from './api-support.ts';

let h: BusApiHarness;
before(async () => {
  h = await startBusApi();
});
after(() => h.close());

const EVENT = JSON.stringify({
  id: '1',
  account: '000000000000',
  source: 'com.example.orders',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  'detail-type': 'Order Placed',
  detail: { total: 120, status: 'PAID' },
});

test('TestEventPattern answers true when the event matches the pattern', async () => {
  const out = await h.client.send(new TestEventPatternCommand({ EventPattern: '{"source":["com.example.orders"],"detail":{"total":[{"numeric":[">",100]}]}}', Event: EVENT }));
  assert.equal(out.Result, true);
});

test('TestEventPattern answers false when the event does not match', async () => {
  const out = await h.client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"status":[{"anything-but":"PAID"}]}}', Event: EVENT }));
  assert.equal(out.Result, false);
});

test('TestEventPattern with an invalid pattern throws InvalidEventPatternException with the pattern error', async () => {
  const error = await sdkError(h.client.send(new TestEventPatternCommand({ EventPattern: '{"source":"com.example"}', Event: EVENT })));
  assert.equal(error.name, 'InvalidEventPatternException');
  assert.equal(error.status, 400);
  assert.equal(error.message, 'Event pattern is not valid. Reason: "source" must be an object or an array');
});

test('TestEventPattern with an event that is not JSON, or lacks envelope fields, is "Parameter Event is not valid."', async () => {
  for (const Event of ['not json', '[]', JSON.stringify({ source: 'a' })]) {
    const error = await sdkError(h.client.send(new TestEventPatternCommand({ EventPattern: '{"source":["a"]}', Event })));
    assert.equal(error.name, 'ValidationException', Event);
    assert.equal(error.message, 'Parameter Event is not valid.');
  }
});
