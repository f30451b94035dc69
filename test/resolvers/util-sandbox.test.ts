/** `util` and the dynamodb helpers called from inside a node:vm context, as the runtime does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { VirtualClock } from '../../src/core/index.ts';
import { createUtil, dynamodbHelpers, UtilError } from '../../src/resolvers/util/index.ts';

const util = createUtil({
  clock: new VirtualClock(Date.parse('2018-02-06T19:01:35.758Z')),
  authType: () => 'IAM Authorization',
  appendError: () => undefined,
  currentField: () => ({ typeName: 'Mutation', fieldName: 'createPost' }),
});
const run = (code: string): unknown => vm.runInNewContext(code, { util, ddb: dynamodbHelpers });

test('values built in the sandbox realm convert like host values', () => {
  const out = run(`util.dynamodb.toMapValues({ tags: ['a'], nested: { n: 1 }, at: util.time.nowISO8601() })`);
  assert.equal(
    JSON.stringify(out),
    '{"tags":{"L":[{"S":"a"}]},"nested":{"M":{"n":{"N":1}}},"at":{"S":"2018-02-06T19:01:35.758Z"}}',
  );
});

test('helpers accept sandbox objects and arrays', () => {
  const out = run(`ddb.update({ key: { id: 'p1' }, update: { tags: ddb.operations.append(['x']) }, condition: { owner: { in: ['a', 'b'] } } })`);
  assert.equal(
    JSON.stringify(out),
    JSON.stringify({
      operation: 'UpdateItem',
      key: { id: { S: 'p1' } },
      update: { expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1)', expressionNames: { '#expName_1': 'tags' }, expressionValues: { ':expValue_1': { L: [{ S: 'x' }] } } },
      condition: { expression: '(#owner IN (:owner_in_0, :owner_in_1))', expressionNames: { '#owner': 'owner' }, expressionValues: { ':owner_in_0': { S: 'a' }, ':owner_in_1': { S: 'b' } } },
    }),
  );
});

test('util.unauthorized thrown in the sandbox reaches the host as a UtilError', () => {
  assert.throws(
    () => run(`util.unauthorized()`),
    (e: unknown) => e instanceof UtilError && e.info.message === 'Not Authorized to access createPost on type Mutation',
  );
});

test('util.transform.toSubscriptionFilter accepts sandbox filters', () => {
  const out = run(`util.transform.toSubscriptionFilter({ group: { in: ['Admin', 'Dev'] }, or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })`);
  assert.equal(
    JSON.stringify(out),
    '{"filterGroup":[{"filters":[{"fieldName":"group","operator":"in","value":["Admin","Dev"]},{"fieldName":"a","operator":"eq","value":1}]},{"filters":[{"fieldName":"group","operator":"in","value":["Admin","Dev"]},{"fieldName":"b","operator":"eq","value":2}]}]}',
  );
});
