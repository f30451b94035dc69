import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLScalarType, printSchema } from 'graphql';
import { isSwitchboardError } from '../../src/core/index.ts';
import { buildAppSchema, PLACEHOLDER_QUERY_FIELD } from '../../src/graphql/index.ts';
import { fixture } from './harness.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SEED_003 = fileURLToPath(new URL('../../examples/food-ordering/schema.graphql', import.meta.url));

const AWS_SCALAR_NAMES = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress'];

function buildError(sdl: string, file: string): { code: string; message: string } {
  try {
    buildAppSchema(sdl, file);
  } catch (error) {
    assert.ok(isSwitchboardError(error), `expected a SwitchboardError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  assert.fail('schema was accepted');
}

test('seed 000 builds as written: an empty argument list `onCreateFlight()` is accepted', () => {
  const schema = buildAppSchema(fixture('seed-000.graphql') + fixture('seed-000-types.graphql'), 'seed-000.graphql');
  const field = schema.getSubscriptionType()?.getFields()['onCreateFlight'];
  assert.equal(field?.args.length, 0);
  assert.equal(String(field?.type), 'Flight');
  assert.equal(String(schema.getMutationType()?.getFields()['createFlight']?.args[0]?.type), 'CreateFlightInput!');
});

test('seed 002 builds as written: @aws_iam, @aws_cognito_user_pools, @aws_subscribe are implicit', () => {
  const schema = buildAppSchema(fixture('seed-002.graphql'), 'seed-002.graphql');
  const sub = schema.getSubscriptionType()?.getFields()['onPublishMsgFromEb'];
  assert.deepEqual(sub?.astNode?.directives?.map((d) => d.name.value), ['aws_cognito_user_pools', 'aws_subscribe']);
});

test('seed 003 builds as written: a schema without Query gets the placeholder query root', () => {
  // Seed 003's schema as written is the food-ordering example's own schema file.
  const schema = buildAppSchema(readFileSync(SEED_003, 'utf8'), SEED_003);
  assert.deepEqual(Object.keys(schema.getQueryType()?.getFields() ?? {}), [PLACEHOLDER_QUERY_FIELD]);
  assert.equal(String(schema.getMutationType()?.getFields()['notifyOrderUpdated']?.type), 'OrderUpdated!');
  assert.deepEqual(Object.keys(schema.getSubscriptionType()?.getFields() ?? {}), ['onOrderUpdated']);
});

test('seed 004 (schema derived from its prose) builds with type- and field-level auth directives', () => {
  const schema = buildAppSchema(fixture('seed-004-derived.graphql'), 'seed-004.graphql');
  assert.deepEqual(Object.keys(schema.getSubscriptionType()?.getFields() ?? {}), ['subscribe', 'onUnsubscribe']);
});

test('every AWS scalar and auth directive is declared implicitly', () => {
  const schema = buildAppSchema('type Query { a: String }', 'x.graphql');
  for (const name of AWS_SCALAR_NAMES) assert.ok(schema.getType(name) instanceof GraphQLScalarType, name);
  const directives = schema.getDirectives().map((d) => d.name);
  for (const name of ['aws_subscribe', 'aws_publish', 'aws_api_key', 'aws_iam', 'aws_oidc', 'aws_lambda', 'aws_cognito_user_pools', 'aws_auth']) {
    assert.ok(directives.includes(name), name);
  }
});

test('re-declaring an AWS scalar or directive is tolerated', () => {
  const sdl = 'scalar AWSDateTime\ndirective @aws_iam on OBJECT | FIELD_DEFINITION\ntype Query { at: AWSDateTime @aws_iam }';
  const schema = buildAppSchema(sdl, 'x.graphql');
  const scalar = schema.getType('AWSDateTime') as GraphQLScalarType;
  // The implementation is attached even to a user-declared AWS scalar.
  assert.throws(() => scalar.parseValue('2020-01-01'), /Invalid AWSDateTime value/);
});

test('a custom scalar is refused with SB_SCHEMA_INVALID', () => {
  const { code, message } = buildError('scalar Money\ntype Query { price: Money }', 'app/schema.graphql');
  assert.equal(code, 'SB_SCHEMA_INVALID');
  assert.equal(message, 'app/schema.graphql: custom scalars are not supported by AppSync: Money (use one of the AWS scalars)');
});

test('an SDL syntax error is reported as <file>:<line>:<column>', () => {
  const { code, message } = buildError('type Query {\n  a: String\n  b: \n}\n', 'app/schema.graphql');
  assert.equal(code, 'SB_SCHEMA_INVALID');
  assert.equal(message, 'app/schema.graphql:4:1 Syntax Error: Expected Name, found "}".');
});

test('a reference to an unknown type names the file', () => {
  const { message } = buildError('type Query {\n  a: Missing\n}', 'app/schema.graphql');
  assert.equal(message, 'app/schema.graphql:2:6 Unknown type "Missing".');
});

test('an empty argument list inside a description or comment is left alone', () => {
  const sdl = '"""call f(): x"""\ntype Query {\n  # g(): y\n  "h(): z"\n  a(): String\n}';
  const schema = buildAppSchema(sdl, 'x.graphql');
  assert.equal(schema.getQueryType()?.description, 'call f(): x');
  assert.equal(schema.getQueryType()?.getFields()['a']?.description, 'h(): z');
});

test('lines and columns survive the empty-argument-list rewrite', () => {
  assert.equal(buildError('type Query {\n  a(\n  ): String\n  c: !\n}', 'x.graphql').message, 'x.graphql:4:6 Syntax Error: Expected Name, found "!".');
  assert.equal(buildError('type Query {\n  a(): Strin\n}', 'x.graphql').message, 'x.graphql:2:8 Unknown type "Strin". Did you mean "String"?');
});

test('a duplicate field is reported with the location of its first definition', () => {
  assert.equal(buildError('type Query {\n  a: String\n  a: Int\n}', 'x.graphql').message, 'x.graphql:2:3 Field "Query.a" can only be defined once.');
});

test('the printed schema still holds the user types only once', () => {
  const printed = printSchema(buildAppSchema(fixture('seed-002.graphql'), 'seed-002.graphql'));
  assert.equal(printed.match(/type Mutation/g)?.length, 1);
});
