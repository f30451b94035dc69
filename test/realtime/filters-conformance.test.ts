/**
 * The enhanced filter language (research/appsync.md §4.2–4.4) as a table of (filter, payload,
 * delivered?) rows. Each row is validated like a resolver's filter, compiled, and also checked
 * against a deliberately naive interpreter written straight from the rules; random pairs then
 * compare the two on filters and payloads nobody wrote by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSubscriptionFilter, validateSubscriptionFilter, type FilterRule, type SubscriptionFilter } from '../../src/realtime/filters/index.ts';

const P = {
  id: 'a1', title: 'Hello World', n: 5, f: 2.5, neg: -3, zero: 0, s1: '1', ok: true, no: false, nil: null, emptyStr: '',
  tags: ['red', 'blue'], nums: [1, 2, 3], mixed: ['1', 2], empty: [],
  loc: { city: 'Paris', zip: '75001', geo: { lat: 48.8, deep: { a: { b: 'x' } } } },
  list: [{ a: 1 }],
};

type Row = readonly [fieldName: string, operator: string, value: unknown, delivered: boolean];

// prettier-ignore
const RULE_ROWS: readonly Row[] = [
  // eq: strict, case-sensitive, no number/string/boolean coercion
  ['id', 'eq', 'a1', true], ['id', 'eq', 'A1', false], ['id', 'eq', 'a', false], ['n', 'eq', 5, true], ['n', 'eq', 5.0, true],
  ['n', 'eq', '5', false], ['s1', 'eq', 1, false], ['s1', 'eq', '1', true], ['f', 'eq', 2.5, true], ['ok', 'eq', true, true],
  ['ok', 'eq', false, false], ['no', 'eq', false, true], ['ok', 'eq', 'true', false], ['zero', 'eq', false, false], ['emptyStr', 'eq', '', true],
  ['nil', 'eq', null, true], ['missing', 'eq', null, true], ['n', 'eq', null, false], ['nil', 'eq', '', false], ['missing', 'eq', 'a1', false],
  ['tags', 'eq', 'red', false], ['loc', 'eq', 'Paris', false],
  // ne: the negation of eq, so an absent field differs from any non-null value
  ['id', 'ne', 'a1', false], ['id', 'ne', 'b', true], ['n', 'ne', 5, false], ['n', 'ne', '5', true], ['ok', 'ne', true, false],
  ['ok', 'ne', false, true], ['missing', 'ne', 'x', true], ['nil', 'ne', null, false], ['missing', 'ne', null, false], ['n', 'ne', null, true],
  ['tags', 'ne', 'red', true],
  // ordering between numbers
  ['n', 'lt', 6, true], ['n', 'lt', 5, false], ['n', 'le', 5, true], ['n', 'le', 4.99, false], ['n', 'gt', 4, true], ['n', 'gt', 5, false],
  ['n', 'ge', 5, true], ['n', 'ge', 5.01, false], ['neg', 'lt', 0, true], ['f', 'gt', 2.4, true], ['zero', 'ge', 0, true],
  ['n', 'lte', 5, true], ['n', 'gte', 6, false],
  // ordering between strings: lexicographic by code unit, so 'a1' > 'B' and '1' < '10'
  ['id', 'lt', 'b', true], ['id', 'lt', 'a1', false], ['id', 'le', 'a1', true], ['id', 'gt', 'a', true], ['id', 'gt', 'B', true],
  ['id', 'ge', 'a2', false], ['s1', 'lt', '10', true], ['loc.zip', 'gt', '75000', true],
  // ordering across types, or on null / absent / list fields, never holds
  ['n', 'lt', '9', false], ['s1', 'lt', 9, false], ['ok', 'gt', 0, false], ['nil', 'lt', 1, false], ['missing', 'ge', 0, false],
  ['nums', 'gt', 0, false], ['missing', 'le', 'z', false],
  // between: inclusive, same type as the field, a reversed pair matches nothing
  ['n', 'between', [1, 5], true], ['n', 'between', [5, 9], true], ['n', 'between', [6, 9], false], ['n', 'between', [9, 1], false],
  ['f', 'between', [2, 3], true], ['id', 'between', ['a', 'b'], true], ['id', 'between', ['a2', 'b'], false], ['n', 'between', ['1', '9'], false],
  ['s1', 'between', [0, 9], false], ['missing', 'between', [0, 9], false], ['nil', 'between', [0, 9], false], ['nums', 'between', [0, 9], false],
  // contains: substring of a string field, element of a list field
  ['title', 'contains', 'World', true], ['title', 'contains', 'world', false], ['title', 'contains', '', true], ['title', 'contains', 'Hello World!', false],
  ['tags', 'contains', 'red', true], ['tags', 'contains', 're', false], ['nums', 'contains', 2, true], ['nums', 'contains', '2', false],
  ['mixed', 'contains', '1', true], ['mixed', 'contains', 1, false], ['n', 'contains', 5, false], ['s1', 'contains', 1, false],
  ['missing', 'contains', 'x', false], ['nil', 'contains', 'x', false], ['empty', 'contains', 'x', false],
  // notContains: the negation of contains
  ['title', 'notContains', 'World', false], ['title', 'notContains', 'world', true], ['tags', 'notContains', 'green', true],
  ['tags', 'notContains', 'red', false], ['nums', 'notContains', 4, true], ['missing', 'notContains', 'x', true], ['empty', 'notContains', 'x', true],
  // beginsWith: string fields only
  ['title', 'beginsWith', 'Hello', true], ['title', 'beginsWith', 'hello', false], ['title', 'beginsWith', '', true], ['title', 'beginsWith', 'World', false],
  ['s1', 'beginsWith', '1', true], ['n', 'beginsWith', '5', false], ['tags', 'beginsWith', 'red', false], ['missing', 'beginsWith', '', false],
  // in: the field's scalar value is one of the values
  ['id', 'in', ['a1', 'b2'], true], ['id', 'in', ['b2'], false], ['n', 'in', [1, 5], true], ['n', 'in', ['5'], false], ['s1', 'in', [1], false],
  ['id', 'in', [], false], ['missing', 'in', ['a1'], false], ['nil', 'in', ['a1'], false], ['tags', 'in', ['red', 'blue'], false], ['ok', 'in', [1], false],
  ['n', 'in', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], true], ['n', 'in', [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12], false],
  // notIn: the negation of in
  ['id', 'notIn', ['b2', 'c3'], true], ['id', 'notIn', ['a1'], false], ['n', 'notIn', ['5'], true], ['id', 'notIn', [], true],
  ['missing', 'notIn', ['a1'], true], ['nil', 'notIn', ['a1'], true],
  // containsAny: a list field sharing at least one element
  ['tags', 'containsAny', ['green', 'blue'], true], ['tags', 'containsAny', ['green'], false], ['nums', 'containsAny', [9, 3], true],
  ['nums', 'containsAny', ['3'], false], ['empty', 'containsAny', ['x'], false], ['id', 'containsAny', ['a1'], false],
  ['title', 'containsAny', ['Hello'], false], ['missing', 'containsAny', ['x'], false],
  ['nums', 'containsAny', [10, 11, 12, 13, 14, 15, 16, 17, 18, 3], true], ['nums', 'containsAny', [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], false],
  // nested paths walk plain objects only; anything else on the way makes the field absent
  ['loc.city', 'eq', 'Paris', true], ['loc.city', 'eq', 'paris', false], ['loc.geo.lat', 'gt', 48, true], ['loc.geo.deep.a.b', 'eq', 'x', true],
  ['loc.nope.x', 'eq', null, true], ['loc.nope.x', 'eq', 'x', false], ['id.length', 'eq', 2, false], ['list.a', 'eq', 1, false],
  ['tags.length', 'eq', 2, false], ['title.x', 'ne', 'y', true], ['loc.city.x', 'eq', null, true], ['loc.geo', 'eq', null, false],
  // names Object.prototype has are fields like any other: absent unless the payload has them
  ['constructor', 'eq', null, true], ['toString', 'ne', null, false], ['loc.hasOwnProperty', 'eq', null, true], ['__proto__', 'eq', null, true],
];

type Case = readonly [name: string, filter: unknown, payload: unknown, delivered: boolean];
const rule = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });
const groups = (...gs: unknown[][]) => ({ filterGroup: gs.map((filters) => ({ filters })) });

// prettier-ignore
const STRUCTURE_CASES: readonly Case[] = [
  ['AND: every rule of a group holds', groups([rule('n', 'gt', 1), rule('id', 'eq', 'a1')]), P, true],
  ['AND: one failing rule fails the group', groups([rule('n', 'gt', 1), rule('id', 'eq', 'zz')]), P, false],
  ['AND: three rules, last fails', groups([rule('n', 'gt', 1), rule('ok', 'eq', true), rule('tags', 'contains', 'green')]), P, false],
  ['AND: three rules hold', groups([rule('n', 'gt', 1), rule('ok', 'eq', true), rule('tags', 'contains', 'red')]), P, true],
  ['OR: the second group holds', groups([rule('id', 'eq', 'zz')], [rule('n', 'eq', 5)]), P, true],
  ['OR: no group holds', groups([rule('id', 'eq', 'zz')], [rule('n', 'eq', 6)], [rule('ok', 'eq', false)]), P, false],
  ['OR: the third of three groups holds', groups([rule('id', 'eq', 'zz')], [rule('n', 'eq', 6)], [rule('ok', 'eq', true)]), P, true],
  ['docs example: userId eq 1 OR group in [Admin, Developer]', groups([rule('userId', 'eq', 1)], [rule('group', 'in', ['Admin', 'Developer'])]), { userId: 2, group: 'Developer' }, true],
  ['docs example: neither userId nor group', groups([rule('userId', 'eq', 1)], [rule('group', 'in', ['Admin', 'Developer'])]), { userId: 2, group: 'Guest' }, false],
  ['two rules on one field are both required', groups([rule('n', 'ge', 1), rule('n', 'le', 4)]), P, false],
  ['a JSON-text filter is accepted', JSON.stringify(groups([rule('loc.city', 'eq', 'Paris')])), P, true],
  ['a payload that is null is not delivered', groups([rule('x', 'eq', null)]), null, false],
  ['a published list is ignored', groups([rule('x', 'ne', 1)]), [{ x: 2 }], false],
  ['a scalar payload is not delivered', groups([rule('length', 'ne', 1)]), 'text', false],
  ['an own `constructor` field is read', groups([rule('constructor', 'eq', 'c')]), { constructor: 'c' }, true],
  ['an own `__proto__` field from JSON is read', groups([rule('__proto__', 'eq', 'p')]), JSON.parse('{"__proto__":"p"}'), true],
];

const CASES: readonly Case[] = [
  ...RULE_ROWS.map(([fieldName, operator, value, delivered]): Case => [`${fieldName} ${operator} ${JSON.stringify(value)}`, groups([rule(fieldName, operator, value)]), P, delivered]),
  ...STRUCTURE_CASES,
];

function compiled(json: unknown): { filter: SubscriptionFilter; matches: (payload: unknown) => boolean } {
  const checked = validateSubscriptionFilter(json, { maxInValues: 20, maxFilterGroups: 1000 });
  if (!checked.ok) throw new Error(`table row refused: ${checked.message}`);
  return { filter: checked.filter, matches: compileSubscriptionFilter(checked.filter) };
}

test('the conformance table has more than 150 rows', () => {
  assert.ok(CASES.length > 150, `${CASES.length} rows`);
});

for (const [name, json, payload, delivered] of CASES) {
  test(`${delivered ? 'delivers' : 'does not deliver'}: ${name}`, () => {
    const { filter, matches } = compiled(json);
    assert.equal(matches(payload), delivered);
    assert.equal(naive(filter, payload), delivered, 'the naive interpreter disagrees with the table');
  });
}

test('the compiled filter agrees with the naive interpreter on 20 000 random (filter, payload) pairs', () => {
  const random = seeded(20260925);
  let delivered = 0;
  for (let i = 0; i < 20_000; i++) {
    const json = randomFilter(random);
    const payload = randomPayload(random, 0);
    const { filter, matches } = compiled(json);
    const expected = naive(filter, payload);
    assert.equal(matches(payload), expected, `${JSON.stringify(json)} on ${JSON.stringify(payload)}`);
    if (expected) delivered++;
  }
  // Both outcomes must be common, or the comparison proves little.
  assert.ok(delivered > 2000 && delivered < 18000, `${delivered} of 20 000 delivered`);
});

// ---- the naive interpreter: the rules as written, no compilation, no specialisation ----

function naive(filter: SubscriptionFilter, payload: unknown): boolean {
  if (!isPlain(payload)) return false;
  return filter.filterGroup.some((g) => g.filters.every((r) => naiveRule(r, payload)));
}

function lookup(payload: unknown, path: string): unknown {
  let v = payload;
  for (const key of path.split('.')) {
    if (!isPlain(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

function naiveRule(r: FilterRule, payload: unknown): boolean {
  const v = lookup(payload, r.fieldName);
  const field = v === undefined ? null : v;
  const sameType = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  switch (r.operator) {
    case 'eq': return field === r.value;
    case 'ne': return field !== r.value;
    case 'lt': return sameType(field, r.value) && (field as number) < (r.value as number);
    case 'le': return sameType(field, r.value) && (field as number) <= (r.value as number);
    case 'gt': return sameType(field, r.value) && (field as number) > (r.value as number);
    case 'ge': return sameType(field, r.value) && (field as number) >= (r.value as number);
    case 'between': return sameType(field, r.value[0]) && (field as number) >= (r.value[0] as number) && (field as number) <= (r.value[1] as number);
    case 'contains': return naiveContains(field, r.value);
    case 'notContains': return !naiveContains(field, r.value);
    case 'beginsWith': return typeof field === 'string' && field.slice(0, r.value.length) === r.value;
    case 'in': return r.value.some((x) => x === field);
    case 'notIn': return !r.value.some((x) => x === field);
    case 'containsAny': return Array.isArray(field) && field.some((e) => r.value.some((x) => x === e));
  }
}

function naiveContains(field: unknown, value: string | number): boolean {
  if (Array.isArray(field)) return field.some((e) => e === value);
  return typeof field === 'string' && typeof value === 'string' && field.indexOf(value) >= 0;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- random filters and payloads over a small vocabulary, so that matches are frequent ----

const FIELDS = ['a', 'b', 'c.d', 'c.e.f', 'l'];
const SCALARS: readonly (string | number | boolean | null)[] = [0, 1, 2, -1, 1.5, '0', '1', 'a', 'ab', 'b', '', true, false, null];
const STRINGS = ['', 'a', 'ab', 'b', '1'];
const NUMBERS = [-1, 0, 1, 1.5, 2];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)] as T;
}

function randomList(random: () => number, max: number): (string | number)[] {
  const n = Math.floor(random() * (max + 1));
  return Array.from({ length: n }, () => (random() < 0.5 ? pick(random, STRINGS) : pick(random, NUMBERS)));
}

function randomRule(random: () => number): { fieldName: string; operator: string; value: unknown } {
  const fieldName = pick(random, FIELDS);
  const operator = pick(random, ['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny']);
  const scalar = () => (random() < 0.5 ? pick(random, STRINGS) : pick(random, NUMBERS));
  switch (operator) {
    case 'eq': case 'ne': return { fieldName, operator, value: pick(random, SCALARS) };
    case 'beginsWith': return { fieldName, operator, value: pick(random, STRINGS) };
    case 'in': case 'notIn': return { fieldName, operator, value: randomList(random, 3) };
    case 'containsAny': return { fieldName, operator, value: randomList(random, 4) };
    case 'between': {
      const strings = random() < 0.5;
      const two = strings ? [pick(random, STRINGS), pick(random, STRINGS)] : [pick(random, NUMBERS), pick(random, NUMBERS)];
      return { fieldName, operator, value: two };
    }
    default: return { fieldName, operator, value: scalar() };
  }
}

function randomFilter(random: () => number): unknown {
  const n = 1 + Math.floor(random() * 3);
  return { filterGroup: Array.from({ length: n }, () => ({ filters: Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomRule(random)) })) };
}

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (r < 0.55) return pick(random, SCALARS);
  if (r < 0.8) return randomList(random, 3);
  if (r < 0.95 && depth < 2) return randomPayload(random, depth + 1);
  return undefined;
}

function randomPayload(random: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'l']) {
    const v = randomValue(random, depth);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
