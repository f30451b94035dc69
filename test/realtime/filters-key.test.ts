/**
 * `filterKey`: equal filters get equal keys, so their subscriptions share one fan-out group; any
 * difference that changes which events match gives a different key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterKey, validateSubscriptionFilter } from '../../src/realtime/filters/index.ts';

function key(json: unknown): string {
  const checked = validateSubscriptionFilter(json);
  assert.ok(checked.ok, checked.ok ? '' : checked.message);
  return filterKey(checked.filter);
}

const base = {
  filterGroup: [
    { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'b', operator: 'in', value: ['x', 'y'] }] },
    { filters: [{ fieldName: 'c.d', operator: 'between', value: [1, 5] }] },
  ],
};

test('has a stable, readable form', () => {
  assert.equal(key(base), '[[["a","eq",1],["b","in",["x","y"]]],[["c.d","between",[1,5]]]]');
});

// prettier-ignore
const EQUAL: readonly (readonly [name: string, json: unknown])[] = [
  ['object key order inside rules and groups', { filterGroup: [{ filters: [{ value: ['x', 'y'], operator: 'in', fieldName: 'b' }, { operator: 'eq', value: 1, fieldName: 'a' }] }, { filters: [{ value: [1, 5], fieldName: 'c.d', operator: 'between' }] }] }],
  ['group order', { filterGroup: [base.filterGroup[1], base.filterGroup[0]] }],
  ['`in` value order and repeats', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'b', operator: 'in', value: ['y', 'x', 'y'] }] }, base.filterGroup[1]] }],
  ['a repeated rule', { filterGroup: [{ filters: [...(base.filterGroup[0]?.filters ?? []), { fieldName: 'a', operator: 'eq', value: 1 }] }, base.filterGroup[1]] }],
  ['a repeated group', { filterGroup: [...base.filterGroup, base.filterGroup[1]] }],
  ['1.0 written for 1', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1.0 }, { fieldName: 'b', operator: 'in', value: ['x', 'y'] }] }, base.filterGroup[1]] }],
  ['a JSON-text filter', JSON.stringify(base)],
];

for (const [name, json] of EQUAL) {
  test(`is equal regardless of ${name}`, () => {
    assert.equal(key(json), key(base));
  });
}

test('is equal for `lte` and `le`', () => {
  const f = (operator: string) => ({ filterGroup: [{ filters: [{ fieldName: 'n', operator, value: 3 }] }] });
  assert.equal(key(f('lte')), key(f('le')));
});

// prettier-ignore
const DIFFERENT: readonly (readonly [name: string, json: unknown])[] = [
  ['a different value', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 2 }] }] }],
  ['the string "1" for the number 1', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: '1' }] }] }],
  ['a different operator', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'ne', value: 1 }] }] }],
  ['a different field', { filterGroup: [{ filters: [{ fieldName: 'b', operator: 'eq', value: 1 }] }] }],
  ['AND instead of OR', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'b', operator: 'eq', value: 1 }] }] }],
  ['OR instead of AND', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }, { filters: [{ fieldName: 'b', operator: 'eq', value: 1 }] }] }],
  ['swapped between bounds', { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'between', value: [5, 1] }] }] }],
];

test('differs whenever the matched events differ', () => {
  const keys = [key({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }] }), ...DIFFERENT.map(([, json]) => key(json)), key({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'between', value: [1, 5] }] }] })];
  assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
});
