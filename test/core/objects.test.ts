/**
 * `copyOf` and `merged` (src/core/objects.ts) are `{ ...value }` and `{ ...a, ...b }` for plain
 * objects, with the shapes the young-generation GC collects cheaply: same own properties, same
 * order, later sources winning, missing sources adding nothing, and an own `__proto__` key (which
 * JSON.parse makes from user data) kept as a property, never turned into the copy's prototype.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyOf, merged } from '../../src/core/index.ts';

test('copyOf copies the own properties in order and leaves the original as it was', () => {
  const original = { b: 1, a: { deep: true }, c: 'x' };
  const copy = copyOf(original);
  assert.deepEqual(Object.keys(copy), ['b', 'a', 'c']);
  assert.equal(copy.a, original.a, 'shallow: nested values are shared');
  (copy as Record<string, unknown>)['d'] = 1;
  assert.deepEqual(Object.keys(original), ['b', 'a', 'c']);
});

test('merged is the spread of both: later properties win, a missing source adds nothing', () => {
  assert.deepEqual(merged({ a: 1, b: 2 }, { b: 3, c: 4 }), { a: 1, b: 3, c: 4 });
  assert.deepEqual(Object.keys(merged({ a: 1, b: 2 }, { b: 3, c: 4 })), ['a', 'b', 'c']);
  assert.deepEqual(merged(undefined, { c: 4 }), { c: 4 });
  assert.deepEqual(merged({ a: 1 }, undefined), { a: 1 });
  assert.deepEqual(merged(undefined, undefined), {});
});

test('an own __proto__ key from user data stays an own property, as with a spread', () => {
  const item = JSON.parse('{"__proto__":{"S":"x"},"id":{"S":"1"}}') as Record<string, unknown>;
  for (const copy of [copyOf(item), merged(item, { pk: { S: 'k' } }), merged({ pk: { S: 'k' } }, item)]) {
    assert.ok(Object.hasOwn(copy, '__proto__'), 'kept as an own property');
    assert.equal(Object.getPrototypeOf(copy), Object.prototype, 'the prototype is untouched');
    assert.deepEqual(JSON.parse(JSON.stringify(copy))['__proto__'], { S: 'x' });
  }
});
