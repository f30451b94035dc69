import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, META, service } from './harness.ts';

const svc = service();

async function run(query: string, variables?: Record<string, unknown>) {
  const outcome = await svc.execute({ query, variables: variables ?? null }, { auth: API_KEY, ...META });
  return { status: outcome.status, body: JSON.parse(JSON.stringify(outcome.body)) as { data: unknown; errors?: { message: string; path: unknown; locations: unknown }[] } };
}

async function messages(query: string, variables?: Record<string, unknown>): Promise<string[]> {
  return (await run(query, variables)).body.errors?.map((e) => e.message) ?? [];
}

test('an unknown field answers 200 with data null, path null and sourceName null', async () => {
  assert.deepEqual(await run('{ badfield }'), {
    status: 200,
    body: {
      data: null,
      errors: [{ path: null, locations: [{ line: 1, column: 3, sourceName: null }], message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'" }],
    },
  });
});

test('an unknown nested field names its path from the root', async () => {
  assert.deepEqual(await messages('{ getPost(id: "1") { id badfield } }'), ["Validation error of type FieldUndefined: Field 'badfield' in type 'Post' is undefined @ 'getPost/badfield'"]);
  assert.deepEqual(await messages('{ getPost(id: "1") { comments { nope } } }'), ["Validation error of type FieldUndefined: Field 'nope' in type 'Comment' is undefined @ 'getPost/comments/nope'"]);
});

test('an unknown field inside an inline fragment keeps the path of the enclosing fields', async () => {
  assert.deepEqual(await messages('{ getPost(id: "1") { ... on Post { nope } } }'), ["Validation error of type FieldUndefined: Field 'nope' in type 'Post' is undefined @ 'getPost/nope'"]);
});

test('a missing required argument is MissingFieldArgument', async () => {
  assert.deepEqual(await messages('{ getPost { id } }'), ['Validation error of type MissingFieldArgument: Missing field argument id @ \'getPost\'']);
});

test('an unknown argument is UnknownArgument', async () => {
  assert.deepEqual(await messages('{ getPost(id: "1", x: 1) { id } }'), ["Validation error of type UnknownArgument: Unknown field argument x @ 'getPost'"]);
});

test('an object field without a selection is SubSelectionRequired; a leaf with one is SubSelectionNotAllowed', async () => {
  assert.deepEqual(await messages('{ getPost(id: "1") }'), ["Validation error of type SubSelectionRequired: Sub selection required for type Post of field getPost @ 'getPost'"]);
  assert.deepEqual(await messages('{ getPost(id: "1") { id { x } } }'), ["Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type ID! of field id @ 'getPost/id'"]);
});

test('a literal of the wrong type is WrongType with the argument and graphql-java value text', async () => {
  assert.deepEqual(await messages('{ getPost(id: 1.5) { id } }'), ["Validation error of type WrongType: argument 'id' with value 'FloatValue{value=1.5}' is not a valid 'ID' @ 'getPost'"]);
  assert.deepEqual(await messages('{ listPosts(limit: "ten") { id } }'), ["Validation error of type WrongType: argument 'limit' with value 'StringValue{value='ten'}' is not a valid 'Int' @ 'listPosts'"]);
});

test('a wrong value inside an input object names the dotted argument path', async () => {
  assert.deepEqual(await messages('mutation { createPost(input: {title: 3}) { id } }'), ["Validation error of type WrongType: argument 'input.title' with value 'IntValue{value=3}' is not a valid 'String' @ 'createPost'"]);
  assert.deepEqual(await messages('mutation { createPost(input: {title: "t", tags: ["a", 2]}) { id } }'), ["Validation error of type WrongType: argument 'input.tags[1]' with value 'IntValue{value=2}' is not a valid 'String' @ 'createPost'"]);
});

test('a missing or unknown input field is WrongType on the whole object', async () => {
  assert.deepEqual(await messages('mutation { createPost(input: {}) { id } }'), ["Validation error of type WrongType: argument 'input' with value 'ObjectValue{objectFields=[]}' is missing required fields '[title]' @ 'createPost'"]);
  assert.deepEqual(await messages('mutation { createPost(input: {title: "t", body: "b"}) { id } }'), [
    "Validation error of type WrongType: argument 'input' with value 'ObjectValue{objectFields=[ObjectField{name='title', value=StringValue{value='t'}}, ObjectField{name='body', value=StringValue{value='b'}}]}' contains a field not in 'PostInput': 'body' @ 'createPost'",
  ]);
});

test('a missing required variable has coerced Null value for its NonNull type', async () => {
  const query = 'query Get($x: ID!) { getPost(id: $x) { id } }';
  for (const variables of [{}, { x: null }]) {
    assert.deepEqual(await run(query, variables), {
      status: 200,
      body: { data: null, errors: [{ path: null, locations: [{ line: 1, column: 11, sourceName: null }], message: "Variable 'x' has coerced Null value for NonNull type 'ID!'" }] },
    });
  }
});

test('a variable of the wrong type for its position is VariableTypeMismatch', async () => {
  assert.deepEqual(await messages('query($n: String) { listPosts(limit: $n) { id } }'), ["Validation error of type VariableTypeMismatch: Variable type 'String' doesn't match expected type 'Int' @ 'listPosts'"]);
});

test('undefined and unused variables are reported by name', async () => {
  assert.deepEqual(await messages('{ getPost(id: $nope) { id } }'), ["Validation error of type UndefinedVariable: Undefined variable nope @ 'getPost'"]);
  assert.deepEqual(await messages('query($unused: Int) { listPosts { id } }'), ['Validation error of type UnusedVariable: Unused variable unused']);
});

test('every validation error of a document is reported, in document order', async () => {
  assert.deepEqual(await messages('{ a1 getPost(id: "1") { b2 } }'), [
    "Validation error of type FieldUndefined: Field 'a1' in type 'Query' is undefined @ 'a1'",
    "Validation error of type FieldUndefined: Field 'b2' in type 'Post' is undefined @ 'getPost/b2'",
  ]);
});

test('a syntax error is 400 with graphql-java Invalid Syntax wording', async () => {
  assert.deepEqual(await run('{ getPost(id: "1") { id }'), {
    status: 400,
    body: { errors: [{ message: 'Invalid Syntax : Expected Name, found <EOF>. at line 1 column 26', locations: [{ line: 1, column: 26, sourceName: null }], errorType: 'MalformedHttpRequestException' }] },
  });
});

test('an unknown operation name is reported without executing', async () => {
  assert.deepEqual(await run('query A { listPosts { id } } query B { listPosts { id } }'), {
    status: 200,
    body: { data: null, errors: [{ message: 'Must provide operation name if query contains multiple operations.', path: null }] },
  });
});
