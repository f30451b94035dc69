/**
 * Shape, value types and AppSync's limits (research/appsync.md §4.3–4.4), checked once at
 * subscribe time. Where AppSync's message is on record, ours is the same text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APPSYNC_FILTER_LIMITS, validateSubscriptionFilter } from '../../src/realtime/filters/index.ts';

const rule = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });
const groups = (...gs: unknown[][]) => ({ filterGroup: gs.map((filters) => ({ filters })) });

function refused(json: unknown, limits: Parameters<typeof validateSubscriptionFilter>[1] = {}): string {
  const checked = validateSubscriptionFilter(json, limits);
  assert.equal(checked.ok, false, 'expected the filter to be refused');
  return checked.ok ? '' : checked.message;
}

test('AppSync limits are the defaults', () => {
  assert.deepEqual({ ...APPSYNC_FILTER_LIMITS }, { maxFilterGroups: 10, maxFieldsPerGroup: 5, maxInValues: 5, maxContainsAnyValues: 20, maxStringLength: 256, maxNestingDepth: 5 });
});

test('refuses an `in` of more than 5 values with AppSync message', () => {
  assert.equal(refused(groups([rule('id', 'in', ['1', '2', '3', '4', '5', '6'])])), 'subscription exceeds maximum value limit 5 for operator `in`.');
});

test('refuses a `notIn` of more than 5 values', () => {
  assert.equal(refused(groups([rule('id', 'notIn', [1, 2, 3, 4, 5, 6])])), 'subscription exceeds maximum value limit 5 for operator `notIn`.');
});

test('accepts an `in` of exactly 5 values', () => {
  assert.equal(validateSubscriptionFilter(groups([rule('id', 'in', [1, 2, 3, 4, 5])])).ok, true);
});

test('refuses a `containsAny` of more than 20 values, accepts 20', () => {
  const values = Array.from({ length: 21 }, (_, i) => i);
  assert.equal(refused(groups([rule('tags', 'containsAny', values)])), 'subscription exceeds maximum value limit 20 for operator `containsAny`.');
  assert.equal(validateSubscriptionFilter(groups([rule('tags', 'containsAny', values.slice(1))])).ok, true);
});

test('refuses more than 5 distinct fields in one group with AppSync message', () => {
  const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((f) => rule(f, 'eq', 1));
  assert.equal(refused(groups(six)), 'Filters exceed maximum attributes limit 5 for subscription.');
});

test('counts distinct fields: two rules on one field count once', () => {
  const five = ['a', 'b', 'c', 'd', 'e'].map((f) => rule(f, 'eq', 1));
  assert.equal(validateSubscriptionFilter(groups([...five, rule('a', 'ne', 2)])).ok, true);
});

test('refuses more than 10 filter groups', () => {
  const eleven = Array.from({ length: 11 }, (_, i) => [rule('n', 'eq', i)]);
  assert.equal(refused(groups(...eleven)), 'Filters exceed maximum filter groups limit 10 for subscription: they expand to 11 (an `in` of n values counts as n groups).');
  assert.equal(validateSubscriptionFilter(groups(...eleven.slice(1))).ok, true);
});

test('counts an `in` of n values as n filter groups', () => {
  // 2 groups: [in of 5] × [in of 2] = 10, plus 1 plain group = 11.
  const json = groups([rule('a', 'in', [1, 2, 3, 4, 5]), rule('b', 'in', ['x', 'y'])], [rule('c', 'eq', 1)]);
  assert.equal(refused(json), 'Filters exceed maximum filter groups limit 10 for subscription: they expand to 11 (an `in` of n values counts as n groups).');
  assert.equal(validateSubscriptionFilter(groups([rule('a', 'in', [1, 2, 3, 4, 5]), rule('b', 'in', ['x', 'y'])])).ok, true);
});

test('`notIn` and `containsAny` do not expand the group count', () => {
  const json = groups(...Array.from({ length: 10 }, () => [rule('a', 'notIn', [1, 2, 3, 4, 5]), rule('t', 'containsAny', [1, 2, 3])]));
  assert.equal(validateSubscriptionFilter(json).ok, true);
});

test('refuses string values longer than 256 characters, in lists too', () => {
  assert.equal(refused(groups([rule('s', 'eq', 'x'.repeat(257))])), 'subscription exceeds maximum string length 256 for operator `eq` on field `s`.');
  assert.equal(refused(groups([rule('s', 'in', ['ok', 'x'.repeat(257)])])), 'subscription exceeds maximum string length 256 for operator `in` on field `s`.');
  assert.equal(validateSubscriptionFilter(groups([rule('s', 'eq', 'x'.repeat(256))])).ok, true);
});

test('ignores, with a warning, rules nested deeper than 5 levels', () => {
  const checked = validateSubscriptionFilter(groups([rule('a.b.c.d.e.f', 'eq', 1), rule('n', 'eq', 1)]));
  assert.ok(checked.ok);
  assert.deepEqual(checked.filter, { filterGroup: [{ filters: [{ fieldName: 'n', operator: 'eq', value: 1 }] }] });
  assert.deepEqual(checked.warnings, ['filterGroup[0].filters[0] on `a.b.c.d.e.f` is ignored: it is nested 6 levels deep, over the limit of 5.']);
});

test('keeps rules exactly 5 levels deep', () => {
  const checked = validateSubscriptionFilter(groups([rule('a.b.c.d.e', 'eq', 1)]));
  assert.ok(checked.ok);
  assert.equal(checked.filter.filterGroup[0]?.filters.length, 1);
  assert.deepEqual(checked.warnings, []);
});

test('limits are configurable field by field', () => {
  const json = groups([rule('id', 'in', [1, 2, 3, 4, 5, 6, 7])]);
  assert.equal(refused(json, { maxInValues: 6 }), 'subscription exceeds maximum value limit 6 for operator `in`.');
  assert.equal(validateSubscriptionFilter(json, { maxInValues: 7, maxFilterGroups: 7 }).ok, true);
  const deep = validateSubscriptionFilter(groups([rule('a.b.c.d.e.f', 'eq', 1)]), { maxNestingDepth: 6 });
  assert.ok(deep.ok);
  assert.equal(deep.filter.filterGroup[0]?.filters.length, 1);
});

test('normalises the `lte`/`gte` aliases to `le`/`ge`', () => {
  const checked = validateSubscriptionFilter(groups([rule('n', 'lte', 1), rule('m', 'gte', 2)]));
  assert.ok(checked.ok);
  assert.deepEqual(checked.filter.filterGroup[0]?.filters.map((r) => r.operator), ['le', 'ge']);
});

// prettier-ignore
const SHAPE_ERRORS: readonly (readonly [name: string, json: unknown, message: string])[] = [
  ['not JSON text', '{filterGroup', 'Subscription filter is not valid JSON.'],
  ['null', null, 'Subscription filter must be an object with a non-empty filterGroup list.'],
  ['no filterGroup', { filters: [] }, 'Subscription filter must be an object with a non-empty filterGroup list.'],
  ['an empty filterGroup', { filterGroup: [] }, 'Subscription filter must be an object with a non-empty filterGroup list.'],
  ['a group without filters', { filterGroup: [{}] }, 'filterGroup[0] must be an object with a non-empty filters list.'],
  ['a group with no filters', { filterGroup: [{ filters: [] }] }, 'filterGroup[0] must be an object with a non-empty filters list.'],
  ['a rule that is a string', groups(['n eq 1']), 'filterGroup[0].filters[0] must be an object with fieldName, operator and value.'],
  ['an empty fieldName', groups([rule('', 'eq', 1)]), 'filterGroup[0].filters[0].fieldName must be GraphQL field names joined by ".", got "".'],
  ['a fieldName with an empty segment', groups([rule('a..b', 'eq', 1)]), 'filterGroup[0].filters[0].fieldName must be GraphQL field names joined by ".", got "a..b".'],
  ['a fieldName with a dash', groups([rule('order-id', 'eq', 1)]), 'filterGroup[0].filters[0].fieldName must be GraphQL field names joined by ".", got "order-id".'],
  ['a missing fieldName', groups([{ operator: 'eq', value: 1 }]), 'filterGroup[0].filters[0].fieldName must be GraphQL field names joined by ".", got nothing.'],
  ['an unknown operator', groups([rule('n', 'EQ', 1)]), 'filterGroup[0].filters[0]: unsupported operator `EQ` for field `n`.'],
  ['a missing operator', groups([{ fieldName: 'n', value: 1 }]), 'filterGroup[0].filters[0]: unsupported operator `undefined` for field `n`.'],
  ['a missing value', groups([{ fieldName: 'n', operator: 'eq' }]), 'filterGroup[0].filters[0]: operator `eq` on field `n` expects a string, a number, a boolean or null, got nothing.'],
  ['an object for eq', groups([rule('n', 'eq', { a: 1 })]), 'filterGroup[0].filters[0]: operator `eq` on field `n` expects a string, a number, a boolean or null, got object.'],
  ['NaN for eq', groups([rule('n', 'eq', Number.NaN)]), 'filterGroup[0].filters[0]: operator `eq` on field `n` expects a string, a number, a boolean or null, got number.'],
  ['a boolean for gt', groups([rule('n', 'gt', true)]), 'filterGroup[0].filters[0]: operator `gt` on field `n` expects a string or a number, got boolean.'],
  ['null for lt', groups([rule('n', 'lt', null)]), 'filterGroup[0].filters[0]: operator `lt` on field `n` expects a string or a number, got null.'],
  ['a list for contains', groups([rule('t', 'contains', ['a'])]), 'filterGroup[0].filters[0]: operator `contains` on field `t` expects a string or a number, got a list of 1.'],
  ['a number for beginsWith', groups([rule('t', 'beginsWith', 1)]), 'filterGroup[0].filters[0]: operator `beginsWith` on field `t` expects a string, got number.'],
  ['a scalar for in', groups([rule('t', 'in', 'a')]), 'filterGroup[0].filters[0]: operator `in` on field `t` expects a list of strings and numbers, got string.'],
  ['a boolean inside in', groups([rule('t', 'in', [true])]), 'filterGroup[0].filters[0]: operator `in` on field `t` expects a list of strings and numbers, got a list of 1.'],
  ['null inside containsAny', groups([rule('t', 'containsAny', [null])]), 'filterGroup[0].filters[0]: operator `containsAny` on field `t` expects a list of strings and numbers, got a list of 1.'],
  ['three values for between', groups([rule('n', 'between', [1, 2, 3])]), 'filterGroup[0].filters[0]: operator `between` on field `n` expects a list of two values [low, high], got a list of 3.'],
  ['mixed types for between', groups([rule('n', 'between', [1, 'z'])]), 'filterGroup[0].filters[0]: operator `between` on field `n` expects two numbers or two strings, got a list of 2.'],
  ['an error in the second group', groups([rule('n', 'eq', 1)], [rule('m', 'eq', 1), rule('k', 'nope', 1)]), 'filterGroup[1].filters[1]: unsupported operator `nope` for field `k`.'],
];

for (const [name, json, message] of SHAPE_ERRORS) {
  test(`refuses ${name}`, () => {
    assert.equal(refused(json), message);
  });
}

test('returns the normalised filter: values copied, extra keys dropped', () => {
  const list = ['a', 'b'];
  const checked = validateSubscriptionFilter({ filterGroup: [{ filters: [{ fieldName: 'x', operator: 'in', value: list, note: 'ignored' }] }] });
  assert.ok(checked.ok);
  assert.deepEqual(checked.filter, { filterGroup: [{ filters: [{ fieldName: 'x', operator: 'in', value: ['a', 'b'] }] }] });
  list.push('c');
  assert.deepEqual(checked.filter.filterGroup[0]?.filters[0]?.value, ['a', 'b']);
});
