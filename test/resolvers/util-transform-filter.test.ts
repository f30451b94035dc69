/**
 * `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression` against the outputs
 * recorded on AWS by localstack/appsync-utils (`__tests__/__snapshots__/transform.test.js.snap`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { createUtil } from '../../src/resolvers/util/index.ts';

const util = createUtil({
  clock: new VirtualClock(),
  authType: () => 'API Key Authorization',
  appendError: () => undefined,
  currentField: () => ({ typeName: 'Query', fieldName: 'x' }),
});
const transform = util['transform'] as Record<string, (...args: unknown[]) => string | null>;
const toFilter = transform['toDynamoDBFilterExpression']!;
const toCondition = transform['toDynamoDBConditionExpression']!;

const filter = (input: unknown): unknown => {
  const out = toFilter(input);
  assert.equal(typeof out, 'string');
  return JSON.parse(out as string);
};
const condition = (input: unknown): unknown => JSON.parse(toCondition(input) as string);

type Expected = { expression: string; expressionNames: Record<string, string>; expressionValues: Record<string, unknown> };
const x = (expression: string, expressionNames: Record<string, string>, expressionValues: Record<string, unknown> = {}): Expected => ({
  expression,
  expressionNames,
  expressionValues,
});
const V = { '#v': 'v' };

const CASES: [string, unknown, Expected][] = [
  ['comparison eq', { v: { eq: 'x' } }, x('(#v = :v_eq)', V, { ':v_eq': { S: 'x' } })],
  ['comparison ne', { v: { ne: 'x' } }, x('(#v <> :v_ne)', V, { ':v_ne': { S: 'x' } })],
  ['comparison lt', { v: { lt: 'x' } }, x('(#v < :v_lt)', V, { ':v_lt': { S: 'x' } })],
  ['comparison le', { v: { le: 'x' } }, x('(#v <= :v_le)', V, { ':v_le': { S: 'x' } })],
  ['comparison gt', { v: { gt: 'x' } }, x('(#v > :v_gt)', V, { ':v_gt': { S: 'x' } })],
  ['comparison ge', { v: { ge: 'x' } }, x('(#v >= :v_ge)', V, { ':v_ge': { S: 'x' } })],
  ['operand number keeps its numeric type', { v: { eq: 10 } }, x('(#v = :v_eq)', V, { ':v_eq': { N: 10 } })],
  ['operand fractional number', { v: { eq: 1.5 } }, x('(#v = :v_eq)', V, { ':v_eq': { N: 1.5 } })],
  ['operand boolean', { v: { eq: true } }, x('(#v = :v_eq)', V, { ':v_eq': { BOOL: true } })],
  ['operand null', { v: { eq: null } }, x('(#v = :v_eq)', V, { ':v_eq': { NULL: null } })],
  ['operand object', { v: { eq: { a: 1 } } }, x('(#v = :v_eq)', V, { ':v_eq': { M: { a: { N: 1 } } } })],
  ['operand list', { v: { eq: [1, 2] } }, x('(#v = :v_eq)', V, { ':v_eq': { L: [{ N: 1 }, { N: 2 }] } })],
  ['contains leaves no space after the comma', { v: { contains: 'x' } }, x('(contains(#v,:v_contains))', V, { ':v_contains': { S: 'x' } })],
  ['notContains', { v: { notContains: 'x' } }, x('(NOT contains(#v,:v_notContains))', V, { ':v_notContains': { S: 'x' } })],
  ['beginsWith', { v: { beginsWith: 'x' } }, x('(begins_with(#v,:v_beginsWith))', V, { ':v_beginsWith': { S: 'x' } })],
  [
    'between names its bounds start and end',
    { v: { between: ['1', '9'] } },
    x('(#v BETWEEN :v_between_start AND :v_between_end)', V, { ':v_between_start': { S: '1' }, ':v_between_end': { S: '9' } }),
  ],
  [
    'between numeric bounds',
    { v: { between: [1, 9] } },
    x('(#v BETWEEN :v_between_start AND :v_between_end)', V, { ':v_between_start': { N: 1 }, ':v_between_end': { N: 9 } }),
  ],
  [
    'between ignores anything past the second bound',
    { v: { between: ['1', '9', '3'] } },
    x('(#v BETWEEN :v_between_start AND :v_between_end)', V, { ':v_between_start': { S: '1' }, ':v_between_end': { S: '9' } }),
  ],
  [
    'in separates its values with a comma and a space',
    { v: { in: ['a', 'b'] } },
    x('(#v IN (:v_in_0, :v_in_1))', V, { ':v_in_0': { S: 'a' }, ':v_in_1': { S: 'b' } }),
  ],
  ['in a single value', { v: { in: ['a'] } }, x('(#v IN (:v_in_0))', V, { ':v_in_0': { S: 'a' } })],
  ['attributeExists true', { v: { attributeExists: true } }, x('(attribute_exists(#v))', V)],
  ['attributeExists false', { v: { attributeExists: false } }, x('(attribute_not_exists(#v))', V)],
  [
    'attributeType maps every friendly type name to its type code',
    {
      a: { attributeType: '_null' },
      b: { attributeType: 'string' },
      c: { attributeType: 'stringSet' },
      d: { attributeType: 'number' },
      e: { attributeType: 'numberSet' },
      f: { attributeType: 'binary' },
      g: { attributeType: 'binarySet' },
      h: { attributeType: 'boolean' },
      i: { attributeType: 'list' },
      j: { attributeType: 'map' },
    },
    x(
      'abcdefghij'
        .split('')
        .map((c) => `(attribute_type(#${c},:${c}_attributeType))`)
        .join(' AND '),
      Object.fromEntries('abcdefghij'.split('').map((c) => [`#${c}`, c])),
      Object.fromEntries(
        ['NULL', 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'L', 'M'].map((code, i) => [`:${'abcdefghij'.charAt(i)}_attributeType`, { S: code }]),
      ),
    ),
  ],
  ['size compares the size of the attribute', { v: { size: { gt: 2 } } }, x('(size(#v) > :v_size_gt)', V, { ':v_size_gt': { N: 2 } })],
  [
    'size combines with a range',
    { v: { size: { between: [1, 3] } } },
    x('(size(#v) BETWEEN :v_size_between_start AND :v_size_between_end)', V, {
      ':v_size_between_start': { N: 1 },
      ':v_size_between_end': { N: 3 },
    }),
  ],
  ['size combines with a function', { v: { size: { contains: 'x' } } }, x('(contains(size(#v),:v_size_contains))', V, { ':v_size_contains': { S: 'x' } })],
  ['size combines with attributeExists', { v: { size: { attributeExists: true } } }, x('(attribute_exists(size(#v)))', V)],
  [
    'size two comparisons on one size',
    { v: { size: { gt: 2, lt: 5 } } },
    x('((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))', V, { ':v_size_gt': { N: 2 }, ':v_size_lt': { N: 5 } }),
  ],
  [
    'size nested names the value again without nesting the call',
    { v: { size: { size: { gt: 1 } } } },
    x('(size(#v) > :v_size_size_gt)', V, { ':v_size_size_gt': { N: 1 } }),
  ],
  [
    'two fields at the top level are joined without being wrapped',
    { a: { eq: 1 }, b: { eq: 2 } },
    x('(#a = :a_eq) AND (#b = :b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': { N: 1 }, ':b_eq': { N: 2 } }),
  ],
  [
    'a field carrying two operators is wrapped',
    { v: { ge: 1, le: 5 } },
    x('((#v >= :v_ge) AND (#v <= :v_le))', V, { ':v_ge': { N: 1 }, ':v_le': { N: 5 } }),
  ],
  ['an and of one member is not wrapped', { and: [{ a: { eq: 1 } }] }, x('(#a = :and_0_a_eq)', { '#a': 'a' }, { ':and_0_a_eq': { N: 1 } })],
  [
    'an and of two members is wrapped',
    { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] },
    x('((#a = :and_0_a_eq) AND (#b = :and_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':and_0_a_eq': { N: 1 }, ':and_1_b_eq': { N: 2 } }),
  ],
  [
    'an or of two members',
    { or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] },
    x('((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':or_0_a_eq': { N: 1 }, ':or_1_b_eq': { N: 2 } }),
  ],
  ['not of a single comparison', { not: { a: { eq: 1 } } }, x('(NOT (#a = :not_a_eq))', { '#a': 'a' }, { ':not_a_eq': { N: 1 } })],
  [
    'not of a group',
    { not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } },
    x('(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))', { '#a': 'a', '#b': 'b' }, {
      ':not_and_0_a_eq': { N: 1 },
      ':not_and_1_b_eq': { N: 2 },
    }),
  ],
  ['not of a not', { not: { not: { a: { eq: 1 } } } }, x('(NOT (NOT (#a = :not_not_a_eq)))', { '#a': 'a' }, { ':not_not_a_eq': { N: 1 } })],
  [
    'not inside an and',
    { and: [{ not: { a: { eq: 1 } } }, { b: { eq: 2 } }] },
    x('((NOT (#a = :and_0_not_a_eq)) AND (#b = :and_1_b_eq))', { '#a': 'a', '#b': 'b' }, {
      ':and_0_not_a_eq': { N: 1 },
      ':and_1_b_eq': { N: 2 },
    }),
  ],
  [
    'an and inside an or',
    { or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] },
    x('(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))', { '#a': 'a', '#b': 'b', '#c': 'c' }, {
      ':or_0_and_0_a_eq': { N: 1 },
      ':or_0_and_1_b_eq': { N: 2 },
      ':or_1_c_eq': { N: 3 },
    }),
  ],
  [
    'an or inside an and',
    { and: [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] },
    x('(((#a = :and_0_or_0_a_eq) OR (#b = :and_0_or_1_b_eq)) AND (#c = :and_1_c_eq))', { '#a': 'a', '#b': 'b', '#c': 'c' }, {
      ':and_0_or_0_a_eq': { N: 1 },
      ':and_0_or_1_b_eq': { N: 2 },
      ':and_1_c_eq': { N: 3 },
    }),
  ],
  [
    'value names carry every level of the nesting',
    { and: [{ or: [{ and: [{ a: { eq: 1 } }] }] }] },
    x('(#a = :and_0_or_0_and_0_a_eq)', { '#a': 'a' }, { ':and_0_or_0_and_0_a_eq': { N: 1 } }),
  ],
  [
    'a field beside a group',
    { a: { eq: 1 }, and: [{ b: { eq: 2 } }] },
    x('(#a = :a_eq) AND (#b = :and_0_b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': { N: 1 }, ':and_0_b_eq': { N: 2 } }),
  ],
  ['a field name is used verbatim, dots included', { 'a.b': { eq: 1 } }, x('(#a.b = :a.b_eq)', { '#a.b': 'a.b' }, { ':a.b_eq': { N: 1 } })],
  ['an empty filter renders no expression', {}, x('', {})],
  ['an empty group renders no expression', { and: [] }, x('', {})],
  ['a field without operators keeps its name', { v: {} }, x('', V)],
  ['a size without operators keeps the name of its field', { v: { size: {} } }, x('', V)],
  ['not of an empty filter', { not: {} }, x('(NOT )', {})],
  ['an empty list of values renders (null)', { v: { in: [] } }, x('(null)', V)],
  [
    'an empty field beside a comparison leaves a dangling joiner',
    { a: { eq: 1 }, b: {} },
    x('(#a = :a_eq) AND ', { '#a': 'a', '#b': 'b' }, { ':a_eq': { N: 1 } }),
  ],
  [
    'an empty member of a group leaves a dangling joiner',
    { and: [{ a: { eq: 1 } }, {}] },
    x('((#a = :and_0_a_eq) AND )', { '#a': 'a' }, { ':and_0_a_eq': { N: 1 } }),
  ],
  ['Amplify list filter matching content', { content: { contains: 'foo' } }, x('(contains(#content,:content_contains))', { '#content': 'content' }, { ':content_contains': { S: 'foo' } })],
  [
    'Amplify list filter combining content and a flag',
    { and: [{ content: { contains: 'a' } }, { done: { eq: true } }] },
    x('((contains(#content,:and_0_content_contains)) AND (#done = :and_1_done_eq))', { '#content': 'content', '#done': 'done' }, {
      ':and_0_content_contains': { S: 'a' },
      ':and_1_done_eq': { BOOL: true },
    }),
  ],
  [
    'Amplify list filter combining a prefix and a range',
    { or: [{ content: { beginsWith: 'a' } }, { id: { between: ['1', '9'] } }] },
    x('((begins_with(#content,:or_0_content_beginsWith)) OR (#id BETWEEN :or_1_id_between_start AND :or_1_id_between_end))', { '#content': 'content', '#id': 'id' }, {
      ':or_0_content_beginsWith': { S: 'a' },
      ':or_1_id_between_start': { S: '1' },
      ':or_1_id_between_end': { S: '9' },
    }),
  ],
  ['a title filter from the AWS docs', { title: { contains: 'Hello World' } }, x('(contains(#title,:title_contains))', { '#title': 'title' }, { ':title_contains': { S: 'Hello World' } })],
];

for (const [name, input, expected] of CASES) {
  test(`toDynamoDBFilterExpression: ${name}`, () => {
    assert.deepEqual(filter(input), expected);
  });
}

const REJECTED: [string, unknown[]][] = [
  ['no filter at all', []],
  ['null', [null]],
  ['an array', [[]]],
  ['a string', ['string']],
  ['an unknown operator', [{ v: { foo: 1 } }]],
  ['a field holding a value instead of operators', [{ v: 'x' }]],
  ['a field nested in a field', [{ a: { b: { eq: 1 } } }]],
  ['an and given a map instead of a list', [{ and: { a: { eq: 1 } } }]],
  ['an and given null', [{ and: null }]],
  ['a group holding a null member', [{ and: [{ a: { eq: 1 } }, null] }]],
  ['a not given a list', [{ not: [{ a: { eq: 1 } }] }]],
  ['a range with a single bound', [{ v: { between: [1] } }]],
  ['a range that is not a list', [{ v: { between: 'x' } }]],
  ['a list of values that is not a list', [{ v: { in: 'x' } }]],
  ['attributeExists given something other than a boolean', [{ v: { attributeExists: 'yes' } }]],
  ['attributeType given a type code instead of a type name', [{ v: { attributeType: 'S' } }]],
  ['attributeType given an unknown name', [{ v: { attributeType: 'bogus' } }]],
  ['size given a value instead of operators', [{ v: { size: 3 } }]],
];

for (const [name, args] of REJECTED) {
  test(`toDynamoDBFilterExpression answers null for ${name}`, () => {
    assert.equal(toFilter(...args), null);
  });
}

test('toDynamoDBFilterExpression returns the expression as a JSON string', () => {
  assert.equal(
    toFilter({ content: { contains: 'foo' } }),
    '{"expression":"(contains(#content,:content_contains))","expressionNames":{"#content":"content"},"expressionValues":{":content_contains":{"S":"foo"}}}',
  );
});

test('toDynamoDBConditionExpression returns the expression as a JSON string', () => {
  assert.equal(
    toCondition({ and: [{ id: { attributeExists: false } }] }),
    '{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}',
  );
});

test('toDynamoDBConditionExpression renders the Amplify update guard', () => {
  assert.deepEqual(
    condition({ and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }] }),
    x('((attribute_exists(#id)) AND (#_version = :and_1__version_eq))', { '#id': 'id', '#_version': '_version' }, { ':and_1__version_eq': { N: 1 } }),
  );
});

test('toDynamoDBConditionExpression renders the docs example of two fields', () => {
  assert.deepEqual(
    condition({ id: { attributeExists: true }, version: { eq: 10 } }),
    x('(attribute_exists(#id)) AND (#version = :version_eq)', { '#id': 'id', '#version': 'version' }, { ':version_eq': { N: 10 } }),
  );
});

test('both transforms render a negated range the same way', () => {
  const input = { not: { id: { between: ['1', '9'] } } };
  const expected = x('(NOT (#id BETWEEN :not_id_between_start AND :not_id_between_end))', { '#id': 'id' }, {
    ':not_id_between_start': { S: '1' },
    ':not_id_between_end': { S: '9' },
  });
  assert.deepEqual(filter(input), expected);
  assert.deepEqual(condition(input), expected);
});
