import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '../../src/tables/attribute-value.ts';
import { compileProjection, ExpressionError } from '../../src/tables/expressions/index.ts';

const item: Item = {
  pk: { S: 'p' },
  title: { S: 't' },
  parts: { L: [{ S: 'a' }, { M: { x: { N: '1' }, y: { N: '2' } } }, { S: 'c' }, { S: 'd' }] },
  info: { M: { rating: { N: '5' }, tags: { SS: ['x'] }, deep: { M: { z: { BOOL: true } } } } },
};

function project(expression: string, names?: Record<string, string>) {
  return compileProjection({ expression, ...(names ? { names } : {}) }).project(item);
}

describe('projection', () => {
  it('keeps only the listed top-level attributes, skipping missing ones', () => {
    assert.deepEqual(project('pk, title, absent'), { pk: { S: 'p' }, title: { S: 't' } });
  });

  it('keeps the nesting of map paths', () => {
    assert.deepEqual(project('info.rating, info.deep.z'), { info: { M: { rating: { N: '5' }, deep: { M: { z: { BOOL: true } } } } } });
  });

  it('compacts list elements in their original order', () => {
    assert.deepEqual(project('parts[3], parts[0], parts[9]'), { parts: { L: [{ S: 'a' }, { S: 'd' }] } });
  });

  it('projects inside list elements', () => {
    assert.deepEqual(project('parts[1].y'), { parts: { L: [{ M: { y: { N: '2' } } }] } });
  });

  it('omits a path through a value of the wrong type', () => {
    assert.deepEqual(project('title.x, info.absent'), {});
    assert.deepEqual(project('info[0]'), {});
  });

  it('resolves #name placeholders', () => {
    const p = compileProjection({ expression: '#d, #i.#r', names: { '#d': 'title', '#i': 'info', '#r': 'rating' } });
    assert.deepEqual(p.project(item), { title: { S: 't' }, info: { M: { rating: { N: '5' } } } });
    assert.deepEqual([...p.usedNames].sort(), ['#d', '#i', '#r']);
  });

  it('refuses overlapping paths', () => {
    assert.throws(
      () => compileProjection({ expression: 'info, info.rating' }),
      (e: unknown) => e instanceof ExpressionError && e.message === 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [info], path two: [info, rating]',
    );
  });

  it('refuses paths that use one level as both a map key and a list index', () => {
    assert.throws(() => compileProjection({ expression: 'info[0], info.absent' }), {
      message: 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [info, [0]], path two: [info, absent]',
    });
  });

  it('refuses reserved words and value placeholders', () => {
    assert.throws(() => compileProjection({ expression: 'pk, name' }), { message: 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name' });
    assert.throws(() => compileProjection({ expression: 'pk, :v' }), { message: 'Invalid ProjectionExpression: Syntax error; token: ":v", near: ", :v"' });
  });
});
