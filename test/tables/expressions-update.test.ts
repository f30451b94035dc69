import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue, Item } from '../../src/tables/attribute-value.ts';
import { compileUpdate, ExpressionError } from '../../src/tables/expressions/index.ts';

const base: Item = {
  pk: { S: 'p1' },
  n: { N: '10' },
  title: { S: 'hello' },
  parts: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] },
  info: { M: { rating: { N: '1.5' }, nested: { M: { deep: { S: 'x' } } } } },
  colors: { SS: ['red', 'green'] },
  nums: { NS: ['1', '2'] },
};

function update(expression: string, values: Record<string, AttributeValue> = {}, item: Item | undefined = base, names?: Record<string, string>) {
  return compileUpdate({ expression, values, ...(names ? { names } : {}) }).apply(item, ['pk']);
}

function fails(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof ExpressionError && err.message === message);
}

describe('SET', () => {
  it('sets top-level attributes and leaves the input untouched', () => {
    const before = JSON.stringify(base);
    const out = update('SET title = :t, added = :a', { ':t': { S: 'bye' }, ':a': { BOOL: true } });
    assert.deepEqual(out.title, { S: 'bye' });
    assert.deepEqual(out.added, { BOOL: true });
    assert.deepEqual(out.pk, { S: 'p1' });
    assert.equal(JSON.stringify(base), before);
  });

  it('adds and subtracts numbers exactly', () => {
    assert.deepEqual(update('SET n = n + :d', { ':d': { N: '5' } }).n, { N: '15' });
    assert.deepEqual(update('SET n = n - :d', { ':d': { N: '12.5' } }).n, { N: '-2.5' });
    assert.deepEqual(update('SET info.rating = info.rating + :d', { ':d': { N: '0.2' } }).info, {
      M: { rating: { N: '1.7' }, nested: { M: { deep: { S: 'x' } } } },
    });
    assert.deepEqual(update('SET x = :a + :b', { ':a': { N: '0.1' }, ':b': { N: '0.2' } }).x, { N: '0.3' });
  });

  it('if_not_exists keeps an existing value and fills a missing one', () => {
    const out = update('SET n = if_not_exists(n, :z), c = if_not_exists(c, :z)', { ':z': { N: '0' } });
    assert.deepEqual(out.n, { N: '10' });
    assert.deepEqual(out.c, { N: '0' });
  });

  it('if_not_exists combines with arithmetic for counters', () => {
    const expr = 'SET hits = if_not_exists(hits, :zero) + :one';
    const values = { ':zero': { N: '0' }, ':one': { N: '1' } };
    const first = update(expr, values);
    assert.deepEqual(first.hits, { N: '1' });
    assert.deepEqual(update(expr, values, first).hits, { N: '2' });
  });

  it('list_append concatenates in argument order', () => {
    const l = { ':l': { L: [{ S: 'z' }] } };
    assert.deepEqual(update('SET parts = list_append(parts, :l)', l).parts, { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }, { S: 'z' }] });
    assert.deepEqual(update('SET parts = list_append(:l, parts)', l).parts, { L: [{ S: 'z' }, { S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] });
  });

  it('sets nested map keys and list elements; an index past the end appends', () => {
    const out = update('SET info.nested.deep = :v, info.fresh = :v, parts[1] = :v, parts[99] = :w', { ':v': { S: 'V' }, ':w': { S: 'W' } });
    assert.deepEqual(out.info, { M: { rating: { N: '1.5' }, nested: { M: { deep: { S: 'V' } } }, fresh: { S: 'V' } } });
    assert.deepEqual(out.parts, { L: [{ S: 'a' }, { S: 'V' }, { S: 'c' }, { S: 'd' }, { S: 'W' }] });
  });

  it('evaluates every right-hand side against the item before the update', () => {
    const out = update('SET a = title, title = n', {}, { title: { S: 't' }, n: { N: '1' } });
    assert.deepEqual(out, { a: { S: 't' }, title: { N: '1' }, n: { N: '1' } });
  });

  it('starts from an empty item when there is none', () => {
    assert.deepEqual(compileUpdate({ expression: 'SET a = :v', values: { ':v': { S: 'x' } } }).apply(undefined, ['pk']), { a: { S: 'x' } });
  });

  it('uses #name placeholders for reserved words', () => {
    const out = update('SET #s = :v', { ':v': { S: 'done' } }, base, { '#s': 'status' });
    assert.deepEqual(out.status, { S: 'done' });
  });
});

describe('REMOVE', () => {
  it('removes attributes, nested keys and list elements by their original index', () => {
    const out = update('REMOVE title, info.nested, parts[0], parts[2], nothing');
    assert.equal('title' in out, false);
    assert.deepEqual(out.info, { M: { rating: { N: '1.5' } } });
    assert.deepEqual(out.parts, { L: [{ S: 'b' }, { S: 'd' }] });
  });

  it('ignores an index past the end of a list', () => {
    assert.deepEqual(update('REMOVE parts[10]').parts, base.parts);
  });
});

describe('ADD and DELETE', () => {
  it('ADD adds to a number and creates a missing one', () => {
    assert.deepEqual(update('ADD n :d', { ':d': { N: '-3' } }).n, { N: '7' });
    assert.deepEqual(update('ADD fresh :d', { ':d': { N: '3' } }).fresh, { N: '3' });
  });

  it('ADD unions sets without duplicates and creates a missing set', () => {
    assert.deepEqual(update('ADD colors :c', { ':c': { SS: ['green', 'blue'] } }).colors, { SS: ['red', 'green', 'blue'] });
    assert.deepEqual(update('ADD nums :c', { ':c': { NS: ['2.0', '3'] } }).nums, { NS: ['1', '2', '3'] });
    assert.deepEqual(update('ADD fresh :c', { ':c': { SS: ['x'] } }).fresh, { SS: ['x'] });
  });

  it('DELETE removes set members and drops the attribute once the set is empty', () => {
    assert.deepEqual(update('DELETE colors :c', { ':c': { SS: ['red', 'pink'] } }).colors, { SS: ['green'] });
    assert.equal('colors' in update('DELETE colors :c', { ':c': { SS: ['red', 'green'] } }), false);
    assert.equal('fresh' in update('DELETE fresh :c', { ':c': { SS: ['red'] } }), false);
  });

  it('combines all four clauses in one expression', () => {
    const out = update('SET a = :s REMOVE title ADD n :one DELETE nums :ns', { ':s': { S: 's' }, ':one': { N: '1' }, ':ns': { NS: ['1'] } });
    const { title: _removed, ...rest } = base;
    assert.deepEqual(out, { ...rest, a: { S: 's' }, n: { N: '11' }, nums: { NS: ['2'] } });
  });
});

describe('runtime update errors', () => {
  it('refuses to change a key attribute', () => {
    fails(() => update('SET pk = :v', { ':v': { S: 'other' } }), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
    fails(() => update('REMOVE pk'), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
  });

  it('refuses arithmetic on a non-number', () => {
    fails(() => update('SET x = title + :d', { ':d': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
    fails(() => update('SET x = list_append(title, :l)', { ':l': { L: [] } }), 'An operand in the update expression has an incorrect data type');
    fails(() => update('ADD title :d', { ':d': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
    fails(() => update('DELETE colors :d', { ':d': { NS: ['1'] } }), 'An operand in the update expression has an incorrect data type');
  });

  it('refuses an operand that reads a missing attribute', () => {
    fails(() => update('SET x = absent + :d', { ':d': { N: '1' } }), 'The provided expression refers to an attribute that does not exist in the item');
  });

  it('refuses a path whose parent does not exist or is not a container', () => {
    fails(() => update('SET absent.x = :d', { ':d': { N: '1' } }), 'The document path provided in the update expression is invalid for update');
    fails(() => update('SET title[0] = :d', { ':d': { N: '1' } }), 'The document path provided in the update expression is invalid for update');
  });
});
