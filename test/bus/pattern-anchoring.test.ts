/**
 * Rules that share a field value (every order rule has `source: order.api`) must not make each
 * event pay for all of them: sub-rules are anchored on their most selective exact-value field.
 * Counted work, not time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRules, newMatchStats, parsePattern } from '../../src/bus/index.ts';

function rules(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: `r${i}`, pattern: parsePattern(`{"source":["order.api"],"detail-type":["type-${i}"],"detail":{"amount":[{"numeric":[">",0]}]}}`) }));
}

test('10,000 rules sharing source: an event costs the same as with 10 rules', () => {
  const event = { source: 'order.api', 'detail-type': 'type-7', detail: { amount: 5 } };
  const small = newMatchStats();
  const big = newMatchStats();
  assert.deepEqual(compileRules(rules(10)).match(event, small), ['r7']);
  assert.deepEqual(compileRules(rules(10_000)).match(event, big), ['r7']);
  assert.deepEqual(big, small);
  assert.equal(big.subRulesChecked, 1);
});

test('anchored candidates still check their other fields: wrong source or amount do not match', () => {
  const m = compileRules(rules(100));
  assert.deepEqual(m.match({ source: 'other', 'detail-type': 'type-7', detail: { amount: 5 } }), []);
  assert.deepEqual(m.match({ source: 'order.api', 'detail-type': 'type-7', detail: { amount: 0 } }), []);
  assert.deepEqual(m.match({ source: 'order.api', 'detail-type': 'type-7' }), []);
});
