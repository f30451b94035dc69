/**
 * Invalidation filters (research/appsync.md §5): the subscription's invalidation filter, in the
 * same language, is tested against the payload of `extensions.invalidateSubscriptions`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileInvalidationFilter, validateSubscriptionFilter, type SubscriptionFilter } from '../../src/realtime/filters/index.ts';

function invalidatedBy(json: unknown): (payload: unknown) => boolean {
  const checked = validateSubscriptionFilter(json);
  assert.ok(checked.ok);
  return compileInvalidationFilter(checked.filter);
}

test('seed 004: a subscription on channel "news" is invalidated by {name: "news"} only', () => {
  const filter: SubscriptionFilter = { filterGroup: [{ filters: [{ fieldName: 'name', operator: 'eq', value: 'news' }] }] };
  const matches = invalidatedBy(filter);
  assert.equal(matches({ name: 'news' }), true);
  assert.equal(matches({ name: 'sport' }), false);
  assert.equal(matches({}), false);
});

test('docs example: invalidated when the payload names the subscriber and its group', () => {
  const matches = invalidatedBy({
    filterGroup: [{ filters: [{ fieldName: 'userId', operator: 'eq', value: 'u1' }, { fieldName: 'groupId', operator: 'eq', value: 'g1' }] }],
  });
  assert.equal(matches({ userId: 'u1', groupId: 'g1' }), true);
  assert.equal(matches({ userId: 'u1', groupId: 'g2' }), false);
  assert.equal(matches({ userId: 'u2', groupId: 'g1' }), false);
});

test('uses every operator of the subscription language: in, beginsWith, nested paths, OR', () => {
  const matches = invalidatedBy({
    filterGroup: [
      { filters: [{ fieldName: 'email', operator: 'beginsWith', value: 'admin@' }] },
      { filters: [{ fieldName: 'target.groups', operator: 'containsAny', value: ['banned'] }, { fieldName: 'reason', operator: 'in', value: ['abuse', 'spam'] }] },
    ],
  });
  assert.equal(matches({ email: 'admin@example.com' }), true);
  assert.equal(matches({ target: { groups: ['users', 'banned'] }, reason: 'spam' }), true);
  assert.equal(matches({ target: { groups: ['users', 'banned'] }, reason: 'other' }), false);
  assert.equal(matches({ target: { groups: ['users'] }, reason: 'spam' }), false);
});

test('an invalidation payload that is not an object invalidates nothing', () => {
  const matches = invalidatedBy({ filterGroup: [{ filters: [{ fieldName: 'name', operator: 'ne', value: 'x' }] }] });
  assert.equal(matches(null), false);
  assert.equal(matches([{ name: 'y' }]), false);
  assert.equal(matches({ name: 'y' }), true);
});
