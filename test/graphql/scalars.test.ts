import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAppSchema } from '../../src/graphql/index.ts';
import { API_KEY, META, service } from './harness.ts';

const SCALARS = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress'] as const;
type Scalar = (typeof SCALARS)[number];

// One echo field per scalar: `AWSDate(v: AWSDate): AWSDate`, returning its argument.
const schema = buildAppSchema(`type Query {\n${SCALARS.map((s) => `  ${s}(v: ${s}): ${s}\n  ${s}Out: ${s}`).join('\n')}\n  jsonArg(v: AWSJSON): String\n}`, 'scalars.graphql');
let output: unknown;
const resolvers = Object.fromEntries(SCALARS.flatMap((s) => [[`Query.${s}`, (i: { arguments: Readonly<Record<string, unknown>> }) => i.arguments['v']], [`Query.${s}Out`, () => output]]));
const svc = service({ schema, resolvers: { ...resolvers, 'Query.jsonArg': (i) => `${typeof i.arguments['v']}:${JSON.stringify(i.arguments['v'])}` } });

async function viaVariable(scalar: Scalar, value: unknown): Promise<unknown> {
  const { body } = await svc.execute({ query: `query($v: ${scalar}) { ${scalar}(v: $v) }`, variables: { v: value } }, { auth: API_KEY, ...META });
  return body.errors ? body.errors.map((e) => e.message) : (body.data as Record<string, unknown>)[scalar];
}

async function viaLiteral(scalar: Scalar, literal: string): Promise<unknown> {
  const { body } = await svc.execute({ query: `{ ${scalar}(v: ${literal}) }` }, { auth: API_KEY, ...META });
  return body.errors ? body.errors.map((e) => e.message) : (body.data as Record<string, unknown>)[scalar];
}

async function serialized(scalar: Scalar, value: unknown): Promise<unknown> {
  output = value;
  const { body } = await svc.execute({ query: `{ ${scalar}Out }` }, { auth: API_KEY, ...META });
  return body.errors ? body.errors.map((e) => e.message) : (body.data as Record<string, unknown>)[`${scalar}Out`];
}

async function accepts(scalar: Scalar, values: readonly string[]): Promise<void> {
  for (const v of values) {
    assert.equal(await viaVariable(scalar, v), v, `${scalar} variable ${v}`);
    assert.equal(await viaLiteral(scalar, JSON.stringify(v)), v, `${scalar} literal ${v}`);
  }
}

async function refuses(scalar: Scalar, values: readonly string[]): Promise<void> {
  for (const v of values) {
    assert.deepEqual(await viaVariable(scalar, v), [`Variable 'v' has an invalid value: ${JSON.stringify(v)}; Invalid ${scalar} value: ${JSON.stringify(v)}`], `${scalar} variable ${v}`);
    assert.deepEqual(
      await viaLiteral(scalar, JSON.stringify(v)),
      [`Validation error of type WrongType: argument 'v' with value 'StringValue{value='${v}'}' is not a valid '${scalar}' @ '${scalar}'`],
      `${scalar} literal ${v}`,
    );
  }
}

test('AWSDate accepts YYYY-MM-DD with an optional Z or ±hh:mm[:ss] offset', async () => {
  await accepts('AWSDate', ['1970-01-01', '1970-01-01Z', '1970-01-01-07:00', '1970-01-01+05:30:15', '2024-02-29']);
});

test('AWSDate refuses other shapes and impossible dates', async () => {
  await refuses('AWSDate', ['1970-1-1', '19700101', '1970-13-01', '2023-02-29', '1970-01-32', '1970-01-01T00:00Z', '1970-01-01 Z', '']);
});

test('AWSTime: seconds optional, 1-9 fraction digits only with seconds, optional offset', async () => {
  await accepts('AWSTime', ['12:30', '12:30Z', '12:30:24', '12:30:24.5', '12:30:24.500+05:30', '23:59:59.123456789-07:00']);
  await refuses('AWSTime', ['12:30.5', '24:00', '12:60', '12:30:60', '12:30:24.1234567890', '1230', '12', '12:30:24.']);
});

test('AWSDateTime requires the offset', async () => {
  await accepts('AWSDateTime', ['1970-01-01T12:30Z', '1970-01-01T12:30:24.5-07:00', '2024-02-29T23:59:59.999+05:30']);
  await refuses('AWSDateTime', ['1970-01-01T12:30:24', '1970-01-01 12:30Z', '1970-01-01Z', '1970-02-30T00:00Z', '1970-01-01T25:00Z']);
});

test('AWSTimestamp is an integer number of seconds, negative allowed, serialized as a number', async () => {
  assert.equal(await viaVariable('AWSTimestamp', 1_700_000_000), 1_700_000_000);
  assert.equal(await viaVariable('AWSTimestamp', -86_400), -86_400);
  assert.equal(await viaLiteral('AWSTimestamp', '1700000000000'), 1_700_000_000_000);
  assert.deepEqual(await viaVariable('AWSTimestamp', 1.5), ["Variable 'v' has an invalid value: 1.5; Invalid AWSTimestamp value: 1.5"]);
  assert.deepEqual(await viaVariable('AWSTimestamp', '1700000000'), ['Variable \'v\' has an invalid value: "1700000000"; Invalid AWSTimestamp value: "1700000000"']);
  assert.deepEqual(await viaLiteral('AWSTimestamp', '1.5'), ["Validation error of type WrongType: argument 'v' with value 'FloatValue{value=1.5}' is not a valid 'AWSTimestamp' @ 'AWSTimestamp'"]);
  assert.deepEqual(await viaLiteral('AWSTimestamp', '"1"'), ["Validation error of type WrongType: argument 'v' with value 'StringValue{value='1'}' is not a valid 'AWSTimestamp' @ 'AWSTimestamp'"]);
  assert.equal(await serialized('AWSTimestamp', '1700000000'), 1_700_000_000);
  assert.deepEqual(await serialized('AWSTimestamp', 'soon'), ['AWSTimestamp cannot represent value: "soon"']);
});

test('AWSJSON input must be RFC 8259 JSON and reaches the resolver parsed', async () => {
  const arg = async (query: string, variables?: Record<string, unknown>) => JSON.parse(JSON.stringify((await svc.execute({ query, variables: variables ?? null }, { auth: API_KEY, ...META })).body)) as unknown;
  assert.deepEqual(await arg('query($v: AWSJSON) { jsonArg(v: $v) }', { v: '{"a":1}' }), { data: { jsonArg: 'object:{"a":1}' } });
  assert.deepEqual(await arg('{ jsonArg(v: "{\\"a\\":[1,2]}") }'), { data: { jsonArg: 'object:{"a":[1,2]}' } });
  assert.deepEqual(await arg('{ jsonArg(v: "3") }'), { data: { jsonArg: 'number:3' } });
  for (const bad of ['{a: 1}', "{'a':1}", 'abc', '']) {
    assert.deepEqual(await viaVariable('AWSJSON', bad), [`Variable 'v' has an invalid value: ${JSON.stringify(bad)}; Invalid AWSJSON value: ${JSON.stringify(bad)} is not valid JSON`], bad);
    assert.deepEqual(await viaLiteral('AWSJSON', JSON.stringify(bad)), [`Validation error of type WrongType: argument 'v' with value 'StringValue{value='${bad}'}' is not a valid 'AWSJSON' @ 'AWSJSON'`], bad);
  }
});

test('AWSJSON as an object literal is a WrongType error, as AppSync prints it', async () => {
  assert.deepEqual(await viaLiteral('AWSJSON', '{upvotes: 10}'), [
    "Validation error of type WrongType: argument 'v' with value 'ObjectValue{objectFields=[ObjectField{name='upvotes', value=IntValue{value=10}}]}' is not a valid 'AWSJSON' @ 'AWSJSON'",
  ]);
});

test('AWSJSON output: a map is serialized once, a string is not encoded again', async () => {
  assert.equal(await serialized('AWSJSON', { a: 1, b: [true, null] }), '{"a":1,"b":[true,null]}');
  assert.equal(await serialized('AWSJSON', [1, 'x']), '[1,"x"]');
  assert.equal(await serialized('AWSJSON', '{"a":1}'), '{"a":1}');
  assert.equal(await serialized('AWSJSON', 7), '7');
});

test('AWSEmail accepts local@domain and refuses anything else', async () => {
  await accepts('AWSEmail', ['a@b.co', 'first.last+tag@example.com', 'x@localhost']);
  await refuses('AWSEmail', ['a@', '@b.com', 'a b@c.com', 'ab.com', 'a@b@c.com', 'a@-b.com']);
});

test('AWSURL needs a scheme; double slashes in the path are refused', async () => {
  await accepts('AWSURL', ['http://localhost/', 'https://example.com/a?b=1#c', 'mailto:a@b.com', 'ftp://files.example.com/x']);
  await refuses('AWSURL', ['example.com', '/path/only', 'http://example.com//double', '://x', '']);
});

test('AWSPhone accepts spaces, hyphens, parentheses and an optional country code', async () => {
  await accepts('AWSPhone', ['+1 555-123-4567', '555 123 4567', '(555) 123-4567', '+44 20 7946 0958', '5551234567']);
  await refuses('AWSPhone', ['abc', '123', '+1 555 CALL NOW', '555.123.4567', '']);
});

test('AWSIPAddress accepts IPv4, IPv6 and a CIDR suffix', async () => {
  await accepts('AWSIPAddress', ['127.0.0.1', '::1', '2001:db8::1', '10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0']);
  await refuses('AWSIPAddress', ['256.1.1.1', '1.2.3', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', '10.0.0.0/', 'localhost']);
});

test('a string scalar given a number literal is a WrongType error', async () => {
  assert.deepEqual(await viaLiteral('AWSDate', '19700101'), ["Validation error of type WrongType: argument 'v' with value 'IntValue{value=19700101}' is not a valid 'AWSDate' @ 'AWSDate'"]);
});
