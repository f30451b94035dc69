/** The JSONPath dialect (Jayway, as AWS uses it). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePath } from '../../src/workflows/asl/jsonpath/evaluate.ts';
import { jaywayPathText, parseJsonPath } from '../../src/workflows/asl/jsonpath/parse.ts';
import { isReferencePath, setAtReferencePath } from '../../src/workflows/asl/jsonpath/reference-path.ts';
import type { Json } from '../../src/workflows/index.ts';

const find = (path: string, input: Json, variables: Record<string, Json> = {}): unknown => {
  const r = evaluatePath(parseJsonPath(path), { input, context: { Execution: { Id: 'x' } }, variable: (n) => variables[n] });
  return r.found ? r.value : 'NOT FOUND';
};

test('a definite path finds one value or nothing', () => {
  assert.equal(find('$.a.b', { a: { b: 1 } }), 1);
  assert.equal(find('$.a.c', { a: { b: 1 } }), 'NOT FOUND');
  assert.equal(find('$.a[1]', { a: [5, 6] }), 6);
  assert.equal(find('$.a[-1]', { a: [5, 6] }), 6);
  assert.equal(find('$.a[5]', { a: [5, 6] }), 'NOT FOUND');
});

test('an indefinite path always yields a list, [] when nothing matches', () => {
  assert.deepEqual(find('$.items[*]', {}), []);
  assert.deepEqual(find('$.items[1:].v', { items: [{ v: 1 }] }), []);
  assert.deepEqual(find('$.items[*].v', { items: [{ v: 1 }, { w: 2 }, { v: 3 }] }), [1, 3]);
  assert.deepEqual(find('$[*]', {}), []);
});

test('slices, unions and recursive descent', () => {
  const input = { a: [0, 1, 2, 3, 4] };
  assert.deepEqual(find('$.a[1:3]', input), [1, 2]);
  assert.deepEqual(find('$.a[:2]', input), [0, 1]);
  assert.deepEqual(find('$.a[-2:]', input), [3, 4]);
  assert.deepEqual(find('$.a[0,2]', input), [0, 2]);
  assert.deepEqual(find('$..x', { x: 1, y: { x: 2, z: [{ x: 3 }] } }), [1, 2, 3]);
  assert.deepEqual(find("$['a','b']", { a: 1, b: 2 }), [1, 2]);
});

test('filter expressions select matching elements', () => {
  const users = { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }, { year: 2001, name: 'x' }] };
  assert.deepEqual(find('$.users[?(@.status == 0)]', users), [{ year: 1997, status: 0 }]);
  assert.deepEqual(find('$.users[?(@.year > 1997 && @.year < 2000)].year', users), [1998]);
  assert.deepEqual(find('$.users[?(@.name)].year', users), [2001]);
  assert.deepEqual(find("$.users[?(@.name == 'x' || @.status == 1)].year", users), [1998, 2001]);
  assert.deepEqual(find('$.users[?(@.name =~ /x+/)].year', users), [2001]);
  assert.deepEqual(find('$.users[?(!(@.status == 0))].year', users), [1998, 2001]);
  assert.deepEqual(find('$.users[?(@.status in [1, 2])].year', users), [1998]);
});

test('dot names may contain dashes, bracket names are taken literally', () => {
  assert.equal(find('$.delivery-partner', { 'delivery-partner': 'UQS' }), 'UQS');
  // recorded ESCAPE_SEQUENCES_JSONPATH: the text between the quotes is the key, backslash included
  assert.equal(find(`$['Test\\""Name"']`, { 'Test\\""Name"': 'v' }), 'v');
  assert.equal(find("$['a b']", { 'a b': 1 }), 1);
});

test('$$ reads the context object and $name a variable', () => {
  assert.equal(find('$$.Execution.Id', {}), 'x');
  assert.equal(find('$answer', {}, { answer: 42 }), 42);
  assert.deepEqual(find('$cfg.items[0]', {}, { cfg: { items: ['a'] } }), 'a');
  assert.equal(find('$missing', {}), 'NOT FOUND');
});

test('error messages render paths the way Jayway does', () => {
  assert.equal(jaywayPathText(parseJsonPath('$.NoSuchInputPath')), "$['NoSuchInputPath']");
  assert.equal(jaywayPathText(parseJsonPath('$.a[0].b')), "$['a'][0]['b']");
});

test('a reference path names one location; ResultPath creates missing objects', () => {
  assert.equal(isReferencePath(parseJsonPath('$.a.b[0]')), true);
  assert.equal(isReferencePath(parseJsonPath('$.a[*]')), false);
  assert.equal(isReferencePath(parseJsonPath('$$.Execution')), false);
  assert.deepEqual(setAtReferencePath({ z: 0 }, '$.a.b.c', 5), { z: 0, a: { b: { c: 5 } } });
  assert.deepEqual(setAtReferencePath({ a: 1 }, '$', 'r'), 'r');
  assert.deepEqual(setAtReferencePath({ a: [1, 2] }, '$.a[1]', 9), { a: [1, 9] });
});

test('ResultPath into a value that cannot hold it is States.ResultPathMatchFailure', () => {
  assert.throws(() => setAtReferencePath({ a: 'text' }, '$.a.b', 1), (e: Error & { error?: string }) => e.error === 'States.ResultPathMatchFailure');
  assert.throws(() => setAtReferencePath({ a: [] }, '$.a[3]', 1), (e: Error & { error?: string }) => e.error === 'States.ResultPathMatchFailure');
});

test('a malformed path is a syntax error', () => {
  assert.throws(() => parseJsonPath('a.b'));
  assert.throws(() => parseJsonPath('$.a['));
  assert.throws(() => parseJsonPath('$.a[?(@.x == 1]'));
});
