/**
 * The rule, target and bus lifecycle through the real SDK client, with AWS's ARNs, shapes and
 * error texts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { sdkError, startBusApi, type BusApiHarness } from './api-support.ts';

let h: BusApiHarness;
before(async () => {
  h = await startBusApi();
});
after(() => h.close());

const PATTERN = '{"source":["com.example.orders"]}';

test('PutRule returns the rule ARN as AWS forms it: no bus segment on the default bus', async () => {
  const onDefault = await h.client.send(new PutRuleCommand({ Name: 'arn-default', EventPattern: PATTERN }));
  assert.equal(onDefault.RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/arn-default');
  await h.client.send(new CreateEventBusCommand({ Name: 'arn-bus' }));
  const onCustom = await h.client.send(new PutRuleCommand({ Name: 'arn-custom', EventPattern: PATTERN, EventBusName: 'arn-bus' }));
  assert.equal(onCustom.RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/arn-bus/arn-custom');
});

test('a rule goes through create, describe, list, disable, enable, targets, delete', async () => {
  await h.client.send(new PutRuleCommand({ Name: 'life', EventPattern: PATTERN, Description: 'orders' }));
  const described = await h.client.send(new DescribeRuleCommand({ Name: 'life' }));
  assert.equal(described.Name, 'life');
  assert.equal(described.Arn, 'arn:aws:events:us-east-1:000000000000:rule/life');
  assert.equal(described.EventPattern, PATTERN, 'the pattern text is returned as stored');
  assert.equal(described.State, 'ENABLED');
  assert.equal(described.Description, 'orders');
  assert.equal(described.EventBusName, 'default');

  await h.client.send(new DisableRuleCommand({ Name: 'life' }));
  assert.equal((await h.client.send(new DescribeRuleCommand({ Name: 'life' }))).State, 'DISABLED');
  await h.client.send(new EnableRuleCommand({ Name: 'life' }));
  assert.equal((await h.client.send(new DescribeRuleCommand({ Name: 'life' }))).State, 'ENABLED');

  const put = await h.client.send(
    new PutTargetsCommand({
      Rule: 'life',
      Targets: [
        { Id: 't1', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:fulfil' },
        { Id: 't2', Arn: 'arn:aws:appsync:us-east-1:000000000000:endpoints/graphql-api/x', InputTransformer: { InputPathsMap: { id: '$.detail.orderId' }, InputTemplate: '{"orderId": <id>}' } },
      ],
    }),
  );
  assert.deepEqual({ count: put.FailedEntryCount, entries: put.FailedEntries }, { count: 0, entries: [] });
  const listed = await h.client.send(new ListTargetsByRuleCommand({ Rule: 'life' }));
  assert.deepEqual(listed.Targets?.map((t) => t.Id), ['t1', 't2']);
  assert.deepEqual(listed.Targets?.[1]?.InputTransformer, { InputPathsMap: { id: '$.detail.orderId' }, InputTemplate: '{"orderId": <id>}' });

  const refused = await sdkError(h.client.send(new DeleteRuleCommand({ Name: 'life' })));
  assert.deepEqual(refused, { name: 'ValidationException', message: "Rule can't be deleted since it has targets.", status: 400 });

  await h.client.send(new RemoveTargetsCommand({ Rule: 'life', Ids: ['t1', 't2'] }));
  assert.deepEqual((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'life' }))).Targets, []);
  await h.client.send(new DeleteRuleCommand({ Name: 'life' }));
  const gone = await sdkError(h.client.send(new DescribeRuleCommand({ Name: 'life' })));
  assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: 'Rule life does not exist on EventBus default.', status: 400 });
  await h.client.send(new DeleteRuleCommand({ Name: 'life' })); // deleting again succeeds, as in AWS
});

test('PutRule replaces a rule: omitted members are reset, targets are kept', async () => {
  await h.client.send(new PutRuleCommand({ Name: 'replace', EventPattern: PATTERN, Description: 'first', State: 'DISABLED' }));
  await h.client.send(new PutTargetsCommand({ Rule: 'replace', Targets: [{ Id: 'keep', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));
  await h.client.send(new PutRuleCommand({ Name: 'replace', EventPattern: '{"source":["other"]}' }));
  const described = await h.client.send(new DescribeRuleCommand({ Name: 'replace' }));
  assert.equal(described.Description, undefined);
  assert.equal(described.State, 'ENABLED');
  assert.equal(described.EventPattern, '{"source":["other"]}');
  assert.deepEqual((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'replace' }))).Targets?.map((t) => t.Id), ['keep']);
});

test('PutRule with an invalid pattern throws InvalidEventPatternException and stores nothing', async () => {
  const error = await sdkError(h.client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"detail":{"n":[]}}' })));
  assert.equal(error.name, 'InvalidEventPatternException');
  assert.equal(error.message, 'Event pattern is not valid. Reason: Empty arrays are not allowed');
  assert.equal((await sdkError(h.client.send(new DescribeRuleCommand({ Name: 'bad' })))).name, 'ResourceNotFoundException');
});

test('PutRule needs a pattern or a schedule, a valid name, and an existing bus', async () => {
  assert.deepEqual(await sdkError(h.client.send(new PutRuleCommand({ Name: 'neither' }))), {
    name: 'ValidationException',
    message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    status: 400,
  });
  const badName = await sdkError(h.client.send(new PutRuleCommand({ Name: 'has space', EventPattern: PATTERN })));
  assert.equal(badName.name, 'ValidationException');
  assert.equal(badName.message, "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  assert.deepEqual(await sdkError(h.client.send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN, EventBusName: 'missing' }))), {
    name: 'ResourceNotFoundException',
    message: 'Event bus missing does not exist.',
    status: 400,
  });
});

test('ListRules filters by NamePrefix and EventBusName and pages with NextToken', async () => {
  await h.client.send(new CreateEventBusCommand({ Name: 'listing' }));
  for (const name of ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1']) {
    await h.client.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, EventBusName: 'listing' }));
  }
  const alpha = await h.client.send(new ListRulesCommand({ EventBusName: 'listing', NamePrefix: 'alpha-' }));
  assert.deepEqual(alpha.Rules?.map((r) => r.Name), ['alpha-1', 'alpha-2', 'alpha-3']);
  assert.equal(alpha.Rules?.[0]?.Arn, 'arn:aws:events:us-east-1:000000000000:rule/listing/alpha-1');
  assert.equal(alpha.Rules?.[0]?.EventBusName, 'listing');
  assert.equal(alpha.NextToken, undefined);

  const first = await h.client.send(new ListRulesCommand({ EventBusName: 'listing', Limit: 2 }));
  assert.deepEqual(first.Rules?.map((r) => r.Name), ['alpha-1', 'alpha-2']);
  assert.ok(first.NextToken);
  const second = await h.client.send(new ListRulesCommand({ EventBusName: 'listing', Limit: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.Rules?.map((r) => r.Name), ['alpha-3', 'beta-1']);
  assert.equal(second.NextToken, undefined);
  assert.ok(!(await h.client.send(new ListRulesCommand({}))).Rules?.some((r) => r.Name === 'beta-1'), 'rules of other buses are not listed on default');
});

test('PutTargets refuses invalid inputs with ValidationException and unknown rules with ResourceNotFoundException', async () => {
  await h.client.send(new PutRuleCommand({ Name: 'inputs', EventPattern: PATTERN }));
  const two = await sdkError(h.client.send(new PutTargetsCommand({ Rule: 'inputs', Targets: [{ Id: 'x', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', Input: '{}', InputPath: '$.detail' }] })));
  assert.deepEqual(two, { name: 'ValidationException', message: 'Only one of Input, InputPath, or InputTransformer must be provided for target x.', status: 400 });
  const placeholder = await sdkError(
    h.client.send(new PutTargetsCommand({ Rule: 'inputs', Targets: [{ Id: 'y', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputTransformer: { InputTemplate: '{"a": <notdefinedkey>}' } }] })),
  );
  assert.equal(placeholder.name, 'ValidationException');
  assert.equal(placeholder.message, 'InputTemplate for target y contains invalid placeholder notdefinedkey.');
  assert.deepEqual((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'inputs' }))).Targets, [], 'a refused request stores no target');
  assert.deepEqual(await sdkError(h.client.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'z', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }))), {
    name: 'ResourceNotFoundException',
    message: 'Rule nope does not exist on EventBus default.',
    status: 400,
  });
});

test('a rule takes at most 5 targets (LimitExceededException); replacing by Id does not count twice', async () => {
  await h.client.send(new PutRuleCommand({ Name: 'five', EventPattern: PATTERN }));
  const targets = ['1', '2', '3', '4', '5'].map((Id) => ({ Id, Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }));
  await h.client.send(new PutTargetsCommand({ Rule: 'five', Targets: targets }));
  await h.client.send(new PutTargetsCommand({ Rule: 'five', Targets: [{ Id: '5', Arn: 'arn:aws:sqs:us-east-1:000000000000:other' }] }));
  const error = await sdkError(h.client.send(new PutTargetsCommand({ Rule: 'five', Targets: [{ Id: '6', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] })));
  assert.deepEqual(error, { name: 'LimitExceededException', message: 'The requested resource exceeds the maximum number allowed.', status: 400 });
  const listed = await h.client.send(new ListTargetsByRuleCommand({ Rule: 'five' }));
  assert.equal(listed.Targets?.length, 5);
  assert.equal(listed.Targets?.find((t) => t.Id === '5')?.Arn, 'arn:aws:sqs:us-east-1:000000000000:other');
});

test('event buses: create, describe, list, delete; the default bus always exists and cannot be deleted', async () => {
  const created = await h.client.send(new CreateEventBusCommand({ Name: 'lifecycle-bus', Description: 'for the test' }));
  assert.equal(created.EventBusArn, 'arn:aws:events:us-east-1:000000000000:event-bus/lifecycle-bus');
  assert.deepEqual(await sdkError(h.client.send(new CreateEventBusCommand({ Name: 'lifecycle-bus' }))), {
    name: 'ResourceAlreadyExistsException',
    message: 'Event bus lifecycle-bus already exists.',
    status: 400,
  });
  const described = await h.client.send(new DescribeEventBusCommand({ Name: 'lifecycle-bus' }));
  assert.equal(described.Description, 'for the test');
  assert.ok(described.CreationTime instanceof Date, 'CreationTime travels as epoch seconds');

  const listed = await h.client.send(new ListEventBusesCommand({}));
  const names = listed.EventBuses?.map((b) => b.Name) ?? [];
  assert.ok(names.includes('default') && names.includes('lifecycle-bus'));
  assert.deepEqual((await h.client.send(new ListEventBusesCommand({ NamePrefix: 'lifecycle' }))).EventBuses?.map((b) => b.Name), ['lifecycle-bus']);

  await h.client.send(new PutRuleCommand({ Name: 'on-bus', EventPattern: PATTERN, EventBusName: 'lifecycle-bus' }));
  await h.client.send(new DeleteEventBusCommand({ Name: 'lifecycle-bus' }));
  assert.equal((await sdkError(h.client.send(new DescribeEventBusCommand({ Name: 'lifecycle-bus' })))).message, 'Event bus lifecycle-bus does not exist.');
  await h.client.send(new CreateEventBusCommand({ Name: 'lifecycle-bus' }));
  assert.deepEqual((await h.client.send(new ListRulesCommand({ EventBusName: 'lifecycle-bus' }))).Rules, [], 'a deleted bus takes its rules with it');

  assert.deepEqual(await sdkError(h.client.send(new DeleteEventBusCommand({ Name: 'default' }))), {
    name: 'ValidationException',
    message: 'Cannot delete event bus default.',
    status: 400,
  });
  assert.equal((await h.client.send(new DescribeEventBusCommand({}))).Name, 'default');
});
