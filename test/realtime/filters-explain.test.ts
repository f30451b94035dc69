/** `explainSubscriptionFilter`: why an event was or was not delivered, group by group. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainSubscriptionFilter, type SubscriptionFilter } from '../../src/realtime/filters/index.ts';

const filter: SubscriptionFilter = {
  filterGroup: [
    { filters: [{ fieldName: 'owner', operator: 'eq', value: 'ann' }, { fieldName: 'priority', operator: 'ge', value: 3 }] },
    { filters: [{ fieldName: 'tags', operator: 'contains', value: 'urgent' }] },
  ],
};

test('names the first group that delivered', () => {
  assert.deepEqual(explainSubscriptionFilter(filter, { owner: 'bob', tags: ['urgent'] }), { delivered: true, group: 1 });
});

test('lists, for each group, the first failing rule and the value the event had', () => {
  assert.deepEqual(explainSubscriptionFilter(filter, { owner: 'ann', priority: 1, tags: [] }), {
    delivered: false,
    failures: [
      { group: 0, rule: { fieldName: 'priority', operator: 'ge', value: 3 }, actual: 1 },
      { group: 1, rule: { fieldName: 'tags', operator: 'contains', value: 'urgent' }, actual: [] },
    ],
  });
});

test('reports a payload that is not an object', () => {
  assert.deepEqual(explainSubscriptionFilter(filter, [1]), { delivered: false, reason: 'payload is not an object' });
});
