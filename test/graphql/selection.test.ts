import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAppSchema } from '../../src/graphql/index.ts';
import type { FieldInvocation } from '../../src/resolvers/index.ts';
import { API_KEY, META, service } from './harness.ts';

const schema = buildAppSchema(
  `interface Node { id: ID }
type Author { authorId: ID  name: String }
type Comment { id: ID  text: String }
type Post implements Node { id: ID  postId: ID  title: String  content: String  author(id: ID): Author  comments: [Comment]  products: [Product] }
type Blog implements Node { id: ID  title: String  category: String }
type Product { name: String  price: Float }
type Query { getPost(id: ID): Post  node(id: ID!): Node }`,
  'selection.graphql',
);

async function seen(query: string, field: string): Promise<FieldInvocation> {
  const svc = service({ schema, resolvers: { [`Query.${field}`]: () => null } });
  const outcome = await svc.execute({ query }, { auth: API_KEY, ...META });
  assert.equal(outcome.body.errors, undefined, JSON.stringify(outcome.body.errors));
  const call = svc.runtime.calls[0];
  assert.ok(call !== undefined);
  return call;
}

test('selectionSetList holds every path below the field, nested as products/name', async () => {
  const call = await seen('{ getPost(id: "1") { id products { name price } title } }', 'getPost');
  assert.deepEqual(call.selectionSetList, ['id', 'products', 'products/name', 'products/price', 'title']);
});

test('selectionSetList matches the AppSync documentation example: aliases, inline fragments and fragments', async () => {
  const call = await seen(
    `query {
  getPost(id: "123") {
    postId
    title
    secondTitle: title
    content
    author(id: "456") { authorId name }
    secondAuthor: author(id: "789") { authorId }
    ... on Post { inlineFragComments: comments { id } }
    ... postFrag
  }
}
fragment postFrag on Post { postFragComments: comments { id } }`,
    'getPost',
  );
  assert.deepEqual(call.selectionSetList, [
    'postId', 'title', 'secondTitle', 'content',
    'author', 'author/authorId', 'author/name',
    'secondAuthor', 'secondAuthor/authorId',
    'inlineFragComments', 'inlineFragComments/id',
    'postFragComments', 'postFragComments/id',
  ]);
});

test('selectionSetGraphQL is the printed selection set with fragment spreads kept', async () => {
  const call = await seen('{ getPost(id: "1") { id ...F author(id: "2") { name } } } fragment F on Post { title }', 'getPost');
  assert.equal(call.selectionSetGraphQL, '{\n  id\n  ...F\n  author(id: "2") {\n    name\n  }\n}');
});

test('on an interface only fields of the interface are listed, not those of other types fragments', async () => {
  const call = await seen('{ node(id: "1") { id ... on Post { title } ... on Node { id } ...B } } fragment B on Blog { category }', 'node');
  assert.deepEqual(call.selectionSetList, ['id']);
});

test('__typename is left out and repeated paths appear once', async () => {
  const call = await seen('{ getPost(id: "1") { __typename id ... on Post { id title } } }', 'getPost');
  assert.deepEqual(call.selectionSetList, ['id', 'title']);
});

test('a field selected twice is resolved once with both selections merged', async () => {
  const call = await seen('{ getPost(id: "1") { id } getPost(id: "1") { title comments { text } } }', 'getPost');
  assert.deepEqual(call.selectionSetList, ['id', 'title', 'comments', 'comments/text']);
});

test('a leaf field has an empty list and empty text', async () => {
  const svc = service({ schema, resolvers: { 'Post.title': () => 'T', 'Query.getPost': () => ({ id: '1' }) } });
  await svc.execute({ query: '{ getPost(id: "1") { title } }' }, { auth: API_KEY, ...META });
  const call = svc.runtime.calls.find((c) => c.fieldName === 'title');
  assert.deepEqual([call?.selectionSetList, call?.selectionSetGraphQL, call?.path], [[], '', ['getPost', 'title']]);
});
