import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '../../src/bus/envelope/index.ts';
import { compileInputTransformer, TargetInputError, type TransformContext } from '../../src/bus/transform/index.ts';

const event: EventEnvelope = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: {
    'instance-id': 'i-0123456789',
    state: 'RUNNING',
    count: 3,
    on: false,
    none: null,
    quote: 'say "hi"',
    tags: { env: 'prod', team: 'core' },
    items: [{ id: 'a' }, { id: 'b' }],
  },
};
const ctx: TransformContext = {
  ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: '2015-11-11T21:29:55.123Z',
};
const paths = {
  instance: '$.detail.instance-id',
  state: '$.detail.state',
  count: '$.detail.count',
  on: '$.detail.on',
  none: '$.detail.none',
  quote: '$.detail.quote',
  tags: '$.detail.tags',
  missing: '$.detail.nope',
  firstResource: '$.resources[0]',
  ids: '$.detail.items[*].id',
  ctor: '$.detail.constructor',
};
const render = (inputTemplate: string): string | undefined =>
  compileInputTransformer({ inputPathsMap: paths, inputTemplate })(event, ctx);

test('a string template yields a JSON string literal, quotes included', () => {
  assert.equal(render('"instance <instance> is in <state>"'), '"instance i-0123456789 is in RUNNING"');
});

test('an unquoted placeholder in a JSON template is written as a JSON value', () => {
  assert.equal(
    render('{"i": <instance>, "n": <count>, "b": <on>, "z": <none>, "t": <tags>}'),
    '{"i":"i-0123456789","n":3,"b":false,"z":null,"t":{"env":"prod","team":"core"}}',
  );
});

test('a quoted placeholder in a JSON template inserts the raw text', () => {
  assert.equal(render('{"s": "<state>", "n": "<count>!", "b": "<on>"}'), '{"s":"RUNNING","n":"3!","b":"false"}');
});

test('JSON templates are minified outside strings and keep whitespace inside them', () => {
  assert.equal(render('{\n  "a" : [ 9, <state> ,true ],\n  "m": "  x  y "\n}'), '{"a":[9,"RUNNING",true],"m":"  x  y "}');
});

test('escaped quotes in a template string keep the placeholder inside the string', () => {
  assert.equal(render('{"m": "instance \\"<instance>\\" is in <state>"}'), '{"m":"instance \\"i-0123456789\\" is in RUNNING"}');
});

test('a missing path renders as "" for a JSON value and as nothing inside text', () => {
  assert.equal(render('{"a": <missing>, "b": "x<missing>y"}'), '{"a":"","b":"xy"}');
  assert.equal(render('"[<missing>]"'), '"[]"');
});

test('objects and arrays inside a string template lose their quotes', () => {
  assert.equal(render('"tags <tags> ids <ids>"'), '"tags {env:prod,team:core} ids [a,b]"');
});

test('an object inside a JSON string is not delivered', () => {
  assert.equal(render('{"t": "<tags>"}'), undefined);
  assert.equal(render('{"ids": "<ids>"}'), undefined);
});

test('a quoted value that breaks the JSON is not delivered, an unquoted one is escaped', () => {
  assert.equal(render('{"q": "<quote>"}'), undefined);
  assert.equal(render('{"q": <quote>}'), '{"q":"say \\"hi\\""}');
});

test('string templates insert values unescaped', () => {
  assert.equal(render('"<quote>"'), '"say "hi""');
});

test('a placeholder used several times is replaced everywhere', () => {
  assert.equal(render('{"p": "u/<instance>/v/<instance>", "i": <instance>}'), '{"p":"u/i-0123456789/v/i-0123456789","i":"i-0123456789"}');
});

test('array indexes and wildcards are supported in paths', () => {
  assert.equal(render('{"r": <firstResource>, "ids": <ids>}'), '{"r":"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111","ids":["a","b"]}');
});

test('paths read own properties only', () => {
  assert.equal(render('{"c": <ctor>}'), '{"c":""}');
});

test('a JSON null in the event is written as null, unlike a missing path', () => {
  assert.equal(render('{"z": <none>, "t": "<none>", "m": <missing>}'), '{"z":null,"t":"null","m":""}');
});

test('a plain-text template passes through with values inserted', () => {
  assert.equal(render('<instance> is in state <state>'), 'i-0123456789 is in state RUNNING');
});

test('text between angle brackets that is not a name stays literal', () => {
  assert.equal(render('"a < b and c > d <state>"'), '"a < b and c > d RUNNING"');
});

test('reserved variables need no InputPathsMap entry', () => {
  const body = compileInputTransformer({
    inputTemplate: '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>}',
  })(event, ctx);
  assert.equal(body, '{"arn":"arn:aws:events:us-east-1:123456789012:rule/example","name":"example","at":"2015-11-11T21:29:55.123Z"}');
});

test('aws.events.event is the event without detail, camelCase detailType and the ingestion time', () => {
  const body = compileInputTransformer({ inputTemplate: '{"e": <aws.events.event>}' })(event, ctx);
  assert.equal(
    body,
    `{"e":${JSON.stringify({
      id: event.id,
      account: event.account,
      detailType: event['detail-type'],
      time: ctx.ingestionTime,
      source: event.source,
      region: event.region,
      resources: event.resources,
      version: '0',
    })}}`,
  );
});

test('aws.events.event.json is the whole original event', () => {
  assert.equal(compileInputTransformer({ inputTemplate: '{"e": <aws.events.event.json>}' })(event, ctx), `{"e":${JSON.stringify(event)}}`);
});

test('rejects a placeholder that is neither an InputPathsMap key nor reserved', () => {
  assert.throws(
    () => compileInputTransformer({ inputPathsMap: { a: '$.detail' }, inputTemplate: '"<a> <b>"' }, { targetId: 't1' }),
    (e: unknown) =>
      e instanceof TargetInputError &&
      e.awsType === 'ValidationException' &&
      e.message === 'InputTemplate for target t1 contains invalid placeholder b.',
  );
});

test('rejects InputPathsMap keys outside [A-Za-z0-9_-], including reserved-looking ones', () => {
  for (const key of ['aws.events.rule-name', 'has space', '']) {
    assert.throws(() => compileInputTransformer({ inputPathsMap: { [key]: '$.detail' }, inputTemplate: '"x"' }), /Map keys must satisfy constraint/);
  }
});

test('rejects more than 100 InputPathsMap entries', () => {
  const map = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '$.detail']));
  assert.throws(() => compileInputTransformer({ inputPathsMap: map, inputTemplate: '"x"' }), /length less than or equal to 100/);
});

test('rejects an empty template and one over 8192 characters', () => {
  assert.throws(() => compileInputTransformer({ inputTemplate: '' }), /length greater than or equal to 1/);
  assert.throws(() => compileInputTransformer({ inputTemplate: `"${'x'.repeat(8191)}"` }), /length less than or equal to 8192/);
});

test('rejects a path over 256 characters and syntax outside the documented subset', () => {
  assert.throws(() => compileInputTransformer({ inputPathsMap: { a: `$.${'x'.repeat(255)}` }, inputTemplate: '"x"' }), /Map value must satisfy/);
  for (const path of ["$['detail']", '$..id', 'detail.x', '$.a[?(@.b)]', '$.a[1:2]', '$.']) {
    assert.throws(() => compileInputTransformer({ inputPathsMap: { a: path }, inputTemplate: '"<a>"' }), TargetInputError, path);
  }
});

test('rejects a placeholder used as an object key', () => {
  assert.throws(() => compileInputTransformer({ inputPathsMap: { a: '$.id' }, inputTemplate: '{<a>: 1}' }), /object key/);
  assert.throws(() => compileInputTransformer({ inputPathsMap: { a: '$.id' }, inputTemplate: '{"<a>": 1}' }), /object key/);
});

test('rejects a JSON or string template that is not JSON once filled', () => {
  assert.throws(() => compileInputTransformer({ inputPathsMap: { a: '$.id' }, inputTemplate: '{"a": <a>' }), /not valid JSON/);
  assert.throws(() => compileInputTransformer({ inputTemplate: '"unterminated' }), /not valid JSON/);
});
