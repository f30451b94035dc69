/** The type tests, encoders, ids, `util.math` and `util.str`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/index.ts';
import { createUtil } from '../../src/resolvers/util/index.ts';

type Fn = (...args: unknown[]) => unknown;
const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00.000Z'));
const util = createUtil({
  clock,
  authType: () => 'API Key Authorization',
  appendError: () => undefined,
  currentField: () => ({ typeName: 'Query', fieldName: 'x' }),
});
const u = (name: string, ...args: unknown[]): unknown => (util[name] as Fn)(...args);
const sub = (group: string, name: string, ...args: unknown[]): unknown => ((util[group] as Record<string, Fn>)[name] as Fn)(...args);

test('isNull / isNullOrEmpty / isNullOrBlank', () => {
  assert.deepEqual([null, undefined, '', ' ', 'a', 0].map((v) => u('isNull', v)), [true, true, false, false, false, false]);
  assert.deepEqual([null, '', ' ', 'a'].map((v) => u('isNullOrEmpty', v)), [true, true, false, false]);
  assert.deepEqual([null, '', ' \t\n', 'a'].map((v) => u('isNullOrBlank', v)), [true, true, true, false]);
});

test('defaultIfNull / defaultIfNullOrEmpty / defaultIfNullOrBlank', () => {
  assert.equal(u('defaultIfNull', null, 'd'), 'd');
  assert.equal(u('defaultIfNull', '', 'd'), '');
  assert.equal(u('defaultIfNullOrEmpty', '', 'd'), 'd');
  assert.equal(u('defaultIfNullOrEmpty', ' ', 'd'), ' ');
  assert.equal(u('defaultIfNullOrBlank', ' ', 'd'), 'd');
  assert.equal(u('defaultIfNullOrBlank', 'x', 'd'), 'x');
});

test('type tests and typeOf', () => {
  assert.deepEqual([u('isString', 'a'), u('isNumber', 1), u('isBoolean', false), u('isList', []), u('isMap', {}), u('isMap', [])], [true, true, true, true, true, false]);
  assert.deepEqual([null, 1, 'a', true, [], {}].map((v) => u('typeOf', v)), ['Null', 'Number', 'String', 'Boolean', 'List', 'Map']);
});

test('matches uses Java String.matches semantics: the whole input must match', () => {
  assert.equal(u('matches', '^[a-z]+$', 'abc'), true);
  assert.equal(u('matches', '[a-z]+', 'abc1'), false);
  assert.equal(u('matches', '(?i)abc', 'ABC'), true);
  assert.equal(u('matches', 'a++b', 'aab'), true);
  assert.throws(() => u('matches', '(', 'x'), SyntaxError);
});

test('escapeJavaScript escapes like commons-lang escapeEcmaScript', () => {
  assert.equal(u('escapeJavaScript', `He said "it's" a/b\\c\n\té`), `He said \\"it\\'s\\" a\\/b\\\\c\\n\\t\\u00E9`);
});

test('urlEncode / urlDecode use form encoding', () => {
  assert.equal(u('urlEncode', "a b&c=d/é*~'"), 'a+b%26c%3Dd%2F%C3%A9*%7E%27');
  assert.equal(u('urlDecode', 'a+b%26c%3Dd%2F%C3%A9'), 'a b&c=d/é');
});

test('base64Encode / base64Decode over UTF-8', () => {
  assert.equal(u('base64Encode', 'héllo'), 'aMOpbGxv');
  assert.equal(u('base64Decode', 'aMOpbGxv'), 'héllo');
});

test('autoId is a UUID v4', () => {
  const id = u('autoId') as string;
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(u('autoId'), id);
});

test('autoUlid is 26 Crockford chars whose time prefix comes from the clock', () => {
  const id = u('autoUlid') as string;
  assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  // 2026-01-01T00:00:00Z = 1767225600000 ms
  assert.equal(id.slice(0, 10), '01KDVDNA00');
});

test('autoKsuid is 27 base62 chars whose leading bytes encode the clock', () => {
  const id = u('autoKsuid') as string;
  assert.match(id, /^[0-9A-Za-z]{27}$/);
  let n = 0n;
  for (const c of id) n = n * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c));
  assert.equal(Number(n >> 128n), 1767225600 - 1400000000);
});

test('util.math', () => {
  assert.equal(sub('math', 'roundNum', 2.5), 3);
  assert.equal(sub('math', 'roundNum', -2.5), -2);
  assert.equal(sub('math', 'minVal', 3, 1.5), 1.5);
  assert.equal(sub('math', 'maxVal', 3, 1.5), 3);
  const d = sub('math', 'randomDouble') as number;
  assert.ok(d >= 0 && d < 1);
  for (let i = 0; i < 50; i++) {
    const r = sub('math', 'randomWithinRange', 1, 3) as number;
    assert.ok(Number.isInteger(r) && r >= 1 && r <= 3, `got ${r}`);
  }
});

test('util.str', () => {
  assert.equal(sub('str', 'toUpper', 'abc'), 'ABC');
  assert.equal(sub('str', 'toLower', 'ABC'), 'abc');
  assert.equal(sub('str', 'toReplace', 'a.b.c', '.', '-'), 'a-b-c');
  assert.equal(sub('str', 'normalize', 'e\u0301', 'nfc'), '\u00e9');
  assert.equal(sub('str', 'normalize', '\u00e9', 'NFD'), 'e\u0301');
});
