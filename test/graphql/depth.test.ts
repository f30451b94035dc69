import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { buildAppSchema } from '../../src/graphql/index.ts';
import { queryDepth } from '../../src/graphql/depth.ts';
import { API_KEY, META, service } from './harness.ts';

const schema = buildAppSchema('type Node { id: ID  child: Node }\ntype Query { node: Node }', 'depth.graphql');

/** `{ node { child { child ... { id } } } }`: `levels` fields deep in all. */
function nested(levels: number, leaf = 'id'): string {
  return `{ node ${'{ child '.repeat(levels - 2)}{ ${leaf} }${' }'.repeat(levels - 2)} }`;
}

const LIMIT_ERROR = (limit: number) => ({ data: null, errors: [{ message: `Validation error of type QueryDepthLimitExceeded: the query is nested more than ${limit} levels deep`, path: null }] });

test('depth counts nested fields, through inline fragments and fragment spreads', () => {
  assert.equal(queryDepth(parse('{ node { id } }'), 10), 2);
  assert.equal(queryDepth(parse('{ node { ... on Node { child { id } } } }'), 10), 3);
  assert.equal(queryDepth(parse('{ node { ...F } } fragment F on Node { child { child { id } } }'), 10), 4);
  assert.equal(queryDepth(parse(nested(7)), 10), 7);
});

test('a query exactly at the depth limit executes', async () => {
  const svc = service({ schema, maxQueryDepth: 6, resolvers: { 'Query.node': () => ({ id: '0', child: { child: { child: { child: { id: '4' } } } } }) } });
  const outcome = await svc.execute({ query: nested(6) }, { auth: API_KEY, ...META });
  assert.deepEqual(JSON.parse(JSON.stringify(outcome.body)), { data: { node: { child: { child: { child: { child: { id: '4' } } } } } } });
});

test('one level past the limit is refused with QueryDepthLimitExceeded', async () => {
  const svc = service({ schema, maxQueryDepth: 6 });
  assert.deepEqual((await svc.execute({ query: nested(7) }, { auth: API_KEY, ...META })).body, LIMIT_ERROR(6));
});

test('a 500-level query is refused quickly, before validation', async () => {
  const svc = service({ schema, maxQueryDepth: 10 });
  // `bogus` is not a field: had the document been validated, the answer would be FieldUndefined.
  const started = performance.now();
  const outcome = await svc.execute({ query: nested(500, 'bogus') }, { auth: API_KEY, ...META });
  const elapsed = performance.now() - started;
  assert.deepEqual(outcome.body, LIMIT_ERROR(10));
  assert.ok(elapsed < 100, `took ${elapsed} ms`);
});

test('fragments that spread the next one twice are measured in linear time', () => {
  let query = 'query { ...F0 }\n';
  for (let i = 0; i < 40; i++) query += `fragment F${i} on Query { node { id } ${i < 39 ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
  const started = performance.now();
  assert.equal(queryDepth(parse(query), 10), 2);
  assert.ok(performance.now() - started < 50, 'exponential walk');
});

test('a fragment spread deep in a query adds the fragment depth to its level', () => {
  const doc = parse('{ node { child { ...F } } } fragment F on Node { child { child { id } } }');
  assert.equal(queryDepth(doc, 10), 5);
  assert.equal(queryDepth(doc, 4), 5);
});

test('cyclic fragments do not loop (validation refuses them afterwards)', async () => {
  const query = '{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }';
  assert.equal(queryDepth(parse(query), 10), 3);
  const svc = service({ schema });
  assert.deepEqual((await svc.execute({ query }, { auth: API_KEY, ...META })).body.errors?.map((e) => e.message), ["Validation error of type FragmentCycle: Fragment cycles not allowed @ 'child'"]);
});
