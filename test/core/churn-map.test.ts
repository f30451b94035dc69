/**
 * `ChurnMap` (src/core/churn-map.ts) answers as a Map does for the operations it has; its values
 * live in reused slots, so a deleted entry leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChurnMap } from '../../src/core/index.ts';

test('a ChurnMap gets, sets, replaces and deletes as a Map does', () => {
  const map = new ChurnMap<string, { n: number }>();
  const reference = new Map<string, { n: number }>();
  // A deterministic mix of operations over a few keys, checked against a Map after each one.
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 5_000; i++) {
    const key = `k${next() % 40}`;
    const op = next() % 3;
    if (op === 0) assert.equal(map.delete(key), reference.delete(key));
    else {
      const value = { n: i };
      map.set(key, value);
      reference.set(key, value);
    }
    assert.equal(map.get(key), reference.get(key));
    assert.equal(map.has(key), reference.has(key));
    assert.equal(map.size, reference.size);
  }
  assert.deepEqual([...map.keys()], [...reference.keys()], 'keys in insertion order');
  assert.deepEqual([...map.values()], [...reference.values()]);
});

test('after deletes and a clear, a ChurnMap answers nothing for the keys removed, and takes new ones', () => {
  const map = new ChurnMap<number, string>();
  for (let i = 0; i < 100; i++) {
    map.set(i, `value ${i}`);
    map.delete(i);
  }
  assert.equal(map.size, 0);
  assert.equal(map.get(5), undefined);
  assert.equal(map.has(5), false);
  map.set(1, 'a').set(2, 'b');
  map.clear();
  assert.equal(map.size, 0);
  assert.equal(map.get(1), undefined);
  assert.deepEqual([...map.values()], []);
  map.set(3, 'c');
  assert.deepEqual([...map.values()], ['c']);
});
