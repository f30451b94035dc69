/**
 * `util.transform.toSubscriptionFilter` against the outputs recorded on AWS by
 * localstack/appsync-utils (`__tests__/__snapshots__/transform-subscription.test.js.snap`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSubscriptionFilter } from '../../src/resolvers/util/index.ts';

const f = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });
const groups = (...gs: ReturnType<typeof f>[][]) => ({ filterGroup: gs.map((filters) => ({ filters })) });

const CASES: [string, unknown[], unknown][] = [
  ['one operator on one field', [{ a: { eq: 1 } }], groups([f('a', 'eq', 1)])],
  ['two fields are combined', [{ a: { eq: 1 }, b: { eq: 2 } }], groups([f('a', 'eq', 1), f('b', 'eq', 2)])],
  ['an and combines its members', [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }], groups([f('a', 'eq', 1), f('b', 'eq', 2)])],
  ['a field beside an and', [{ z: { eq: 0 }, and: [{ a: { eq: 1 } }] }], groups([f('z', 'eq', 0), f('a', 'eq', 1)])],
  ['a field path is kept as written', [{ 'loc.addr.country': { eq: 'USA' } }], groups([f('loc.addr.country', 'eq', 'USA')])],
  ['two operators on one field are alternatives', [{ a: { eq: 1, ne: 2 } }], groups([f('a', 'eq', 1)], [f('a', 'ne', 2)])],
  ['an or splits into a group per member', [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }], groups([f('a', 'eq', 1)], [f('b', 'eq', 2)])],
  [
    'an or nested in an and',
    [{ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] }],
    groups([f('a', 'eq', 1), f('b', 'eq', 2)], [f('a', 'eq', 1), f('c', 'eq', 3)]),
  ],
  [
    'operators and groups together (the AWS docs example)',
    [
      {
        percentageUp: { lte: 50, gte: 20 },
        and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }],
        or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
      },
    ],
    groups(
      [f('percentageUp', 'lte', 50), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('author', 'eq', 'Admin')],
      [f('percentageUp', 'lte', 50), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('isPublished', 'eq', false)],
      [f('percentageUp', 'gte', 20), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('author', 'eq', 'Admin')],
      [f('percentageUp', 'gte', 20), f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000), f('isPublished', 'eq', false)],
    ),
  ],
  [
    'the comparisons are carried through as written',
    [{ a: { le: 1 }, b: { lt: 2 }, c: { ge: 3 }, d: { gt: 4 } }],
    groups([f('a', 'le', 1), f('b', 'lt', 2), f('c', 'ge', 3), f('d', 'gt', 4)]),
  ],
  ['membership is carried through', [{ a: { in: [1, 2] }, b: { notIn: ['x'] } }], groups([f('a', 'in', [1, 2]), f('b', 'notIn', ['x'])])],
  ['between is carried through', [{ a: { between: [1, 9] } }], groups([f('a', 'between', [1, 9])])],
  [
    'the string operators are carried through',
    [{ a: { contains: 'x' }, b: { notContains: 'y' }, c: { beginsWith: 'z' } }],
    groups([f('a', 'contains', 'x'), f('b', 'notContains', 'y'), f('c', 'beginsWith', 'z')]),
  ],
  ['containsAny is carried through', [{ a: { containsAny: ['x', 'y'] } }], groups([f('a', 'containsAny', ['x', 'y'])])],
  ['a boolean value is carried through', [{ a: { eq: false } }], groups([f('a', 'eq', false)])],
  ['an unknown operator is carried through', [{ a: { bogus: 1 } }], groups([f('a', 'bogus', 1)])],
  ['not is treated as a field', [{ not: { a: { eq: 1 } } }], groups([f('not', 'a', { eq: 1 })])],
  ['ignored fields drop a field', [{ a: { eq: 1 }, b: { eq: 2 } }, ['a']], groups([f('b', 'eq', 2)])],
  ['ignored fields drop a field nested in an and', [{ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ['b']], groups([f('a', 'eq', 1)])],
  [
    'rules are added as alternatives',
    [{ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: 'p' } }],
    groups([f('a', 'eq', 1), f('r1', 'gte', 250)], [f('a', 'eq', 1), f('r2', 'eq', 'p')]),
  ],
  ['rules on their own', [{}, [], { r1: { eq: 1 } }], groups([f('r1', 'eq', 1)])],
  ['an empty filter produces no group', [{}], { filterGroup: [] }],
  ['a field with no operator produces no group', [{ a: {} }], { filterGroup: [] }],
  ['an empty and produces no group', [{ and: [] }], { filterGroup: [] }],
  ['null cannot be read', [null], null],
  ['no filter at all cannot be read', [], null],
  ['an array cannot be read', [[]], null],
  ['a JSON string cannot be read', ['{"a":{"eq":1}}'], null],
];

for (const [name, args, expected] of CASES) {
  test(`toSubscriptionFilter: ${name}`, () => {
    assert.deepEqual(toSubscriptionFilter(...(args as [unknown, unknown?, unknown?])), expected);
  });
}
