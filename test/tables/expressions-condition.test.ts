import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue, Item } from '../../src/tables/attribute-value.ts';
import { compileCondition } from '../../src/tables/expressions/index.ts';

const item: Item = {
  id: { S: 'user#1' },
  age: { N: '30' },
  nick: { S: 'bob' },
  active: { BOOL: true },
  nothing: { NULL: true },
  tags: { SS: ['red', 'blue'] },
  scores: { NS: ['1', '2.5'] },
  bin: { B: Buffer.from('hello').toString('base64') },
  things: { L: [{ S: 'x' }, { N: '7' }, { M: { deep: { S: 'yes' } } }] },
  address: { M: { city: { S: 'Paris' }, zip: { N: '75001' } } },
  'odd-name': { S: 'dash' },
};

function check(expression: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>, target: Item | undefined = item): boolean {
  return compileCondition({ expression, values, ...(names ? { names } : {}) }).evaluate(target);
}

describe('condition comparators', () => {
  it('compares numbers by value with every comparator', () => {
    const v = { ':v': { N: '30.0' } };
    assert.equal(check('age = :v', v), true);
    assert.equal(check('age <> :v', v), false);
    assert.equal(check('age < :v', v), false);
    assert.equal(check('age <= :v', v), true);
    assert.equal(check('age > :v', v), false);
    assert.equal(check('age >= :v', v), true);
    assert.equal(check('age < :w', { ':w': { N: '100' } }), true);
  });

  it('compares strings by UTF-8 bytes', () => {
    assert.equal(check('nick < :v', { ':v': { S: 'bobby' } }), true);
    assert.equal(check('nick > :v', { ':v': { S: 'Bob' } }), true);
  });

  it('is false, not an error, when the operand types differ', () => {
    assert.equal(check('age = :v', { ':v': { S: '30' } }), false);
    assert.equal(check('age < :v', { ':v': { S: '99' } }), false);
  });

  it('treats <> as true when the types differ or the attribute is missing', () => {
    assert.equal(check('age <> :v', { ':v': { S: '30' } }), true);
    assert.equal(check('absent <> :v', { ':v': { S: 'x' } }), true);
  });

  it('is false for every ordering comparison on a missing attribute', () => {
    assert.equal(check('absent = :v', { ':v': { N: '1' } }), false);
    assert.equal(check('absent < :v', { ':v': { N: '1' } }), false);
    assert.equal(check('absent >= :v', { ':v': { N: '1' } }), false);
  });

  it('compares sets regardless of order and maps deeply', () => {
    assert.equal(check('tags = :v', { ':v': { SS: ['blue', 'red'] } }), true);
    assert.equal(check('address = :v', { ':v': { M: { zip: { N: '75001' }, city: { S: 'Paris' } } } }), true);
  });

  it('compares two attributes of the item', () => {
    assert.equal(check('age > address.zip'), false);
    assert.equal(check('address.zip > age'), true);
  });
});

describe('BETWEEN and IN', () => {
  it('BETWEEN includes both bounds', () => {
    assert.equal(check('age BETWEEN :lo AND :hi', { ':lo': { N: '30' }, ':hi': { N: '40' } }), true);
    assert.equal(check('age BETWEEN :lo AND :hi', { ':lo': { N: '20' }, ':hi': { N: '30' } }), true);
    assert.equal(check('age BETWEEN :lo AND :hi', { ':lo': { N: '31' }, ':hi': { N: '40' } }), false);
  });

  it('BETWEEN is false when the bounds have another type', () => {
    assert.equal(check('age BETWEEN :lo AND :hi', { ':lo': { S: '1' }, ':hi': { S: '9' } }), false);
  });

  it('IN matches any listed value', () => {
    const values = { ':a': { S: 'al' }, ':b': { S: 'bob' }, ':c': { N: '1' } };
    assert.equal(check('nick IN (:a, :b, :c)', values), true);
    assert.equal(check('nick IN (:a, :c)', values), false);
  });

  it('keywords are case-insensitive', () => {
    assert.equal(check('age between :lo and :hi', { ':lo': { N: '1' }, ':hi': { N: '99' } }), true);
    assert.equal(check('not age in (:a)', { ':a': { N: '30' } }), false);
  });
});

describe('AND, OR, NOT precedence', () => {
  const v = { ':t': { BOOL: true }, ':f': { BOOL: false } };
  it('AND binds tighter than OR', () => {
    // true OR (false AND false) = true; (true OR false) AND false would be false.
    assert.equal(check('active = :t OR active = :f AND active = :f', v), true);
  });

  it('parentheses override precedence', () => {
    assert.equal(check('(active = :t OR active = :f) AND active = :f', v), false);
  });

  it('NOT binds tighter than AND', () => {
    // (NOT false) AND true = true
    assert.equal(check('NOT active = :f AND active = :t', v), true);
    assert.equal(check('NOT (active = :t AND active = :t)', v), false);
  });
});

describe('functions', () => {
  it('attribute_exists / attribute_not_exists', () => {
    assert.equal(check('attribute_exists(age)'), true);
    assert.equal(check('attribute_exists(address.city)'), true);
    assert.equal(check('attribute_exists(address.country)'), false);
    assert.equal(check('attribute_not_exists(absent)'), true);
    assert.equal(check('attribute_exists(nothing)'), true);
  });

  it('a missing item satisfies only negative checks', () => {
    assert.equal(compileCondition({ expression: 'attribute_not_exists(id)' }).evaluate(undefined), true);
    assert.equal(compileCondition({ expression: 'attribute_exists(id)' }).evaluate(undefined), false);
  });

  it('attribute_type recognises the ten type names', () => {
    const cases: [string, string][] = [
      ['id', 'S'], ['age', 'N'], ['bin', 'B'], ['active', 'BOOL'], ['nothing', 'NULL'],
      ['things', 'L'], ['address', 'M'], ['tags', 'SS'], ['scores', 'NS'],
    ];
    for (const [path, type] of cases) assert.equal(check(`attribute_type(${path}, :t)`, { ':t': { S: type } }), true, `${path} is ${type}`);
    assert.equal(check('attribute_type(age, :t)', { ':t': { S: 'S' } }), false);
  });

  it('begins_with works on strings and binary', () => {
    assert.equal(check('begins_with(id, :p)', { ':p': { S: 'user#' } }), true);
    assert.equal(check('begins_with(id, :p)', { ':p': { S: 'order#' } }), false);
    assert.equal(check('begins_with(bin, :p)', { ':p': { B: Buffer.from('he').toString('base64') } }), true);
    assert.equal(check('begins_with(age, :p)', { ':p': { S: '3' } }), false);
  });

  it('contains works on strings, sets and lists', () => {
    assert.equal(check('contains(nick, :v)', { ':v': { S: 'ob' } }), true);
    assert.equal(check('contains(tags, :v)', { ':v': { S: 'red' } }), true);
    assert.equal(check('contains(tags, :v)', { ':v': { S: 'green' } }), false);
    assert.equal(check('contains(scores, :v)', { ':v': { N: '2.50' } }), true);
    assert.equal(check('contains(things, :v)', { ':v': { N: '7' } }), true);
    assert.equal(check('contains(things, :v)', { ':v': { S: '7' } }), false);
    assert.equal(check('contains(age, :v)', { ':v': { N: '3' } }), false);
  });

  it('size() measures strings, binary, lists, maps and sets', () => {
    assert.equal(check('size(nick) = :n', { ':n': { N: '3' } }), true);
    assert.equal(check('size(bin) = :n', { ':n': { N: '5' } }), true);
    assert.equal(check('size(things) = :n', { ':n': { N: '3' } }), true);
    assert.equal(check('size(address) = :n', { ':n': { N: '2' } }), true);
    assert.equal(check('size(tags) > :n', { ':n': { N: '1' } }), true);
    assert.equal(check('size(age) = :n', { ':n': { N: '2' } }), false);
    assert.equal(check('size(absent) < :n', { ':n': { N: '100' } }), false);
  });
});

describe('document paths and placeholders', () => {
  it('reads nested maps and list indexes', () => {
    assert.equal(check('things[2].deep = :v', { ':v': { S: 'yes' } }), true);
    assert.equal(check('things[1] = :v', { ':v': { N: '7' } }), true);
    assert.equal(check('things[9] = :v', { ':v': { N: '7' } }), false);
    assert.equal(check('address.city = :v', { ':v': { S: 'Paris' } }), true);
  });

  it('resolves #name placeholders, including reserved words and odd characters', () => {
    assert.equal(check('#n = :v', { ':v': { S: 'dash' } }, { '#n': 'odd-name' }), true);
    assert.equal(check('#a.#c = :v', { ':v': { S: 'Paris' } }, { '#a': 'address', '#c': 'city' }), true);
  });

  it('a dotted name inside a placeholder is one attribute, not a path', () => {
    const target: Item = { 'a.b': { N: '1' }, a: { M: { b: { N: '2' } } } };
    assert.equal(check('#ab = :one', { ':one': { N: '1' } }, { '#ab': 'a.b' }, target), true);
    assert.equal(check('a.b = :one', { ':one': { N: '1' } }, undefined, target), false);
  });

  it('records the placeholders it used', () => {
    const c = compileCondition({ expression: '#a = :v OR #a = :w', names: { '#a': 'age' }, values: { ':v': { N: '1' }, ':w': { N: '2' } } });
    assert.deepEqual([...c.usedNames], ['#a']);
    assert.deepEqual([...c.usedValues].sort(), [':v', ':w']);
  });

  it('is compiled once and reused across items', () => {
    const c = compileCondition({ expression: 'age > :v', values: { ':v': { N: '18' } } }, 'FilterExpression');
    const people: Item[] = [{ age: { N: '10' } }, { age: { N: '20' } }, { age: { N: '30' } }, {}];
    assert.deepEqual(people.map((p) => c.evaluate(p)), [false, true, true, false]);
  });
});
