import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResolverFieldError } from '../../src/resolvers/index.ts';
import { API_KEY, META, service } from './harness.ts';

async function body(svc: ReturnType<typeof service>, query: string): Promise<unknown> {
  return JSON.parse(JSON.stringify((await svc.execute({ query }, { auth: API_KEY, ...META })).body));
}

test('a ResolverFieldError becomes {path, data, errorType, errorInfo, locations, message} and the field null', async () => {
  const svc = service({
    resolvers: {
      'Query.getPost': () => {
        throw new ResolverFieldError({ message: 'Post p9 not found', errorType: 'NotFound', data: { id: 'p9' }, errorInfo: { hint: 'check the id' } });
      },
    },
  });
  assert.deepEqual(await body(svc, '{\n  getPost(id: "p9") { id }\n}'), {
    data: { getPost: null },
    errors: [{ path: ['getPost'], data: { id: 'p9' }, errorType: 'NotFound', errorInfo: { hint: 'check the id' }, locations: [{ line: 2, column: 3, sourceName: null }], message: 'Post p9 not found' }],
  });
});

test('a ResolverFieldError without errorType keeps data and errorInfo null', async () => {
  const svc = service({ resolvers: { 'Query.boom': () => Promise.reject(new ResolverFieldError({ message: 'nope', errorType: null, data: null, errorInfo: null })) } });
  assert.deepEqual(await body(svc, '{ boom }'), { data: { boom: null }, errors: [{ path: ['boom'], data: null, errorInfo: null, locations: [{ line: 1, column: 3, sourceName: null }], message: 'nope' }] });
});

test('an unexpected exception is an InternalFailure that does not leak its message, and is logged', async () => {
  const secret = new Error('Expected password hunter2 to match');
  const svc = service({ resolvers: { 'Query.boom': () => Promise.reject(secret) } });
  const result = await body(svc, '{ boom }');
  assert.deepEqual(result, { data: { boom: null }, errors: [{ path: ['boom'], locations: [{ line: 1, column: 3, sourceName: null }], errorType: 'InternalFailure', message: 'An internal failure occurred while resolving this field.' }] });
  assert.equal(JSON.stringify(result).includes('hunter2'), false);
  assert.deepEqual(svc.logger.entries.map((e) => [e.level, e.msg, e.fields?.['error']]), [['error', 'field execution failed', secret]]);
});

test('a resolver runtime that throws synchronously is an InternalFailure too', async () => {
  const svc = service({
    resolvers: {
      'Query.boom': () => {
        throw new TypeError('x is undefined');
      },
    },
  });
  // The fake runtime's resolve is async, so replace it with a synchronous thrower.
  Object.assign(svc.runtime, {
    resolve: () => {
      throw new TypeError('cannot read properties of undefined');
    },
  });
  assert.deepEqual(await body(svc, '{ boom }'), { data: { boom: null }, errors: [{ path: ['boom'], locations: [{ line: 1, column: 3, sourceName: null }], errorType: 'InternalFailure', message: 'An internal failure occurred while resolving this field.' }] });
});

test('a null for a non-null field reads as graphql-java says it: the field type, the parent, the path', async () => {
  const svc = service({ resolvers: { 'Query.getPost': () => ({ id: 'p1', title: null }) } });
  assert.deepEqual(await body(svc, '{ getPost(id: "p1") { id title } }'), {
    data: { getPost: null },
    errors: [{ path: ['getPost', 'title'], locations: null, message: "Cannot return null for non-nullable type: 'String' within parent 'Post' (/getPost/title)" }],
  });
});

test('a non-null violation inside a list writes the index as [i]', async () => {
  const svc = service({ resolvers: { 'Query.listPosts': () => [{ id: 'p1', title: 't' }, { id: null, title: 't' }] } });
  assert.deepEqual(await body(svc, '{ listPosts { id } }'), {
    data: { listPosts: [{ id: 'p1' }, null] },
    errors: [{ path: ['listPosts', 1, 'id'], locations: null, message: "Cannot return null for non-nullable type: 'ID' within parent 'Post' (/listPosts[1]/id)" }],
  });
});

test('a non-null root field that is null nulls data', async () => {
  const svc = service({ resolvers: { 'Query.mustExist': () => null } });
  assert.deepEqual(await body(svc, '{ mustExist }'), {
    data: null,
    errors: [{ path: ['mustExist'], locations: null, message: "Cannot return null for non-nullable type: 'String' within parent 'Query' (/mustExist)" }],
  });
});

test('errors appended by a resolver follow the field errors, attributed to their path', async () => {
  const svc = service({
    resolvers: {
      'Query.getPost': (inv) => {
        inv.scope.appendedErrors.push({ path: inv.path, error: { message: 'partial', errorType: 'Partial', data: { n: 1 }, errorInfo: null } });
        return { id: 'p1', title: 't' };
      },
    },
  });
  assert.deepEqual(await body(svc, '{ getPost(id: "p1") { id } }'), {
    data: { getPost: { id: 'p1' } },
    errors: [{ path: ['getPost'], data: { n: 1 }, errorType: 'Partial', errorInfo: null, locations: [], message: 'partial' }],
  });
});

test('a non-list value for a list field is a field error in graphql-js wording', async () => {
  const svc = service({ resolvers: { 'Query.listPosts': () => 'not a list' } });
  assert.deepEqual(await body(svc, '{ listPosts { id } }'), {
    data: { listPosts: null },
    errors: [{ path: ['listPosts'], locations: [{ line: 1, column: 3, sourceName: null }], message: 'Expected Iterable, but did not find one for field "Query.listPosts".' }],
  });
});
