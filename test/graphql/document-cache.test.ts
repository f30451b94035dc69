import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDocumentCache } from '../../src/graphql/document-cache.ts';
import { blogSchema } from './harness.ts';

const schema = blogSchema();

test('the same query text is parsed and validated once', () => {
  const cache = createDocumentCache(schema, { maxDepth: 10 });
  const first = cache.prepare('{ listPosts { id } }');
  assert.equal(first.ok, true);
  assert.equal(cache.prepare('{ listPosts { id } }'), first);
  assert.equal(cache.size, 1);
});

test('validation failures are cached too', () => {
  const cache = createDocumentCache(schema, { maxDepth: 10 });
  const first = cache.prepare('{ nope }');
  assert.equal(first.ok, false);
  assert.equal(cache.prepare('{ nope }'), first);
});

test('the least recently used text is evicted past maxEntries', () => {
  const cache = createDocumentCache(schema, { maxDepth: 10, maxEntries: 2 });
  const a = cache.prepare('{ a: listPosts { id } }');
  const b = cache.prepare('{ b: listPosts { id } }');
  assert.equal(cache.prepare('{ a: listPosts { id } }'), a); // a is now the most recent
  cache.prepare('{ c: listPosts { id } }');
  assert.equal(cache.size, 2);
  assert.equal(cache.prepare('{ a: listPosts { id } }'), a);
  assert.notEqual(cache.prepare('{ b: listPosts { id } }'), b);
});

test('a text over 1 MiB is refused without parsing', () => {
  const cache = createDocumentCache(schema, { maxDepth: 10 });
  assert.deepEqual(cache.prepare(`{ listPosts { id } }${' '.repeat(1024 * 1024)}`), { ok: false, kind: 'syntax', errors: [{ message: 'Query is too large.' }] });
});

test('a document with more than 50 000 tokens is a syntax error', () => {
  const cache = createDocumentCache(schema, { maxDepth: 10 });
  const prepared = cache.prepare(`{ ${'__typename '.repeat(50_001)}}`);
  assert.equal(prepared.ok, false);
  assert.equal(!prepared.ok && prepared.errors[0]?.message, 'Invalid Syntax : Document contains more that 50000 tokens. Parsing aborted. at line 1 column 549992');
});
