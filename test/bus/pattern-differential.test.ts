/**
 * The compiled matcher against the naive reference matcher on seeded random (pattern, event)
 * pairs, and a counted-work check that the per-event cost does not follow the number of rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PatternError,
  compileRules,
  matchesNaive,
  newMatchStats,
  parsePattern,
  type Pattern,
} from '../../src/bus/patterns/index.ts';

/** mulberry32: small, seedable, good enough to spread test cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '', 'a', 'ab', 'abc', 'ABC', 'Abc', 'x.y', 'a*c', '*', 'foo/bar.png', 'FOO/BAR.PNG',
  '10.0.0.1', '10.0.1.5', '010.0.0.1', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:db9::1',
  'straße', 'STRASSE', 'ß', 'Σ', 'ς', 'σ', 'İ', 'i\u0307', 'ǅ', 'ǆ', 'Ǆ',
];
const NUMBERS = [0, 1, 1.5, 2, 10, -3, 300, 1e21, 0.1, 5e-324];
const KEYS = ['a', 'b', 'c', 'd'];

function generators(rnd: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const str = (): string => pick(STRINGS);
  const num = (): number => pick(NUMBERS);
  const strs = (): string | string[] => (rnd() < 0.5 ? str() : [str(), str()]);
  const nonEmpty = (s: string): string => (s === '' ? 'a' : s);
  const wildcard = (): string => pick(['a*', '*c', '*', 'a*c', '*b*', 'A\\*', '', '*.png', 'foo/*', '1*1', '*:*']);

  const condition = (): unknown => {
    switch (Math.floor(rnd() * 22)) {
      case 0: case 1: return str();
      case 2: return num();
      case 3: return pick([true, false, null]);
      case 4: return { prefix: str() };
      case 5: return { suffix: str() };
      case 6: return { prefix: { 'equals-ignore-case': str() } };
      case 7: return { suffix: { 'equals-ignore-case': str() } };
      case 8: return { 'equals-ignore-case': str() };
      case 9: return { wildcard: wildcard() };
      case 10: {
        const lo = num();
        return rnd() < 0.5 ? { numeric: [pick(['>', '>=', '<', '<=', '=']), lo] } : { numeric: ['>=', lo, '<', lo + 1 + rnd() * 100] };
      }
      case 11: return { cidr: pick(['10.0.0.0/24', '10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0']) };
      case 12: case 13: return { exists: rnd() < 0.5 };
      case 14: return { 'anything-but': strs() };
      case 15: return { 'anything-but': rnd() < 0.5 ? num() : [num(), num()] };
      case 16: return { 'anything-but': { prefix: rnd() < 0.5 ? nonEmpty(str()) : [nonEmpty(str()), nonEmpty(str())] } };
      case 17: return { 'anything-but': { suffix: nonEmpty(str()) } };
      case 18: return { 'anything-but': { 'equals-ignore-case': strs() } };
      case 19: return { 'anything-but': { wildcard: wildcard() } };
      case 20: return { exactly: str() };
      default: return num();
    }
  };

  const patternObject = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const r = rnd();
      if (r < 0.12 && depth < 2) {
        out['$or'] = [patternObject(depth + 1), patternObject(depth + 1)];
      } else if (r < 0.4 && depth < 2) {
        out[pick(KEYS)] = patternObject(depth + 1);
      } else {
        out[rnd() < 0.1 ? 'a.b' : pick(KEYS)] = Array.from({ length: 1 + Math.floor(rnd() * 2) }, condition);
      }
    }
    return out;
  };

  const leaf = (): unknown => {
    const r = rnd();
    return r < 0.55 ? str() : r < 0.85 ? num() : pick([true, false, null]);
  };
  const eventValue = (depth: number): unknown => {
    const r = rnd();
    if (depth >= 3 || r < 0.45) return leaf();
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 3) }, leaf);
    if (r < 0.8) return eventObject(depth + 1);
    return Array.from({ length: Math.floor(rnd() * 3) }, () => eventObject(depth + 1));
  };
  const eventObject = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k of KEYS) if (rnd() < 0.6) out[k] = eventValue(depth);
    if (rnd() < 0.05) out['a.b'] = leaf();
    return out;
  };
  return { patternObject: () => patternObject(0), event: () => eventObject(0) };
}

function tryParse(value: unknown): Pattern | undefined {
  try {
    return parsePattern(JSON.stringify(value));
  } catch (error) {
    if (error instanceof PatternError) return undefined;
    throw error;
  }
}

test('compiled and naive matchers agree on 20,000 random pattern/event pairs', () => {
  const rnd = random(20240601);
  const gen = generators(rnd);
  let pairs = 0;
  let matches = 0;
  while (pairs < 20_000) {
    const pattern = tryParse(gen.patternObject());
    if (pattern === undefined) continue;
    const event = gen.event();
    const naive = matchesNaive(pattern, event);
    const compiled = compileRules([{ id: 'r', pattern }]).match(event).length === 1;
    assert.equal(compiled, naive, `pattern ${pattern.source}\nevent ${JSON.stringify(event)}`);
    pairs++;
    if (naive) matches++;
  }
  // the generator must exercise both outcomes, or the agreement says little
  assert.ok(matches > 1_000 && matches < 19_000, `matches: ${matches}`);
});

test('one matcher holding 300 random rules agrees with the naive matcher rule by rule', () => {
  const rnd = random(7);
  const gen = generators(rnd);
  const rules: { id: string; pattern: Pattern }[] = [];
  while (rules.length < 300) {
    const pattern = tryParse(gen.patternObject());
    if (pattern !== undefined) rules.push({ id: `r${rules.length}`, pattern });
  }
  const matcher = compileRules(rules);
  for (let i = 0; i < 500; i++) {
    const event = gen.event();
    const expected = rules.filter((r) => matchesNaive(r.pattern, event)).map((r) => r.id);
    assert.deepEqual(matcher.match(event), expected, JSON.stringify(event));
  }
});

test('matchText on JSON text agrees with match on the parsed event and with the naive matcher (compact and pretty-printed text)', () => {
  const rnd = random(99);
  const gen = generators(rnd);
  const rules: { id: string; pattern: Pattern }[] = [];
  while (rules.length < 300) {
    const pattern = tryParse(gen.patternObject());
    if (pattern !== undefined) rules.push({ id: `r${rules.length}`, pattern });
  }
  const matcher = compileRules(rules);
  let matched = 0;
  for (let i = 0; i < 2_000; i++) {
    const event = gen.event();
    const expected = rules.filter((r) => matchesNaive(r.pattern, event)).map((r) => r.id);
    matched += expected.length;
    assert.deepEqual(matcher.matchText(JSON.stringify(event)), expected, JSON.stringify(event));
    assert.deepEqual(matcher.matchText(JSON.stringify(event, null, 2)), expected, `pretty: ${JSON.stringify(event)}`);
  }
  assert.ok(matched > 0, 'some events match some rules');
});

// ---- counted work -------------------------------------------------------------------------------

/**
 * Rules on the event's own fields, filling the same value structures, whose values the event does
 * not satisfy. (A rule that the event satisfies on one field and fails on another does cost one
 * slot and one sub-rule check: see docs/patterns.md.)
 */
function nonMatchingRule(i: number): string {
  switch (i % 7) {
    case 0: return JSON.stringify({ detail: { id: [`order-${i}-x`] } });
    case 1: return JSON.stringify({ detail: { name: [{ prefix: `zz${i}` }] } });
    case 2: return JSON.stringify({ detail: { name: [{ suffix: `${i}zz` }] } });
    case 3: return JSON.stringify({ detail: { name: [{ 'equals-ignore-case': `Name-${i}` }] } });
    case 4: return JSON.stringify({ detail: { amount: [{ numeric: ['>=', 1000 + i, '<', 1000.5 + i] }] } });
    case 5: return JSON.stringify({ detail: { ip: [{ cidr: `11.${i % 256}.${(i >> 8) % 256}.0/24` }] } });
    case 6: return JSON.stringify({ source: [`svc-${i}`], 'detail-type': [{ prefix: `t${i}` }] });
    default: return JSON.stringify({ detail: { name: [{ wildcard: `w${i}*z` }] } });
  }
}

const MATCHING = JSON.stringify({
  source: ['shop'],
  detail: { id: ['order-1'], name: [{ prefix: 'wid' }], amount: [{ numeric: ['>', 10, '<=', 20] }], ip: [{ cidr: '10.0.0.0/8' }] },
});
const EVENT = {
  source: 'shop',
  'detail-type': 'created',
  detail: { id: 'order-1', name: 'widget', amount: 12.5, ip: '10.1.2.3', note: 'ignored' },
};

function workFor(nonMatching: number): ReturnType<typeof newMatchStats> {
  const rules = [{ id: 'match', pattern: parsePattern(MATCHING) }];
  for (let i = 0; i < nonMatching; i++) rules.push({ id: `n${i}`, pattern: parsePattern(nonMatchingRule(i)) });
  const matcher = compileRules(rules);
  const stats = newMatchStats();
  assert.deepEqual(matcher.match(EVENT, stats), ['match']);
  return stats;
}

test('per-event work does not grow with 10,000 non-matching rules', () => {
  const small = workFor(100);
  const large = workFor(10_000);
  assert.deepEqual(large, small);
  // and it is small in absolute terms: a handful of lookups per event field
  assert.ok(large.valueMatcherVisits <= 20, JSON.stringify(large));
  assert.ok(large.subRulesChecked <= 1, JSON.stringify(large));
});
