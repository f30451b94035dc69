/**
 * `util.error`, `util.unauthorized`, `util.appendError`, `util.authType` and `util.http`: the parts
 * of `util` bound to the host of one resolver invocation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import type { AppSyncErrorInfo } from '../../src/resolvers/types.ts';
import { createUtil, UtilError, type UtilHost } from '../../src/resolvers/util/index.ts';

type Fn = (...args: unknown[]) => unknown;

function setup(): { util: Record<string, unknown>; appended: AppSyncErrorInfo[]; headers: { name: string; value: string }[] } {
  const appended: AppSyncErrorInfo[] = [];
  const headers: { name: string; value: string }[] = [];
  const host: UtilHost = {
    clock: new VirtualClock(),
    authType: () => 'User Pool Authorization',
    appendError: (e) => void appended.push(e),
    currentField: () => ({ typeName: 'Query', fieldName: 'getPost' }),
    responseHeaders: headers,
  };
  return { util: createUtil(host), appended, headers };
}

function thrown(fn: () => unknown): UtilError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UtilError, 'expected a UtilError');
    return e;
  }
  assert.fail('expected a throw');
}

test('util.error throws a UtilError carrying message, errorType, data and errorInfo', () => {
  const { util } = setup();
  const e = thrown(() => (util['error'] as Fn)('Post not found', 'NotFound', { id: '1' }, { retry: false }));
  assert.equal(e.message, 'Post not found');
  assert.deepEqual(e.info, { message: 'Post not found', errorType: 'NotFound', data: { id: '1' }, errorInfo: { retry: false } });
});

test('util.error with only a message leaves the other fields null', () => {
  const { util } = setup();
  assert.deepEqual(thrown(() => (util['error'] as Fn)('boom')).info, { message: 'boom', errorType: null, data: null, errorInfo: null });
});

test('util.unauthorized names the current field and type', () => {
  const { util } = setup();
  assert.deepEqual(thrown(() => (util['unauthorized'] as Fn)()).info, {
    message: 'Not Authorized to access getPost on type Query',
    errorType: 'Unauthorized',
    data: null,
    errorInfo: null,
  });
});

test('util.appendError records the error with the host and does not throw', () => {
  const { util, appended } = setup();
  assert.equal((util['appendError'] as Fn)('first', 'Warn'), undefined);
  (util['appendError'] as Fn)('second', undefined, { n: 1 });
  assert.deepEqual(appended, [
    { message: 'first', errorType: 'Warn', data: null, errorInfo: null },
    { message: 'second', errorType: null, data: { n: 1 }, errorInfo: null },
  ]);
});

test('util.authType asks the host', () => {
  assert.equal((setup().util['authType'] as Fn)(), 'User Pool Authorization');
});

test('util.http.addResponseHeader(s) record headers in call order', () => {
  const { util, headers } = setup();
  const http = util['http'] as Record<string, Fn>;
  http['addResponseHeader']!('x-one', 'a');
  http['addResponseHeaders']!({ 'x-two': 2, 'x-three': { b: true } });
  assert.deepEqual(headers, [
    { name: 'x-one', value: 'a' },
    { name: 'x-two', value: '2' },
    { name: 'x-three', value: '{"b":true}' },
  ]);
});

test('the util object and its shared parts are frozen so one resolver cannot alter another', () => {
  const { util } = setup();
  assert.ok(Object.isFrozen(util));
  assert.ok(Object.isFrozen(util['dynamodb']));
  assert.ok(Object.isFrozen(util['time']));
  assert.throws(() => {
    (util['dynamodb'] as Record<string, unknown>)['toDynamoDB'] = null;
  }, TypeError);
});
