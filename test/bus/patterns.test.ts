/** Rules of the pattern language that the conformance data does not pin down on its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternError, compileRules, matchesPattern, parsePattern } from '../../src/bus/patterns/index.ts';

const reason = (text: string): string => {
  try {
    parsePattern(text);
  } catch (error) {
    if (error instanceof PatternError) return error.reason;
    throw error;
  }
  return 'valid';
};

test('an invalid pattern throws PatternError with the stable code and AWS prefix', () => {
  assert.throws(() => parsePattern('{"a":1}'), (e: unknown) => {
    assert.ok(e instanceof PatternError);
    assert.equal(e.code, 'SB_BUS_PATTERN_INVALID');
    assert.equal(e.message, 'Event pattern is not valid. Reason: "a" must be an object or an array');
    return true;
  });
});

test('refuses a $or expansion beyond 1000 combinations', () => {
  const or = (k: string): unknown => Array.from({ length: 11 }, (_, i) => ({ [`${k}${i}`]: ['x'] }));
  const ok = JSON.stringify({ $or: or('a'), x: { $or: or('b') } }); // 121
  const tooMany = JSON.stringify({ $or: or('a'), x: { $or: or('b') }, y: { $or: or('c') } }); // 1331
  assert.equal(reason(ok), 'valid');
  assert.match(reason(tooMany), /exceeds 1000 combinations/);
});

test('refuses a sub-rule with more than 256 fields', () => {
  const fields = (n: number): string => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, ['x']])));
  assert.equal(reason(fields(256)), 'valid');
  assert.match(reason(fields(257)), /more than 256 fields/);
});

test('matchesPattern keeps number texts: an inexact event number is not numerically comparable', () => {
  assert.equal(matchesPattern('{"a":[{"numeric":[">",37]}]}', '{"a":37.807807921694092}'), false);
  assert.equal(matchesPattern('{"a":[{"numeric":[">",37]}]}', '{"a":37.8078079216941}'), true);
  // but it still matches its own text exactly
  assert.equal(matchesPattern('{"a":[12345678901234567890123]}', '{"a":12345678901234567890123}'), true);
});

test('duplicate keys: the last one wins, in patterns and in events', () => {
  assert.equal(matchesPattern('{"a":["x"],"a":["y"]}', '{"a":"y"}'), true);
  assert.equal(matchesPattern('{"a":["x"],"a":["y"]}', '{"a":"x"}'), false);
  assert.equal(matchesPattern('{"a":["x"]}', '{"a":"y","a":"x"}'), true);
});

test('a "__proto__" event key is an ordinary field', () => {
  assert.equal(matchesPattern('{"__proto__":{"x":["1"]}}', '{"__proto__":{"x":"1"}}'), true);
});

test('match returns ids in rule order, each once, even when several sub-rules match', () => {
  const matcher = compileRules([
    { id: 'second', pattern: parsePattern('{"$or":[{"a":["1"]},{"b":["2"]}]}') },
    { id: 'first', pattern: parsePattern('{"a":[{"exists":true}]}') },
    { id: 'never', pattern: parsePattern('{"a":["3"]}') },
  ]);
  assert.deepEqual(matcher.match({ a: '1', b: '2' }), ['second', 'first']);
  assert.deepEqual(matcher.match('not an object'), []);
});

test('a rule of exists:false fields only matches events without the field', () => {
  const matcher = compileRules([{ id: 'r', pattern: parsePattern('{"detail":{"x":[{"exists":false}]}}') }]);
  assert.deepEqual(matcher.match({}), ['r']);
  assert.deepEqual(matcher.match({ detail: { x: null } }), []);
  assert.deepEqual(matcher.match({ detail: { x: [] } }), ['r']);
});
