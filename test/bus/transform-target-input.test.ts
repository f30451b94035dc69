import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '../../src/bus/envelope/index.ts';
import {
  compileConstantInput,
  compileInputPath,
  compileTargetInput,
  TargetInputError,
  type TransformContext,
} from '../../src/bus/transform/index.ts';

const event: EventEnvelope = {
  version: '0',
  id: 'e-1',
  'detail-type': 'Order Placed',
  source: 'com.example.orders',
  account: '111111111111',
  time: '2024-05-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { orderId: 'o-1', lines: [{ sku: 'a' }], total: 12.5 },
};
const ctx: TransformContext = { ruleArn: 'arn:aws:events:eu-west-1:111111111111:rule/r', ruleName: 'r', ingestionTime: '2024-05-01T10:00:00.500Z' };

test('a target without input settings receives the whole event', () => {
  assert.equal(compileTargetInput({ id: 't' })(event, ctx), JSON.stringify(event));
});

test('Input is sent verbatim instead of the event', () => {
  const text = '{ "fixed" : true }';
  assert.equal(compileTargetInput({ id: 't', input: text })(event, ctx), text);
});

test('Input must be JSON text of at most 8192 characters', () => {
  assert.throws(() => compileConstantInput('not json', { targetId: 't' }), /Input for target t is not valid JSON/);
  assert.throws(() => compileConstantInput(`"${'x'.repeat(8191)}"`), /length less than or equal to 8192/);
});

test('InputPath delivers the selected value as JSON', () => {
  assert.equal(compileInputPath('$.detail')(event, ctx), JSON.stringify(event.detail));
  assert.equal(compileInputPath('$.detail.orderId')(event, ctx), '"o-1"');
  assert.equal(compileInputPath('$.detail.total')(event, ctx), '12.5');
  assert.equal(compileInputPath('$.detail.lines[0].sku')(event, ctx), '"a"');
  assert.equal(compileInputPath('$')(event, ctx), JSON.stringify(event));
});

test('InputPath to a missing value delivers null', () => {
  assert.equal(compileInputPath('$.detail.nope')(event, ctx), 'null');
});

test('InputPath is limited to 256 characters and the documented syntax', () => {
  assert.throws(() => compileInputPath(`$.${'a'.repeat(255)}`), /at 'targets.1.member.inputPath'.*less than or equal to 256/);
  assert.throws(() => compileInputPath("$['detail']", { targetId: 't' }), /InputPath for target t is not a valid JSON path/);
});

test('only one of Input, InputPath or InputTransformer may be set', () => {
  assert.throws(
    () => compileTargetInput({ id: 'sqs-1', input: '{}', inputPath: '$.detail' }),
    (e: unknown) =>
      e instanceof TargetInputError &&
      e.message === 'Only one of Input, InputPath, or InputTransformer must be provided for target sqs-1.',
  );
});

test('constraint messages name the target position in the request', () => {
  assert.throws(
    () => compileTargetInput({ id: 't', inputTransformer: { inputTemplate: '' } }, 3),
    /Value at 'targets.3.member.inputTransformer.inputTemplate'/,
  );
});
