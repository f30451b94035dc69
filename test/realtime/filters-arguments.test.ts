/**
 * Basic filtering by subscription arguments (research/appsync.md §3): provided arguments must
 * equal the same-named top-level fields of the published result; explicit `null` means "field
 * is null"; omitted means "don't filter".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileArgumentFilter } from '../../src/realtime/filters/index.ts';

const none: ReadonlySet<string> = new Set();
const todo = { id: 't1', owner: 'ann', done: false, priority: 2, tags: ['a', 'b'], meta: { x: 1, y: [2] }, assignee: null };

// prettier-ignore
const ROWS: readonly (readonly [name: string, args: Record<string, unknown>, explicitNull: readonly string[], payload: unknown, delivered: boolean])[] = [
  ['no argument delivers every event', {}, [], todo, true],
  ['no argument delivers even a null result', {}, [], null, true],
  ['an equal string argument delivers', { owner: 'ann' }, [], todo, true],
  ['a different string argument does not', { owner: 'bob' }, [], todo, false],
  ['string comparison is case-sensitive', { owner: 'Ann' }, [], todo, false],
  ['all arguments must match (AND)', { owner: 'ann', id: 't2' }, [], todo, false],
  ['all arguments matching delivers', { owner: 'ann', id: 't1' }, [], todo, true],
  ['an Int argument matches an Int field', { priority: 2 }, [], todo, true],
  ['an ID argument "2" does not match the number 2', { priority: '2' }, [], todo, false],
  ['a Boolean false argument matches a false field', { done: false }, [], todo, true],
  ['a Boolean false argument does not match an absent field', { archived: false }, [], todo, false],
  ['an omitted argument (null default, not explicit) does not filter', { owner: null }, [], todo, true],
  ['an undefined argument does not filter', { owner: undefined }, [], todo, true],
  ['an explicit null argument matches a null field', { assignee: null }, ['assignee'], todo, true],
  ['an explicit null argument does not match a non-null field', { owner: null }, ['owner'], todo, false],
  ['an explicit null argument does not match a field the mutation did not select', { reviewer: null }, ['reviewer'], todo, false],
  ['an explicit null (from a null variable) combines with other arguments', { assignee: null, owner: 'ann' }, ['assignee'], todo, true],
  ['an argument on a field the mutation did not select never matches', { status: 'open' }, [], todo, false],
  ['a list argument matches an equal list field', { tags: ['a', 'b'] }, [], todo, true],
  ['a list argument does not match a reordered list', { tags: ['b', 'a'] }, [], todo, false],
  ['an object argument matches an equal object, whatever the key order', { meta: { y: [2], x: 1 } }, [], todo, true],
  ['an object argument does not match a different object', { meta: { x: 1 } }, [], todo, false],
  ['arguments compare top-level fields only: no dotted paths', { 'meta.x': 1 }, [], todo, false],
  ['a null result is not delivered to a filtering subscription', { owner: 'ann' }, [], null, false],
  ['a list result is not delivered to a filtering subscription', { owner: 'ann' }, [], [todo], false],
  ['an inherited name is not a field', { constructor: 'x' }, [], todo, false],
];

for (const [name, args, explicitNull, payload, delivered] of ROWS) {
  test(name, () => {
    assert.equal(compileArgumentFilter(args, explicitNull.length === 0 ? none : new Set(explicitNull))(payload), delivered);
  });
}

test('reads the arguments once: later changes to the args object do not change the filter', () => {
  const args: Record<string, unknown> = { owner: 'ann' };
  const matches = compileArgumentFilter(args, none);
  args['owner'] = 'bob';
  assert.equal(matches(todo), true);
});
