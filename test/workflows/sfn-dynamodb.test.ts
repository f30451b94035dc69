/**
 * Step Functions' DynamoDB tasks on the app's tables (the food-ordering app's `orders`), with the
 * DynamoDB API's shapes in and out, and `DynamoDB.<Exception>` errors a Catch can match.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';

let t: TestServer;
let sfn: SFNClient;
before(async () => {
  t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  sfn = new SFNClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey, maxAttempts: 1 });
});
after(async () => {
  sfn.destroy();
  await t.close();
});

test('putItem, updateItem (ALL_NEW), getItem and deleteItem tasks, and a failed condition caught by name', async () => {
  const task = (op: string, parameters: object, extra: object = {}) => ({ Type: 'Task', Resource: `arn:aws:states:::dynamodb:${op}`, Parameters: parameters, ...extra });
  const definition = {
    StartAt: 'Put',
    States: {
      Put: task('putItem', { TableName: 'orders', Item: { id: { 'S.$': '$.id' }, status: { S: 'PENDING' } } }, { ResultPath: null, Next: 'Update' }),
      Update: task('updateItem', {
        TableName: 'orders',
        Key: { id: { 'S.$': '$.id' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'PAID' } },
        ReturnValues: 'ALL_NEW',
      }, { ResultPath: '$.updated', Next: 'Get' }),
      Get: task('getItem', { TableName: 'orders', Key: { id: { 'S.$': '$.id' } } }, { ResultPath: '$.got', Next: 'PutAgain' }),
      PutAgain: task('putItem', { TableName: 'orders', Item: { id: { 'S.$': '$.id' } }, ConditionExpression: 'attribute_not_exists(id)' }, {
        Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.caught', Next: 'Delete' }],
        Next: 'Delete',
      }),
      Delete: task('deleteItem', { TableName: 'orders', Key: { id: { 'S.$': '$.id' } } }, { ResultPath: null, Next: 'GetGone' }),
      GetGone: task('getItem', { TableName: 'orders', Key: { id: { 'S.$': '$.id' } } }, { ResultPath: '$.gone', End: true }),
    },
  };
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'orders-tasks', roleArn: 'arn:aws:iam::000000000000:role/x', definition: JSON.stringify(definition) }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ id: 'o-42' }) }));
  let d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  for (let i = 0; d.status === 'RUNNING' && i < 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  }
  assert.equal(d.status, 'SUCCEEDED', d.cause);
  const out = JSON.parse(d.output ?? '{}');
  assert.deepEqual(out.updated, { Attributes: { id: { S: 'o-42' }, status: { S: 'PAID' } } });
  assert.deepEqual(out.got, { Item: { id: { S: 'o-42' }, status: { S: 'PAID' } } });
  assert.equal(out.caught.Error, 'DynamoDB.ConditionalCheckFailedException');
  assert.deepEqual(out.gone, {}, 'deleted');
});
